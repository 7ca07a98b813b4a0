import DataFiles
import Foundation
@testable import Forecasting
import TestSupport
import Testing

@Suite("Backtest windows, intraday updates and scenarios")
struct BacktestWindowsTests {
    /// Hourly series from 2024-01-01 (UTC) of y(t).
    func series(days: Int, drivers: [String: (Int) -> Double] = [:], _ y: (Int) -> Double) throws -> HourlySeries {
        let names = drivers.keys.sorted()
        var rows = [(["time", "y"] + names).joined(separator: ",")]
        for t in 0..<(days * 24) {
            let day = TimeParser.civil(fromDays: TimeParser.daysFromCivil(2024, 1, 1) + t / 24)
            rows.append(String(format: "%@T%02d:00Z,%.9f", day, t % 24, y(t)) + names.map { String(format: ",%.9f", drivers[$0]!(t)) }.joined())
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-win-\(UUID().uuidString).csv").path
        try rows.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try HistoryReader.read(path: path, column: "y")
    }

    func date(_ day: Int) -> String { TimeParser.civil(fromDays: TimeParser.daysFromCivil(2024, 1, 1) + day) }

    /// 300 days, 60-day windows after at least 60 days of history: the last ends on day 299
    /// and the earliest possible on day 119 (its first test day is day 60).
    @Test func windowsArePlacedBackFromTheLastDay() throws {
        let s = try series(days: 300) { t in Double(t % 24 + t / 24 % 7) }
        #expect(try Backtest.windowEnds(s, count: nil) == [119, 149, 179, 209, 239, 269, 299].map(date))
        #expect(try Backtest.windowEnds(s, count: 3) == [119, 209, 299].map(date))
        #expect(try Backtest.windowEnds(s, count: 1) == [date(299)])
        #expect(try Backtest.windowEnds(s, count: nil, spacingDays: 100) == [199, 299].map(date))
        #expect(try Backtest.windowEnds(s, count: nil, minimumTrainingDays: 200) == [269, 299].map(date))
        #expect(throws: HistoryError.self) { try Backtest.windowEnds(s, count: nil, minimumTrainingDays: 250) }
        #expect(throws: HistoryError.self) { try Backtest.windowEnds(s, count: 0) }
        let b = try Backtest(s, testEnd: date(119))
        #expect(b.days.first?.date == date(60) && b.days.count == 60)
    }

    @Test func spreadIsTheMeanAndSampleDeviationOverWindows() {
        func score(_ model: String, _ mase: Double, _ cov: Double) -> Backtest.Score {
            Backtest.Score(model: model, mae: mase, rmse: mase, mase: mase, pinball: 2 * mase, coverage80: cov, seconds: 1, scored: 24)
        }
        let s = Backtest.spread([[score("a", 0.4, 0.7), score("b", 1, 0.8)], [score("a", 0.6, 0.9)], [score("a", 0.8, 0.8)]],
                                scales: [1, 2, 4])
        #expect(s.map(\.model) == ["a", "b"] && s.map(\.windows) == [3, 1])
        #expect(abs(s[0].maseMean - 0.6) < 1e-12 && abs(s[0].maseSD - 0.2) < 1e-12)
        #expect(s[0].maseMin == 0.4 && s[0].maseMax == 0.8 && abs(s[0].coverageMean - 0.8) < 1e-12)
        #expect(abs(s[0].scaledPinballMean - (0.8 / 1 + 1.2 / 2 + 1.6 / 4) / 3) < 1e-12 && s[0].seconds == 3)
        #expect(s[1].maseSD == 0)
    }

    /// Knows the daily shape exactly, nothing of the day's level; intervals ±z₀.₉·σ.
    struct Shape: ForecastModel {
        var sigma: Double
        var name: String { "shape" }
        mutating func fit(_ series: HourlySeries, origin: Int) {}
        static func shape(_ hour: Int) -> Double { 100 + 20 * sin(2 * .pi * Double(hour) / 24) }
        func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
            (0..<horizon).map { h in
                let p = Self.shape(s.localHour[origin + h])
                return (p - QuantileMarginal.z90 * sigma, p, p + QuantileMarginal.z90 * sigma)
            }
        }
    }

    /// Each day has a level of its own (a shift the day-ahead forecast cannot know): the
    /// intraday update learns it from the first hour, so at lead ℓ hours the corrected error
    /// is the day-ahead error times 1 − exp(−ℓ/τ), exactly.
    @Test func intradayUpdateByLeadOnAKnownShift() throws {
        var rng = SeededGenerator(seed: 3)
        let levels = (0..<130).map { _ in Double.random(in: -10...10, using: &rng) }
        let s = try series(days: 130) { t in Shape.shape(t % 24) + levels[t / 24] }
        var options = Backtest.Options()
        options.intradayLeads = 6
        var model = Shape(sigma: 5)
        let r = try Backtest(s).run(&model, options: options)
        let leads = try #require(r.intraday)
        #expect(leads.map(\.leadHours) == Array(1...6))
        for l in leads {
            #expect(abs(l.correctedMASE / l.dayAheadMASE - (1 - exp(-Double(l.leadHours) / 2))) < 1e-9)
            #expect(l.samples == 60 * (24 - l.leadHours))
        }
    }

