import DataFiles
import Foundation
@testable import Forecasting
import TestSupport
import Testing

/// Quantile regression, interval calibration, the MLP and the PV model on series whose
/// answers are known.
@Suite("Forecast models: known answers")
struct ModelTests {
    /// Hourly rows (time, y, driver) from 2024-01-01 UTC.
    func history(days: Int, _ row: (Int) -> (y: Double, x: Double)) throws -> HourlySeries {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-model-\(UUID().uuidString).csv").path
        var lines = ["time,y,x"]
        for t in 0..<(days * 24) {
            let day = TimeParser.civil(fromDays: TimeParser.daysFromCivil(2024, 1, 1) + t / 24)
            let r = row(t)
            lines.append(String(format: "%@T%02d:00Z,%.9f,%.9f", day, t % 24, r.y, r.x))
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try HistoryReader.read(path: path, column: "y", drivers: ["x"])
    }

    func gaussian(_ rng: inout SeededGenerator) -> Double {
        let u1 = max(Double.random(in: 0..<1, using: &rng), 1e-12), u2 = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    @Test func quantileRegressionByLinearProgramming() throws {
        // Intercept only: the τ-quantiles of 1…5 are the order statistics.
        let ones = [[Double]](repeating: [1], count: 5), y = [4.0, 1, 5, 2, 3]
        #expect(abs(try #require(QuantileRegression.fit(ones, y, tau: 0.5))[0] - 3) < 1e-6)
        #expect(abs(try #require(QuantileRegression.fit(ones, y, tau: 0.1))[0] - 1) < 1e-6)
        #expect(abs(try #require(QuantileRegression.fit(ones, y, tau: 0.9))[0] - 5) < 1e-6)
        // An exact line is every quantile.
        let rows = (0..<20).map { [1, Double($0)] }
        let beta = try #require(QuantileRegression.fit(rows, rows.map { 1 + 2 * $0[1] }, tau: 0.3))
        #expect(abs(beta[0] - 1) < 1e-6 && abs(beta[1] - 2) < 1e-6)
        // About τ·n points lie below the fitted τ-quantile line.
        var rng = SeededGenerator(seed: 5)
        let noisy = rows.indices.map { 1 + 2 * rows[$0][1] + gaussian(&rng) }
        let b9 = try #require(QuantileRegression.fit(rows, noisy, tau: 0.9))
        let below = rows.indices.filter { noisy[$0] <= b9[0] + b9[1] * rows[$0][1] + 1e-9 }.count
        #expect((17...19).contains(below), "\(below) of 20 below the 0.9 line")
        // Two equal terms (the dual's rows depend on each other) and fewer rows than terms:
        // still a fit whose line is the median.
        let twins = (0..<20).map { [1, Double($0), Double($0)] }
        let split = try #require(QuantileRegression.fit(twins, twins.map { 1 + 2 * $0[1] }, tau: 0.5))
        #expect(abs(split[0] - 1) < 1e-6 && abs(split[1] + split[2] - 2) < 1e-6, "\(split)")
        let few = try #require(QuantileRegression.fit([[1, 0, 2], [1, 1, 0]], [1, 3], tau: 0.5))
        #expect(abs(few[0] + 2 * few[2] - 1) < 1e-6 && abs(few[0] + few[1] - 3) < 1e-6, "\(few)")
    }

    /// Errors proportional to the level: the calibrated interval is about 2·1.28σ·level
    /// wide, vanishes where the level is 0, and covers about 80 % of fresh errors.
    @Test func calibratedIntervalsScaleWithTheLevel() {
        var rng = SeededGenerator(seed: 9)
        var p50: [Double] = [], hours: [Int] = [], actual: [Double] = []
        for k in 0..<2000 {
            let level = Double(k % 11) * 10
            p50.append(level); hours.append(k % 24); actual.append(level + 0.1 * level * gaussian(&rng))
        }
        var c = IntervalCalibration()
        c.fit(p50: p50, hours: hours, actual: actual)
        let night = c.interval(p50: 0, hour: 2), noon = c.interval(p50: 100, hour: 12)
        #expect(night.p90 - night.p10 < 0.5)
        #expect(abs((noon.p90 - noon.p10) - 2 * 1.2816 * 10) < 3, "width \(noon.p90 - noon.p10)")
        var covered = 0
        for k in 0..<2000 {
            let level = Double(k % 11) * 10, y = level + 0.1 * level * gaussian(&rng)
            let r = c.interval(p50: level, hour: k % 24)
            if y >= r.p10 && y <= r.p90 { covered += 1 }
        }
        #expect(abs(Double(covered) / 2000 - 0.8) < 0.05)
    }

    /// y = daily shape + 40·max(0, x − 15): the hinge is beyond a linear model in x; the
    /// network learns it, and so does ridge with its driver terms (hinges at knots across
    /// x's range). Same seed, same forecasts.
    @Test func mlpLearnsANonlinearDriverAndIsDeterministic() throws {
        var rng = SeededGenerator(seed: 3)
        let s = try history(days: 120) { t in
            let x = 15 + 10 * sin(Double(t) / 29) + 2 * gaussian(&rng)
            return (100 + 20 * sin(2 * .pi * Double(t % 24) / 24) + 40 * max(0, x - 15), x)
        }
        let origin = s.count - 24 * 7
        var mlp = MLPForecaster(drivers: ["x"])
        mlp.maxEpochs = 15
        var ridge = RidgeForecaster(drivers: ["x"])
        ridge.driverTerms = false
        var hinged = RidgeForecaster(drivers: ["x"])
        mlp.fit(s, origin: origin)
        ridge.fit(s, origin: origin)
        hinged.fit(s, origin: origin)
        func mae(_ m: some ForecastModel) -> Double {
            var sum = 0.0
            for d in 0..<7 {
                let f = m.forecast(s, origin: origin + 24 * d, horizon: 24)
                for h in 0..<24 { sum += abs(f[h].p50 - s.values[origin + 24 * d + h]!) }
            }
            return sum / (7 * 24)
        }
        let m = mae(mlp), r = mae(ridge), h = mae(hinged)
        #expect(m < 0.6 * r, "MLP MAE \(m) vs linear ridge \(r)")
        #expect(h < 0.3 * r, "ridge with driver terms \(h) vs linear ridge \(r)")
        var again = MLPForecaster(drivers: ["x"])
        again.maxEpochs = 15
        again.fit(s, origin: origin)
        #expect(again.forecast(s, origin: origin, horizon: 24).map(\.p50) == mlp.forecast(s, origin: origin, horizon: 24).map(\.p50))
    }

    /// The ensemble's quantiles are its members' weighted means, member by member, with the
    /// weights of their held-out errors.
    @Test func ensembleIsTheWeightedMeanOfItsMembers() throws {
        var rng = SeededGenerator(seed: 4)
        let s = try history(days: 60) { t in (50 + 10 * sin(2 * .pi * Double(t % 24) / 24) + gaussian(&rng), 0) }
        let origin = s.count - 24
        var e = EnsembleForecaster(drivers: [])
        e.fit(s, origin: origin)
        var r = RidgeForecaster(drivers: []), m = MLPForecaster(drivers: []), h = DoubleSeasonalHoltWinters()
        r.fit(s, origin: origin); m.fit(s, origin: origin); h.fit(s, origin: origin)
        let fe = e.forecast(s, origin: origin, horizon: 24)
        let fr = r.forecast(s, origin: origin, horizon: 24), fm = m.forecast(s, origin: origin, horizon: 24)
        let fh = h.forecast(s, origin: origin, horizon: 24)
        let errors = [r.heldOutMAE, m.heldOutMAE, h.heldOutMAE]
        let w = EnsembleForecaster.weights(errors, active: EnsembleForecaster.admitted(errors, admission: e.admission))
        #expect(errors.allSatisfy { $0 != nil } && abs(w.reduce(0, +) - 1) < 1e-12 && Set(w).count > 1, "\(errors) → \(w)")
        for k in 0..<24 {
            #expect(abs(fe[k].p50 - (w[0] * fr[k].p50 + w[1] * fm[k].p50 + w[2] * fh[k].p50)) < 1e-9)
            #expect(abs(fe[k].p90 - (w[0] * fr[k].p90 + w[1] * fm[k].p90 + w[2] * fh[k].p90)) < 1e-9)
            #expect(abs(fe[k].p10 - (w[0] * fr[k].p10 + w[1] * fm[k].p10 + w[2] * fh[k].p10)) < 1e-9)
        }
    }

    /// PV = 3 × irradiance one hour later than the weather file's clock, zero at night, and
    /// three days of snow cover (power 0 under sunshine): pv_clearsky is exact on clean
    /// days, forecasts 0 with a zero-width interval at night, and carries the snow over.
    @Test func pvClearSkyModel() throws {
        func bell(_ h: Int) -> Double { h >= 6 && h <= 18 ? sin(Double.pi * Double(h - 6) / 12) * 800 : 0 }
        let s = try history(days: 70) { t in
            let cloud = 0.6 + 0.4 * abs(sin(Double(t / 24) * 1.7))
            let day = t / 24
            let snow = (66...68).contains(day)
            return (snow ? 0 : 3 * bell((t + 1) % 24) * cloud, bell(t % 24) * cloud)
        }
        var pv = PVForecaster(drivers: ["x"])
        let clean = s.count - 24 * 6
        pv.fit(s, origin: clean)
        let f = pv.forecast(s, origin: clean, horizon: 24)
        for h in 0..<24 {
            let y = s.values[clean + h]!
            #expect(abs(f[h].p50 - y) < 0.02 * 2400 + 1e-6, "hour \(h): \(f[h].p50) vs \(y)")
            if y == 0 && bell((h + 1) % 24) == 0 { #expect(f[h].p10 == 0 && f[h].p90 == 0) }
        }
        // Snow from day 66: the forecast of day 68 follows the zero power of day 67.
        let snowy = 68 * 24
        pv.fit(s, origin: snowy)
        let g = pv.forecast(s, origin: snowy, horizon: 24)
        let forecastEnergy: Double = g.map(\.p50).reduce(0, +)
        var clearEnergy = 0.0
        for h in 0..<24 { clearEnergy += 3 * bell((h + 1) % 24) }
        #expect(forecastEnergy < 0.2 * clearEnergy, "\(forecastEnergy) vs clear \(clearEnergy)")
    }

    /// The plant loses a third of its output on day 60 (strings cut off): at an origin on day
    /// 85 the held-out week (days 78–84) is better explained by a regression fitted on the 30
    /// days before it (days 48–77, mostly the new plant) than on 60 (mostly the old), so the
    /// refit uses 30 days. A third lost on days 50–69 only, then repaired: the 30 days before
    /// the week are mostly the fault, the 60 mostly the plant as it is, so 60. With 5 days of
    /// history (no week to hold out) the refit keeps 60 and forecasts.
    @Test func pvRegressionWindowFollowsAChangeInThePlant() throws {
        func bell(_ h: Int) -> Double { h >= 6 && h <= 18 ? sin(Double.pi * Double(h - 6) / 12) * 800 : 0 }
        func series(days: Int = 90, lowered: Range<Int>? = nil) throws -> HourlySeries {
            try history(days: days) { t in
                let cloud = 0.6 + 0.4 * abs(sin(Double(t / 24) * 1.7))
                let gain = lowered?.contains(t / 24) == true ? 2.0 : 3.0
                return (gain * bell(t % 24) * cloud, bell(t % 24) * cloud)
            }
        }
        var pv = PVForecaster(drivers: ["x"])
        pv.fit(try series(lowered: 60..<90), origin: 85 * 24)
        #expect(pv.regressionDays == 30)
        var repaired = PVForecaster(drivers: ["x"])
        repaired.fit(try series(lowered: 50..<70), origin: 85 * 24)
        #expect(repaired.regressionDays == 60)
        let short = try series(days: 5)
        var young = PVForecaster(drivers: ["x"])
        young.fit(short, origin: 4 * 24)
        #expect(young.regressionDays == 60)
        #expect(young.forecast(short, origin: 4 * 24, horizon: 24).allSatisfy { $0.p50.isFinite && $0.p50 >= 0 })
        // Without a change either window fits exactly.
        let same = try series()
        var steady = PVForecaster(drivers: ["x"])
        steady.fit(same, origin: 85 * 24)
        for (h, f) in steady.forecast(same, origin: 85 * 24, horizon: 24).enumerated() {
            #expect(abs(f.p50 - same.values[85 * 24 + h]!) < 0.02 * 2400, "hour \(h)")
        }
    }

    /// Holt–Winters' states taken on the way through one pass equal those of a pass that
    /// stops at each origin, and the parameter grid filtered at once gives each triple's own
    /// error sum.
    @Test func holtWintersSnapshotsEqualSeparatePasses() throws {
        var rng = SeededGenerator(seed: 3)
        let s = try history(days: 40) { t in
            (y: 10 + sin(Double(t % 24) / 24 * 2 * .pi) * 3 + Double(t % 168) / 50 + gaussian(&rng), x: 0)
        }
        let model = DoubleSeasonalHoltWinters()
        let origins = [16 * 24, 30 * 24, 39 * 24]
        var states: [Int: DoubleSeasonalHoltWinters.State] = [:]
        let whole = try #require(model.filter(s, from: 0, to: 40 * 24, 0.05, 0.1, 0.2, snapshots: origins) { states[$0] = $1 })
        for o in origins {
            let (alone, _) = try #require(model.filter(s, from: 0, to: o, 0.05, 0.1, 0.2))
            let taken = try #require(states[o])
            #expect(taken.level == alone.level && taken.daily == alone.daily && taken.weekly == alone.weekly, "origin \(o)")
        }
        let (end, sse) = try #require(model.filter(s, from: 0, to: 40 * 24, 0.05, 0.1, 0.2))
        #expect(whole.0.level == end.level && whole.1 == sse && sse > 0)
        // With missing values (a series built directly: nil hours), against the filter as a
        // plain loop with the seasonal slots by remainder.
        let values: [Double?] = (0..<(30 * 24)).map { (t: Int) -> Double? in
            guard t % 37 != 5 else { return nil }
            let hour = Double(t % 24), week = Double(t % 168)
            return 10 + hour + week / 40
        }
        let gaps = HourlySeries(values: values, start: 0, localDay: (0..<(30 * 24)).map { "d\($0 / 24)" },
                                localHour: (0..<(30 * 24)).map { $0 % 24 }, drivers: [:])
        let begin = try #require(model.initial(gaps, from: 0))
        var level = begin.level, daily = begin.daily, weekly = begin.weekly, plain = 0.0
        for t in 0..<(30 * 24) {
            guard let y = values[t] else { continue }
            let e = y - (level + daily[t % 24] + weekly[t % 168])
            if t >= 336 { plain += e * e }
            level += 0.02 * e; daily[t % 24] += 0.1 * e; weekly[t % 168] += 0.4 * e
        }
        let (gapState, gapSSE) = try #require(model.filter(gaps, from: 0, to: 30 * 24, 0.02, 0.1, 0.4))
        #expect(gapSSE == plain && gapState.level == level && gapState.daily == daily && gapState.weekly == weekly)
        let gapGrid = try #require(model.squaredErrors(gaps, from: 0, to: 30 * 24, DoubleSeasonalHoltWinters.grid))
        #expect(gapGrid[DoubleSeasonalHoltWinters.grid.firstIndex { $0 == (0.02, 0.1, 0.4) }!] == plain)
        #expect(model.filter(gaps, from: 0, to: 30 * 24 + 1, 0.02, 0.1, 0.4) == nil)
        // The grid filtered in one pass: each triple's error sum equals its own pass's.
        let together = try #require(model.squaredErrors(s, from: 0, to: 40 * 24, DoubleSeasonalHoltWinters.grid))
        #expect(together.count == 80)
        for (c, (a, dl, om)) in DoubleSeasonalHoltWinters.grid.enumerated() {
            let (_, alone) = try #require(model.filter(s, from: 0, to: 40 * 24, a, dl, om))
            #expect(together[c] == alone, "α \(a), δ \(dl), ω \(om)")
        }
    }
}
