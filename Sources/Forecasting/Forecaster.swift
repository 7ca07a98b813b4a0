import DataFiles
/// Forecasts beyond the end of a history: fits on everything, then forecasts day by day,
/// feeding each day's P50 back as history for the next (lags beyond one day).
public enum Forecaster {
    /// What a forecast beyond the history produced, and which model made it.
    public struct Result: Sendable {
        public var rows: [(p10: Double, p50: Double, p90: Double)]
        /// The fitted model's name (`auto:ridge` when `auto` chose ridge).
        public var model: String
        /// What the fit had to say (e.g. `auto`'s candidates left out for want of history).
        public var notes: [String] = []
    }

    public static func forecast(_ model: some ForecastModel, _ history: HourlySeries, horizon: Int)
        throws(InsufficientHistory) -> [(p10: Double, p50: Double, p90: Double)] {
        try run(model, history, horizon: horizon, futureDrivers: [:]).rows
    }

    /// As `forecast`, with the drivers' values over the horizon (e.g. a weather forecast;
    /// `futureDrivers[name]` has `horizon` entries, nil where unknown) and the fitted
    /// model's name. Throws when the history is shorter than the model needs.
    public static func run(_ model: some ForecastModel, _ history: HourlySeries, horizon: Int,
                           futureDrivers: [String: [Double?]]) throws(InsufficientHistory) -> Result {
        var m = model
        var s = history
        let origin = s.count
        try m.requireHistory(before: origin)
        // Extend the grid by the horizon, continuing the local clock of the last hour.
        for h in 0..<horizon {
            let last = s.count - 1
            let hour = (s.localHour[last] + 1) % 24
            s.appendHour(value: nil, localDay: hour == 0 ? TimeParser.nextDay(s.localDay[last]) : s.localDay[last], localHour: hour)
            for key in s.drivers.keys {
                let future = futureDrivers[key].flatMap { h < $0.count ? $0[h] : nil }
                s.drivers[key]?.append(future)
            }
        }
        m.fit(s, origin: origin)
        var out: [(p10: Double, p50: Double, p90: Double)] = []
        var t = origin
        while t < origin + horizon {
            let n = min(24, origin + horizon - t)
            let f = m.forecast(s, origin: t, horizon: n)
            for (h, r) in f.enumerated() { s.values[t + h] = r.p50 }
            out += f
            t += n
        }
        return Result(rows: out, model: m.fittedName, notes: m.notes)
    }
}

extension TimeParser {
    /// The civil date after `date` (yyyy-mm-dd).
    static func nextDay(_ date: String) -> String {
        let u = Array(date.utf8)
        func n(_ a: Int, _ l: Int) -> Int { u[a..<(a + l)].reduce(0) { $0 * 10 + Int($1 - 48) } }
        return civil(fromDays: daysFromCivil(n(0, 4), n(5, 2), n(8, 2)) + 1)
    }
}