    /// Errors that persist through the day (one level per day) are what a copula learns:
    /// its scenarios score better than independent draws from the same marginals (the energy
    /// score is known to be weakly sensitive to dependence: for this case, in the limit of many
    /// draws, about 0.94 of the independent draws' score by a hand estimate, 0.87 measured).
    /// Errors independent from hour to hour give the copula nothing to learn: the scores
    /// agree, and the shrinkage goes towards independence.
    @Test func copulaScenariosBeatIndependentDrawsOnPersistentErrors() throws {
        var rng = SeededGenerator(seed: 11)
        let normals = GaussianCopula.standardNormals(130 * 24 + 130, using: &rng)
        let persistent = try series(days: 130) { t in Shape.shape(t % 24) + 5 * normals[t / 24] }
        let white = try series(days: 130) { t in Shape.shape(t % 24) + 5 * normals[130 + t] }
        var options = Backtest.Options()
        options.scenarioSamples = 60
        var model = Shape(sigma: 5)
        let p = try #require(try Backtest(persistent).run(&model, options: options).scenarios)
        let w = try #require(try Backtest(white).run(&model, options: options).scenarios)
        #expect(p.days == 60 && p.samples == 60)
        #expect(p.ratio < 0.92 && p.shrinkage < 0.01, "persistent: ratio \(p.ratio), shrinkage \(p.shrinkage)")
        #expect(abs(w.ratio - 1) < 0.03 && w.shrinkage > 0.5, "white: ratio \(w.ratio), shrinkage \(w.shrinkage)")
    }

    /// The scenarios' warm-up days keep the test days' refits where they were: the scores
    /// are those of the plain backtest.
    @Test func scenarioWarmUpLeavesTheScoresAlone() throws {
        var rng = SeededGenerator(seed: 5)
        let s = try series(days: 200) { t in 100 + 20 * sin(2 * .pi * Double(t % 24) / 24) + 3 * Double(t / 24 % 7) + Double.random(in: -4...4, using: &rng) }
        let b = try Backtest(s)
        var plain = RidgeForecaster(drivers: []), withScenarios = RidgeForecaster(drivers: [])
        var options = Backtest.Options()
        options.scenarioSamples = 20
        let a = try b.run(&plain), c = try b.run(&withScenarios, options: options)
        // Equal up to rounding: tests running beside this one may change OpenBLAS's thread
        // count between the two runs, and with it the order of a product's sums.
        #expect(abs(a.mase - c.mase) <= 1e-9 * a.mase && abs(a.coverage80 - c.coverage80) <= 1e-9 && a.scored == c.scored)
        #expect(b.warmUpDays(minimumHistoryDays: plain.minimumHistoryDays, upTo: 56).count == 56)
        #expect(c.scenarios?.days == 60)
    }
}

@Suite("Scenario copula")
struct ScenarioCopulaTests {
    @Test func marginalMatchesTheForecastQuantiles() throws {
        let m = QuantileMarginal(p10: 80, p50: 100, p90: 130)
        #expect(abs(m.value(atScore: -QuantileMarginal.z90) - 80) < 1e-9 && abs(m.value(atScore: QuantileMarginal.z90) - 130) < 1e-9)
        #expect(m.value(atScore: 0) == 100)
        for y in [70.0, 95, 100, 120, 150] { #expect(abs(m.value(atScore: try #require(m.score(of: y))) - y) < 1e-9) }
        let night = QuantileMarginal(p10: 0, p50: 0, p90: 0)
        #expect(night.score(of: 0) == nil && night.value(atScore: 2) == 0 && m.score(of: .nan) == nil)
    }

    /// For one step the energy score is the CRPS: scenarios {0, 2} against 1 give
    /// E|X − y| − ½E|X − X′| = 1 − ½ · 1 = 0.5; a perfect scenario scores 0.
    @Test func energyScoreByHand() {
        #expect(abs(EnergyScore.score([[0], [2]], observed: [1]) - 0.5) < 1e-12)
        #expect(EnergyScore.score([[1, 2, 3]], observed: [1, 2, 3]) == 0)
        // Missing observations leave the step out: only the first step counts here.
        #expect(abs(EnergyScore.score([[0, 100], [2, -50]], observed: [1, .nan]) - 0.5) < 1e-12)
    }

    /// Scores with a known correlation (an AR(1) in time with ρ = 0.8, and a second series
    /// that follows the first with correlation 0.9): the fitted copula finds both, with
    /// little shrinkage at 3000 days, and its draws have that correlation too.
    @Test func copulaRecoversAKnownCorrelation() throws {
        var rng = SplitMix64(seed: 9)
        var rows: [[Double]] = []
        for _ in 0..<3000 {
            let e = GaussianCopula.standardNormals(8, using: &rng)
            var a = [e[0]]
            for i in 1..<4 { a.append(0.8 * a[i - 1] + (1 - 0.64).squareRoot() * e[i]) }
            let b = (0..<4).map { 0.9 * a[$0] + (1 - 0.81).squareRoot() * e[4 + $0] }
            rows.append(a + b)
        }
        rows[0][2] = .nan   // a missing score is skipped pairwise
        let c = GaussianCopula.fit(rows, dimension: 8)
        #expect(c.shrinkage < 0.01)
        #expect(abs(c.correlation[1, 0] - 0.8) < 0.03 && abs(c.correlation[3, 0] - 0.512) < 0.04)
        #expect(abs(c.correlation[4, 0] - 0.9) < 0.02 && abs(c.correlation[7, 3] - 0.9) < 0.02)
        let draws = c.sample(count: 4000, using: &rng)
        let r10 = draws.reduce(0) { $0 + $1[1] * $1[0] } / 4000
        #expect(abs(r10 - c.correlation[1, 0]) < 0.04)
        // Too few days for a step: it stays independent.
        let sparse = GaussianCopula.fit(Array(rows.prefix(5)), dimension: 8)
        #expect(sparse.correlation == .identity(8))
    }
}
