import Foundation

/// The day-ahead rolling-origin backtest of `spec/forecast-backtest.md`: the last 60
/// complete local days (or the 60 ending on `testEnd`), one origin per day at local
/// 00:00 covering that day's hours, refits on test days 0, 7, 14, …, and MAE, RMSE, MASE
/// (scale: in-sample MAE of the lag-24 seasonal naive before the first origin), mean
/// pinball loss at 0.1/0.5/0.9 and the 80 % interval's coverage.
public struct Backtest {
    /// A model's scores over the test days: point errors, MASE against the seasonal naive scale,
    /// pinball loss and P10–P90 coverage, and the time it took.
    public struct Score: Sendable, Codable {
        public var model: String
        public var mae: Double
        public var rmse: Double
        public var mase: Double
        public var pinball: Double
        public var coverage80: Double
        public var seconds: Double
        public var scored: Int
        /// Intraday updates scored by lead hour (``Options/intradayLeads`` > 0).
        public var intraday: [IntradayLead]?
        /// Scenarios scored by their energy score (``Options/scenarioSamples`` > 0).
        public var scenarios: ScenarioScore?
    }

    /// What a backtest measures besides the day-ahead scores.
    public struct Options: Sendable {
        /// Lead hours (1 … N) at which the intraday update is scored; 0 scores none.
        public var intradayLeads = 0
        /// The intraday update scored (errors of the last hour, decaying with a 2-hour time constant).
        public var intraday = IntradayCorrection.standard(stepMinutes: 60)
        /// Fit the update's time constant on each day to the day-ahead errors of the 28 days
        /// before it (``IntradayCorrection/timeConstant(ofErrors:range:minimumPairs:)``, 0.5–24 h;
        /// `intraday`'s own until a week of errors exists) instead of keeping `intraday`'s.
        /// The fit assumes the update's window is 1 step (the last error), as the CLI sets it.
        public var fitIntradayTimeConstant = false
        /// Scenarios drawn per test day for the energy score; 0 draws none.
        public var scenarioSamples = 0
        /// Past days whose forecast errors the copula is fitted on (also forecast before the
        /// first test day, as a warm-up, when the history allows).
        public var scenarioHistoryDays = 56
        /// Seed of the scenario draws.
        public var seed: UInt64 = 1
        public init() {}
    }

    /// The intraday update against the day-ahead forecast at one lead hour: origins at every
    /// hour of a test day after its first, leads that stay inside the day.
    public struct IntradayLead: Sendable, Codable {
        public var leadHours: Int
        public var dayAheadMASE: Double
        public var correctedMASE: Double
        public var samples: Int
        /// The update's time constant in hours (with a fitted one, its mean over the test days).
        public var timeConstantHours: Double
    }

    /// Energy scores of a test day's joint scenarios (Gaussian copula of the past days'
    /// errors) against scenarios drawn independently per hour from the same marginals, with
    /// the same random numbers; means over the test days, in the series' unit.
    public struct ScenarioScore: Sendable, Codable {
        public var samples: Int
        public var days: Int
        public var copula: Double
        public var independent: Double
        /// copula / independent: below 1 when the copula's scenarios are better (1 when both are 0).
        public var ratio: Double
        /// Mean shrinkage intensity of the fitted copulas.
        public var shrinkage: Double
    }

    public let series: HourlySeries
    public let days: [(date: String, first: Int, count: Int)]
    /// The complete days before the first test day (warm-up origins for the scenarios).
    let earlierDays: [(date: String, first: Int, count: Int)]
    public let scale: Double

    public init(_ series: HourlySeries, testDays: Int = 60, testEnd: String? = nil) throws {
        self.series = series
        var all = Self.completeDays(series)
        if let testEnd {
            guard let last = all.lastIndex(where: { $0.date == testEnd }) else {
                throw HistoryError(file: "backtest", line: 0, message: "--test-end \(testEnd) is not a complete day of the series")
            }
            all = Array(all[...last])
        }
        guard testDays >= 1 else { throw HistoryError(file: "backtest", line: 0, message: "the backtest needs at least one test day") }
        // The MASE scale needs two days before the test days (a day and the day before it).
        let needed = testDays + 2
        guard all.count > testDays, all[all.count - testDays].first >= 48 else {
            throw HistoryError(file: "backtest", line: 0, message: "the series has \(all.count) complete days; the backtest needs at least "
                               + "\(needed): \(testDays) test days and 2 days before them for the MASE scale")
        }
        days = Array(all.suffix(testDays))
        earlierDays = Array(all.dropLast(testDays))
        var sum = 0.0, n = 0
        let origin0 = days[0].first
        for t in 24..<origin0 {
            if let y = series.values[t], let p = series.values[t - 24] { sum += abs(y - p); n += 1 }
        }
        guard n > 0 else {
            throw HistoryError(file: "backtest", line: 0, message: "no hour before the first test day (\(days[0].date)) has a value "
                               + "both at it and 24 hours earlier, so the MASE scale (the seasonal naive's in-sample error) is undefined")
        }
        guard sum > 0 else {
            throw HistoryError(file: "backtest", line: 0, message: "the series repeats itself exactly from one day to the next before the "
                               + "first test day (\(days[0].date)): the MASE scale (the seasonal naive's in-sample error) is 0")
        }
        scale = sum / Double(n)
    }

