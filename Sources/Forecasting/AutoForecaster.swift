/// `auto`: picks, at each refit, the candidate with the least day-ahead MAE over the last
/// 28 days before the origin (each candidate fitted on the data before those days, as in
/// the backtest), then refits the winner on everything before the origin. The ensemble
/// (ridge, mlp and Holt–Winters, those it admits averaged with its weights) competes too, scored from its
/// members' validation forecasts without fitting them again.
public struct AutoForecaster: ForecastModel {
    public var name: String { "auto" }
    let drivers: [String]
    var candidates: [any ForecastModel]
    var chosen: (any ForecastModel)?
    /// The model chosen at the last refit.
    public var choice: String { chosen?.name ?? "none" }
    public var fittedName: String { "auto:\(choice)" }
    /// The least any candidate needs; candidates that need more are left out at that fit.
    public var minimumHistoryDays: Int { candidates.map(\.minimumHistoryDays).min() ?? 1 }
    /// Which candidates the last fit left out, and why.
    public private(set) var notes: [String] = []

    /// `site` reaches the PV candidate (``PVForecaster``).
    public init(drivers: [String], site: SolarSite? = nil) {
        self.drivers = drivers
        candidates = [SeasonalNaive(lag: 24), SeasonalNaive(lag: 168), DoubleSeasonalHoltWinters(), RidgeForecaster(drivers: drivers),
                      RidgeForecaster(drivers: drivers, standardized: false), MLPForecaster(drivers: drivers),
                      PVForecaster(drivers: drivers, site: site)]
    }

    /// Days of history from which candidates are compared: 28 scored days after 14 to fit.
    static let comparisonDays = 43

    /// Day-ahead P50s over the 28 days before `origin` and the held-out MAE the model
    /// measured when fitted before them (nil when the history is too short).
    static func validation(_ model: some ForecastModel, _ s: HourlySeries, origin: Int) -> (p50: [Double], heldOut: Double?)? {
        var m = model
        let first = origin - 28 * 24
        guard first > 24 * 14, first >= model.minimumHistoryDays * 24 else { return nil }
        m.fit(s, origin: first)
        var out: [Double] = []
        for d in 0..<28 { out += m.forecast(s, origin: first + d * 24, horizon: 24).map(\.p50) }
        return (out, m.heldOutMAE)
    }

    static func mae(_ p: [Double], _ s: HourlySeries, origin: Int) -> Double {
        let first = origin - 28 * 24
        var sum = 0.0, n = 0
        for (k, v) in p.enumerated() { if let y = s.values[first + k] { sum += abs(y - v); n += 1 } }
        return n > 0 ? sum / Double(n) : .infinity
    }

    static func refit(_ model: some ForecastModel, _ s: HourlySeries, origin: Int) -> any ForecastModel {
        var m = model
        m.fit(s, origin: origin)
        return m
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        var best: (any ForecastModel)? = nil
        var bestError = Double.infinity
        var members: [String: (p50: [Double], heldOut: Double?)] = [:]
        notes = []
        let eligible = candidates.filter { origin >= $0.minimumHistoryDays * 24 }
        let left = candidates.filter { origin < $0.minimumHistoryDays * 24 }
        if !left.isEmpty {
            notes.append("left out for want of history (\(origin / 24) days): "
                         + left.map { "\($0.name) (needs \($0.minimumHistoryDays))" }.joined(separator: ", "))
        }
        for c in eligible {
            guard let v = Self.validation(c, s, origin: origin) else { continue }
            let e = Self.mae(v.p50, s, origin: origin)
            members[c.name] = v
            if e < bestError { bestError = e; best = c }
        }
        let ensemble = EnsembleForecaster(drivers: drivers)
        let parts = ensemble.members.compactMap { members[$0.name] }
        if parts.count == ensemble.members.count {
            // Scored as the ensemble forecasts: the members it would have admitted by their
            // held-out errors at that fit (not by the days being scored), with its weights.
            let errors = parts.map(\.heldOut)
            let admitted = EnsembleForecaster.admitted(errors, admission: ensemble.admission)
            let weights = EnsembleForecaster.weights(errors, active: admitted)
            if let one = parts.first?.p50 {
                let mean = (0..<one.count).map { k in zip(parts, weights).reduce(0) { $0 + ($1.1 > 0 ? $1.1 * $1.0.p50[k] : 0) } }
                if Self.mae(mean, s, origin: origin) < bestError { best = ensemble }
            }
        }
        if best == nil, let first = eligible.first {
            notes.append("\(origin / 24) days of history are too few to compare the candidates on 28 held-out days "
                         + "(\(Self.comparisonDays) needed); \(first.name) used")
        }
        let winner: any ForecastModel = best ?? eligible.first ?? candidates[0]
        chosen = Self.refit(winner, s, origin: origin)
    }

    static func forecast(_ m: some ForecastModel, _ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        m.forecast(s, origin: origin, horizon: horizon)
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        guard let chosen else { return [(p10: Double, p50: Double, p90: Double)](repeating: (0, 0, 0), count: horizon) }
        return Self.forecast(chosen, s, origin: origin, horizon: horizon)
    }
}
