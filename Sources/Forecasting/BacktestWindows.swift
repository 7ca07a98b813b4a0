import Foundation

/// The backtest run on many windows of one series: the same protocol (60 test days, refits
/// every 7 days) with test periods spread over the whole record, so that a model is judged on
/// days nobody tuned it on, by the mean and the spread of its scores.
///
/// ```swift
/// let s = try HistoryReader.read(path: "vic_elec.csv", column: "y")
/// let ends = try Backtest.windowEnds(s, count: nil)                  // one window a month
/// let scores = try ends.map { end in
///     var model = RidgeForecaster(drivers: [])
///     return [try Backtest(s, testEnd: end).run(&model)]
/// }
/// let scales = try ends.map { try Backtest(s, testEnd: $0).scale }
/// let table = Backtest.spread(scores, scales: scales)
/// ```
extension Backtest {
    /// The last test days of the windows, oldest first. Windows end on the last complete day
    /// and then every `spacingDays` earlier (`count` nil), or `count` windows spread evenly
    /// from the earliest possible to the last; a window is possible when at least
    /// `minimumTrainingDays` (and never less than the 2 days of the MASE scale) lie before its
    /// first test day.
    public static func windowEnds(_ series: HourlySeries, count: Int?, spacingDays: Int = 30, testDays: Int = 60,
                                  minimumTrainingDays: Int = 60) throws -> [String] {
        guard testDays >= 1 else { throw HistoryError(file: "backtest", line: 0, message: "a window needs at least one test day") }
        let all = completeDays(series)
        let training = max(2, minimumTrainingDays) * 24
        let possible = all.indices.filter { e in e - testDays + 1 >= 0 && all[e - testDays + 1].first >= training }
        guard let earliest = possible.first, let last = possible.last else {
            throw HistoryError(file: "backtest", line: 0, message: "the series has \(all.count) complete days; a window needs "
                               + "\(testDays) test days after at least \(max(2, minimumTrainingDays)) days of history")
        }
        var ends: [Int] = []
        if let count {
            guard count >= 1 else { throw HistoryError(file: "backtest", line: 0, message: "the number of windows must be at least 1") }
            let n = min(count, last - earliest + 1)
            ends = n == 1 ? [last] : (0..<n).map { earliest + Int((Double((last - earliest) * $0) / Double(n - 1)).rounded()) }
        } else {
            guard spacingDays >= 1 else { throw HistoryError(file: "backtest", line: 0, message: "the window spacing must be at least 1 day") }
            ends = Array(stride(from: last, through: earliest, by: -spacingDays).reversed())
        }
        return Array(Set(ends)).sorted().map { all[$0].date }
    }

    /// One model's scores across windows.
    public struct Spread: Sendable, Codable {
        public var model: String
        public var windows: Int
        public var maseMean: Double, maseSD: Double, maseMin: Double, maseMax: Double
        /// Mean pinball loss divided by each window's MASE scale (comparable across windows).
        public var scaledPinballMean: Double
        public var coverageMean: Double, coverageMin: Double, coverageMax: Double
        /// Backtest seconds summed over the windows.
        public var seconds: Double
        /// Intraday MASE by lead hour, averaged over the windows (day-ahead, corrected).
        public var intraday: [IntradayLead]?
        /// Energy scores divided by each window's MASE scale and averaged, with the mean ratio.
        public var scenarios: ScenarioScore?
    }

    /// Per model (in the order of the first window), the mean, standard deviation and range
    /// of its scores over the windows where it ran. `scales[w]` is window w's MASE scale.
    public static func spread(_ windows: [[Score]], scales: [Double]) -> [Spread] {
        precondition(scales.count == windows.count, "one MASE scale per window")
        var order: [String] = []
        for w in windows { for s in w where !order.contains(s.model) { order.append(s.model) } }
        return order.map { model in
            let runs = windows.enumerated().compactMap { w, scores in scores.first { $0.model == model }.map { ($0, scales[w]) } }
            let mase = runs.map(\.0.mase), cov = runs.map(\.0.coverage80), n = Double(runs.count)
            let mean = mase.reduce(0, +) / n
            let sd = runs.count > 1 ? (mase.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
            return Spread(model: model, windows: runs.count, maseMean: mean, maseSD: sd, maseMin: mase.min() ?? .nan,
                          maseMax: mase.max() ?? .nan, scaledPinballMean: runs.reduce(0) { $0 + $1.0.pinball / $1.1 } / n,
                          coverageMean: cov.reduce(0, +) / n, coverageMin: cov.min() ?? .nan, coverageMax: cov.max() ?? .nan,
                          seconds: runs.reduce(0) { $0 + $1.0.seconds },
                          intraday: meanIntraday(runs.compactMap(\.0.intraday)),
                          scenarios: meanScenarios(runs.compactMap { r in r.0.scenarios.map { ($0, r.1) } }))
        }
    }

    static func meanIntraday(_ runs: [[IntradayLead]]) -> [IntradayLead]? {
        guard let first = runs.first else { return nil }
        return first.map { lead in
            let same = runs.compactMap { $0.first { $0.leadHours == lead.leadHours } }
            let n = Double(same.count)
            return IntradayLead(leadHours: lead.leadHours, dayAheadMASE: same.reduce(0) { $0 + $1.dayAheadMASE } / n,
                                correctedMASE: same.reduce(0) { $0 + $1.correctedMASE } / n,
                                samples: same.reduce(0) { $0 + $1.samples },
                                timeConstantHours: same.reduce(0) { $0 + $1.timeConstantHours } / n)
        }
    }

    static func meanScenarios(_ runs: [(ScenarioScore, Double)]) -> ScenarioScore? {
        guard let first = runs.first?.0 else { return nil }
        let n = Double(runs.count)
        return ScenarioScore(samples: first.samples, days: runs.reduce(0) { $0 + $1.0.days },
                             copula: runs.reduce(0) { $0 + $1.0.copula / $1.1 } / n,
                             independent: runs.reduce(0) { $0 + $1.0.independent / $1.1 } / n,
                             ratio: runs.reduce(0) { $0 + $1.0.ratio } / n, shrinkage: runs.reduce(0) { $0 + $1.0.shrinkage } / n)
    }
}