    /// Runs one model over all origins. A model that looks at data at or after an origin
    /// would see `nil` there: the series handed to it is truncated at the origin.
    /// Throws when the history before the first origin is shorter than the model needs.
    ///
    /// With ``Options/scenarioSamples`` (or a fitted intraday time constant) the model also
    /// forecasts up to ``Options/scenarioHistoryDays`` (28 for the time constant alone)
    /// complete days before the first test day (a whole number of weeks, so the refits of the test days fall on the same
    /// days), to have past errors for the copula (and τ) of the first test days; those days
    /// are not scored.
    public func run(_ model: inout some ForecastModel, options: Options = Options()) throws(InsufficientHistory) -> Score {
        try model.requireHistory(before: days.first?.first ?? series.count)
        // Warm-up days give the copula and the fitted intraday time constant past errors
        // for the first test days.
        let warmUp = max(options.scenarioSamples > 0 ? options.scenarioHistoryDays : 0,
                         options.intradayLeads > 0 && options.fitIntradayTimeConstant ? IntradayAccumulator.historyDays : 0)
        let warm = warmUp > 0 ? warmUpDays(minimumHistoryDays: model.minimumHistoryDays, upTo: warmUp) : []
        let origins = warm + days
        let start = Date()
        var absSum = 0.0, sqSum = 0.0, pin = 0.0, covered = 0, n = 0
        var intraday = IntradayAccumulator(leads: options.intradayLeads, correction: options.intraday,
                                           fitted: options.fitIntradayTimeConstant, nonnegative: nonnegative)
        var scenarios = ScenarioAccumulator(options: options, nonnegative: nonnegative)
        // One copy, hidden from the first origin on and revealed day by day (a copy per
        // origin cost as much as a fit of the fast models).
        var shown = origins.first?.first ?? series.count, visible = truncated(at: shown)
        for (i, day) in origins.enumerated() {
            for t in shown..<max(shown, day.first) { visible.values[t] = series.values[t] }
            shown = max(shown, day.first)
            let d = i - warm.count  // the test day's index; negative in the warm-up
            if d % 7 == 0 { model.fit(visible, origin: day.first) }
            let f = model.forecast(visible, origin: day.first, horizon: day.count)
            let actual = (0..<day.count).map { series.values[day.first + $0] ?? .nan }
            if d >= 0 {
                for h in 0..<day.count where actual[h].isFinite {
                    let y = actual[h], e = y - f[h].p50
                    absSum += abs(e); sqSum += e * e; n += 1
                    pin += (Self.pinball(y, f[h].p10, 0.1) + Self.pinball(y, f[h].p50, 0.5) + Self.pinball(y, f[h].p90, 0.9)) / 3
                    if y >= f[h].p10 && y <= f[h].p90 { covered += 1 }
                }
            }
            intraday.add(forecast: f, actual: actual, scored: d >= 0)
            scenarios.add(forecast: f, actual: actual, hours: (0..<day.count).map { series.localHour[day.first + $0] },
                          scored: d >= 0)
        }
        let mae = absSum / Double(max(n, 1))
        return Score(model: model.name, mae: mae, rmse: (sqSum / Double(max(n, 1))).squareRoot(), mase: mae / scale,
                     pinball: pin / Double(max(n, 1)), coverage80: Double(covered) / Double(max(n, 1)),
                     seconds: Date().timeIntervalSince(start), scored: n,
                     intraday: intraday.leads(scale: scale), scenarios: scenarios.score)
    }

    /// Whether the series has no negative value before the first test day (its forecasts
    /// and scenarios are then kept at or above 0).
    var nonnegative: Bool {
        let end = days.first?.first ?? series.count
        return !series.values[..<end].contains { ($0 ?? 0) < 0 }
    }

    /// The last complete days before the first test day, a whole number of weeks and at
    /// most `upTo`, that leave the model its minimum history.
    func warmUpDays(minimumHistoryDays: Int, upTo: Int) -> [(date: String, first: Int, count: Int)] {
        let usable = earlierDays.filter { $0.first >= minimumHistoryDays * 24 }
        let count = min(max(0, upTo), usable.count) / 7 * 7
        return Array(usable.suffix(count))
    }

    /// The series with every value at or after `origin` hidden (leakage guard).
    func truncated(at origin: Int) -> HourlySeries {
        var s = series
        for t in origin..<s.count { s.values[t] = nil }
        return s
    }

    /// Local days that start at hour 0 and run to their last hour (23) inside the grid.
    public static func completeDays(_ series: HourlySeries) -> [(date: String, first: Int, count: Int)] {
        var all: [(date: String, first: Int, count: Int)] = []
        var k = 0
        while k < series.count {
            let date = series.localDay[k]
            var e = k
            while e + 1 < series.count && series.localDay[e + 1] == date { e += 1 }
            if series.localHour[k] == 0 && series.localHour[e] == 23 { all.append((date, k, e - k + 1)) }
            k = e + 1
        }
        return all
    }

    static func pinball(_ y: Double, _ q: Double, _ tau: Double) -> Double {
        y >= q ? tau * (y - q) : (1 - tau) * (q - y)
    }
}
