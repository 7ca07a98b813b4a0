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
    }

    public let series: HourlySeries
    public let days: [(date: String, first: Int, count: Int)]
    public let scale: Double

    public init(_ series: HourlySeries, testDays: Int = 60, testEnd: String? = nil) throws {
        self.series = series
        // Local days that start at hour 0 and run to their last hour (23) inside the grid.
        var all: [(String, Int, Int)] = []
        var k = 0
        while k < series.count {
            let date = series.localDay[k]
            var e = k
            while e + 1 < series.count && series.localDay[e + 1] == date { e += 1 }
            if series.localHour[k] == 0 && series.localHour[e] == 23 { all.append((date, k, e - k + 1)) }
            k = e + 1
        }
        if let testEnd {
            guard let last = all.lastIndex(where: { $0.0 == testEnd }) else {
                throw HistoryError(file: "backtest", line: 0, message: "--test-end \(testEnd) is not a complete day of the series")
            }
            all = Array(all[...last])
        }
        guard testDays >= 1 else { throw HistoryError(file: "backtest", line: 0, message: "the backtest needs at least one test day") }
        // The MASE scale needs two days before the test days (a day and the day before it).
        let needed = testDays + 2
        guard all.count > testDays, all[all.count - testDays].1 >= 48 else {
            throw HistoryError(file: "backtest", line: 0, message: "the series has \(all.count) complete days; the backtest needs at least "
                               + "\(needed): \(testDays) test days and 2 days before them for the MASE scale")
        }
        days = Array(all.suffix(testDays)).map { (date: $0.0, first: $0.1, count: $0.2) }
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
    public func run(_ model: inout some ForecastModel) throws(InsufficientHistory) -> Score {
        try model.requireHistory(before: days.first?.first ?? series.count)
        let start = Date()
        var absSum = 0.0, sqSum = 0.0, pin = 0.0, covered = 0, n = 0
        // One copy, hidden from the first origin on and revealed day by day (a copy per
        // origin cost as much as a fit of the fast models).
        var shown = days.first?.first ?? series.count, visible = truncated(at: shown)
        for (d, day) in days.enumerated() {
            for t in shown..<max(shown, day.first) { visible.values[t] = series.values[t] }
            shown = max(shown, day.first)
            if d % 7 == 0 { model.fit(visible, origin: day.first) }
            let f = model.forecast(visible, origin: day.first, horizon: day.count)
            for h in 0..<day.count {
                guard let y = series.values[day.first + h] else { continue }
                let e = y - f[h].p50
                absSum += abs(e); sqSum += e * e; n += 1
                pin += (Self.pinball(y, f[h].p10, 0.1) + Self.pinball(y, f[h].p50, 0.5) + Self.pinball(y, f[h].p90, 0.9)) / 3
                if y >= f[h].p10 && y <= f[h].p90 { covered += 1 }
            }
        }
        let mae = absSum / Double(max(n, 1))
        return Score(model: model.name, mae: mae, rmse: (sqSum / Double(max(n, 1))).squareRoot(), mase: mae / scale,
                     pinball: pin / Double(max(n, 1)), coverage80: Double(covered) / Double(max(n, 1)),
                     seconds: Date().timeIntervalSince(start), scored: n)
    }

    /// The series with every value at or after `origin` hidden (leakage guard).
    func truncated(at origin: Int) -> HourlySeries {
        var s = series
        for t in origin..<s.count { s.values[t] = nil }
        return s
    }

    static func pinball(_ y: Double, _ q: Double, _ tau: Double) -> Double {
        y >= q ? tau * (y - q) : (1 - tau) * (q - y)
    }
}
