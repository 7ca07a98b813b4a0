/// `ensemble`: the mean of ridge, mlp and Holt–Winters — three models that err
/// differently (linear in calendar and drivers, non-linear, exponential smoothing), so their
/// average is usually better than each. P10 and P90 are the members' means as well.
public struct EnsembleForecaster: ForecastModel {
    public var name: String { "ensemble" }
    var members: [any ForecastModel]

    public init(drivers: [String]) {
        members = [RidgeForecaster(drivers: drivers), MLPForecaster(drivers: drivers), DoubleSeasonalHoltWinters()]
    }

    static func fitted(_ m: some ForecastModel, _ s: HourlySeries, origin: Int) -> any ForecastModel {
        var copy = m
        copy.fit(s, origin: origin)
        return copy
    }

    static func run(_ m: some ForecastModel, _ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        m.forecast(s, origin: origin, horizon: horizon)
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        members = members.map { Self.fitted($0, s, origin: origin) }
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        var sum = [(p10: Double, p50: Double, p90: Double)](repeating: (0, 0, 0), count: horizon)
        for m in members {
            for (h, r) in Self.run(m, s, origin: origin, horizon: horizon).enumerated() {
                sum[h].p10 += r.p10; sum[h].p50 += r.p50; sum[h].p90 += r.p90
            }
        }
        let n = Double(members.count)
        return sum.map { ($0.p10 / n, $0.p50 / n, $0.p90 / n) }
    }
}
