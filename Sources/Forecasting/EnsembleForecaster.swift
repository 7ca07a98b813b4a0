/// `ensemble`: ridge, mlp and Holt–Winters — models that err differently (linear in
/// calendar and drivers, non-linear, exponential smoothing) — averaged, P10, P50 and P90
/// alike, each weighted by the inverse square of its held-out day-ahead MAE at the last
/// fit (inverse-variance combination, with the MAE standing in for the spread; equal
/// weights when a member measured none). A member whose held-out MAE is more than
/// `admission` × the best member's is left out until the next refit: an average with a
/// much weaker member is worse than the average of the strong ones (Holt–Winters, blind to
/// temperature, on vic_elec: 0.75 MASE against 0.45; with it the ensemble scored 0.420,
/// without it 0.402). Members that measured no held-out error are always in.
public struct EnsembleForecaster: ForecastModel {
    public var name: String { "ensemble" }
    /// Every member fitted: the most any member needs.
    public var minimumHistoryDays: Int { members.map(\.minimumHistoryDays).max() ?? 1 }
    var members: [any ForecastModel]
    /// Which members take part after the last fit.
    var active: [Bool]
    public var admission = 1.5

    public init(drivers: [String]) {
        members = [RidgeForecaster(drivers: drivers), MLPForecaster(drivers: drivers), DoubleSeasonalHoltWinters()]
        active = members.map { _ in true }
    }

    /// Names of the members in use, e.g. "ridge+mlp".
    public var fittedName: String {
        "ensemble(" + zip(members, active).filter(\.1).map(\.0.name).joined(separator: "+") + ")"
    }

    /// The held-out MAE of the members' average is not measured; the best active member's
    /// stands in for it.
    public var heldOutMAE: Double? {
        zip(members, active).filter(\.1).compactMap(\.0.heldOutMAE).min()
    }

    static func fitted(_ m: some ForecastModel, _ s: HourlySeries, origin: Int) -> any ForecastModel {
        var copy = m
        copy.fit(s, origin: origin)
        return copy
    }

    static func run(_ m: some ForecastModel, _ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        m.forecast(s, origin: origin, horizon: horizon)
    }

    /// Members within `admission` × the least held-out MAE (all when any lacks one; the
    /// best is always in, whatever `admission`).
    static func admitted(_ errors: [Double?], admission: Double) -> [Bool] {
        let known = errors.compactMap { $0 }.filter(\.isFinite)
        guard known.count == errors.count, let least = known.min() else { return errors.map { _ in true } }
        return errors.map { $0! <= max(admission, 1) * least }
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        members = members.map { Self.fitted($0, s, origin: origin) }
        active = Self.admitted(members.map(\.heldOutMAE), admission: admission)
    }

    /// The members' weights, summing to 1: (least / eᵢ)² over the active members' held-out
    /// MAEs eᵢ, 0 for the inactive and for an infinite error; equal among the others when
    /// any of them has no error, a NaN or a zero one. Weighting by the inverse squared error
    /// gave a lower mean MASE than equal weights on every series of the all-window
    /// evaluation (docs/forecast-windows.md).
    static func weights(_ errors: [Double?], active: [Bool]) -> [Double] {
        var on = zip(errors, active).map { e, a in a && e != .infinity }
        if !on.contains(true) { on = active }
        let used = zip(errors, on).filter(\.1).map(\.0)
        let known = used.compactMap { $0 }.filter { $0.isFinite && $0 > 0 }
        let raw: [Double]
        if known.count == used.count, let least = known.min() {
            raw = zip(errors, on).map { e, a in a ? (least / e!) * (least / e!) : 0 }
        } else {
            raw = on.map { $0 ? 1 : 0 }
        }
        let total = raw.reduce(0, +)
        return total > 0 ? raw.map { $0 / total } : raw
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        var sum = [(p10: Double, p50: Double, p90: Double)](repeating: (0, 0, 0), count: horizon)
        var n = 0.0
        let weights = Self.weights(members.map(\.heldOutMAE), active: active)
        for (k, (m, on)) in zip(members, active).enumerated() where on {
            let w = weights[k]
            for (h, r) in Self.run(m, s, origin: origin, horizon: horizon).enumerated() {
                sum[h].p10 += w * r.p10; sum[h].p50 += w * r.p50; sum[h].p90 += w * r.p90
            }
            n += w
        }
        guard n > 0 else { return sum }
        return sum.map { ($0.p10 / n, $0.p50 / n, $0.p90 / n) }
    }
}
