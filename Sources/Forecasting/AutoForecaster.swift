/// `auto`: picks, at each refit, the candidate with the least day-ahead MAE over the last
/// 28 days before the origin (each candidate fitted on the data before those days, as in
/// the backtest), then refits the winner on everything before the origin.
public struct AutoForecaster: ForecastModel {
    public var name: String { "auto" }
    var candidates: [any ForecastModel]
    var chosen: (any ForecastModel)?
    /// The model chosen at the last refit.
    public var choice: String { chosen?.name ?? "none" }
    public var fittedName: String { "auto:\(choice)" }

    public init(drivers: [String]) {
        candidates = [SeasonalNaive(lag: 24), SeasonalNaive(lag: 168), DoubleSeasonalHoltWinters(), RidgeForecaster(drivers: drivers),
                      MLPForecaster(drivers: drivers), PVForecaster(drivers: drivers)]
    }

    static func validationError(_ model: some ForecastModel, _ s: HourlySeries, origin: Int) -> Double {
        var m = model
        let first = origin - 28 * 24
        guard first > 24 * 14 else { return .infinity }
        m.fit(s, origin: first)
        var sum = 0.0, n = 0
        for d in 0..<28 {
            let o = first + d * 24
            let f = m.forecast(s, origin: o, horizon: 24)
            for h in 0..<24 { if let y = s.values[o + h] { sum += abs(y - f[h].p50); n += 1 } }
        }
        return n > 0 ? sum / Double(n) : .infinity
    }

    static func refit(_ model: some ForecastModel, _ s: HourlySeries, origin: Int) -> any ForecastModel {
        var m = model
        m.fit(s, origin: origin)
        return m
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        var best: (any ForecastModel)?
        var bestError = Double.infinity
        for c in candidates {
            let e = Self.validationError(c, s, origin: origin)
            if e < bestError || best == nil { bestError = e; best = c }
        }
        if let best { chosen = Self.refit(best, s, origin: origin) }
    }

    static func forecast(_ m: some ForecastModel, _ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        m.forecast(s, origin: origin, horizon: horizon)
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        guard let chosen else { return [(p10: Double, p50: Double, p90: Double)](repeating: (0, 0, 0), count: horizon) }
        return Self.forecast(chosen, s, origin: origin, horizon: horizon)
    }
}
