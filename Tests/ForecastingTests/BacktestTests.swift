import DataFiles
import Foundation
@testable import Forecasting
import TestSupport
import Testing

@Suite("Forecast backtest protocol")
struct BacktestTests {
    func writeCSV(_ rows: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-hist-\(UUID().uuidString).csv").path
        try (["time,y"] + rows).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Hourly rows of y(t) for `days` days from 2024-01-01, with a given offset text.
    func series(days: Int, offset: String = "Z", _ y: (Int) -> Double) -> [String] {
        (0..<(days * 24)).map { t in
            let day = TimeParser.civil(fromDays: TimeParser.daysFromCivil(2024, 1, 1) + t / 24)
            return String(format: "%@T%02d:00%@,%.6f", day, t % 24, offset, y(t))
        }
    }

    @Test func timestampsWithAndWithoutOffsets() throws {
        let z = try #require(TimeParser.parse("2024-03-01T10:00Z"))
        let plus = try #require(TimeParser.parse("2024-03-01T18:00:00+08:00"))
        let compact = try #require(TimeParser.parse("2024-03-01T03:00-0700"))
        let bare = try #require(TimeParser.parse("2024-03-01T10:00"))
        #expect(z.instant == plus.instant && z.instant == compact.instant && bare.instant == z.instant)
        #expect(plus.wallDate == "2024-03-01" && plus.wallMinutes == 18 * 60)
        #expect(TimeParser.parse("2024-13-01T10:00") == nil && TimeParser.parse("yesterday") == nil)
        #expect(TimeParser.civil(fromDays: TimeParser.daysFromCivil(2016, 2, 29)) == "2016-02-29")
    }

    @Test func badHistoriesNameTheLine() throws {
        let dup = try writeCSV(["2024-01-01T00:00Z,1", "2024-01-01T00:00Z,2"])
        #expect(throws: HistoryError.self) { try HistoryReader.read(path: dup, column: "y") }
        let back = try writeCSV(["2024-01-01T01:00Z,1", "2024-01-01T00:00Z,2"])
        do { _ = try HistoryReader.read(path: back, column: "y"); Issue.record("expected an error") } catch let e as HistoryError {
            #expect(e.line == 3 && e.message.contains("backwards"))
        }
        let nan = try writeCSV(["2024-01-01T00:00Z,abc"])
        do { _ = try HistoryReader.read(path: nan, column: "y"); Issue.record("expected an error") } catch let e as HistoryError {
            #expect(e.line == 2 && e.message.contains("'abc'"))
        }
        #expect(throws: HistoryError.self) { try HistoryReader.read(path: nan, column: "load") }
    }

    @Test func subHourlyDataIsAveragedAndGapsStayMissing() throws {
        let p = try writeCSV(["2024-01-01T00:00Z,1", "2024-01-01T00:30Z,3", "2024-01-01T02:15Z,5"])
        let s = try HistoryReader.read(path: p, column: "y")
        #expect(s.count == 3)
        #expect(s.values[0] == 2 && s.values[1] == nil && s.values[2] == 5)
    }

    /// A weekly-periodic series: the weekly naive is exact, and the daily naive's MASE is
    /// its test error over its in-sample error (≈ 1 for a periodic series).
    @Test func seasonalNaiveOnAPeriodicSeries() throws {
        let rows = series(days: 120) { t in 100 + 20 * sin(2 * .pi * Double(t % 24) / 24) + (t / 24 % 7 >= 5 ? -30 : 0) }
        let b = try Backtest(try HistoryReader.read(path: writeCSV(rows), column: "y"))
        #expect(b.days.count == 60 && b.days.allSatisfy { $0.count == 24 })
        var week = SeasonalNaive(lag: 168), day = SeasonalNaive(lag: 24)
        let w = try b.run(&week), d = try b.run(&day)
        #expect(w.mae < 1e-9 && w.scored == 1440)
        #expect(abs(d.mase - 1) < 0.2)
        #expect(w.coverage80 == 1)
    }

    /// A model that tries to read the target day sees nothing: the backtest hides every
    /// value at or after the origin.
    @Test func leakageIsImpossible() throws {
        struct Peeker: ForecastModel {
            var name: String { "peeker" }
            mutating func fit(_ series: HourlySeries, origin: Int) {}
            func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
                (0..<horizon).map { h in let v = s.values[origin + h] ?? -1e9; return (v, v, v) }
            }
        }
        let rows = series(days: 80) { t in Double(t % 24 + t / 24 % 7) }
        let b = try Backtest(try HistoryReader.read(path: writeCSV(rows), column: "y"))
        var p = Peeker()
        #expect(try b.run(&p).mae > 1e8)
    }

    @Test func testEndSelectsTheWindow() throws {
        let rows = series(days: 100) { t in Double(t % 24 + t / 24 % 7) }
        let b = try Backtest(try HistoryReader.read(path: writeCSV(rows), column: "y"), testEnd: "2024-03-31")
        #expect(b.days.last?.date == "2024-03-31" && b.days.count == 60)
        #expect(throws: HistoryError.self) { try Backtest(try HistoryReader.read(path: writeCSV(rows), column: "y"), testEnd: "2030-01-01") }
    }

    /// y = daily shape + 3·driver exactly: ridge on hour dummies and the driver recovers it.
    @Test func ridgeRecoversALinearRelation() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-ridge-\(UUID().uuidString).csv").path
        var rows = ["time,y,temp"]
        for t in 0..<(24 * 200) {
            let day = TimeParser.civil(fromDays: TimeParser.daysFromCivil(2024, 1, 1) + t / 24)
            let temp = 10 + 8 * sin(Double(t) / 37) + Double(t % 5)
            let y = 100 + 20 * sin(2 * .pi * Double(t % 24) / 24) + 3 * temp
            rows.append(String(format: "%@T%02d:00Z,%.6f,%.6f", day, t % 24, y, temp))
        }
        try rows.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let b = try Backtest(try HistoryReader.read(path: path, column: "y", drivers: ["temp"]))
        var ridge = RidgeForecaster(drivers: ["temp"])
        var naive = SeasonalNaive(lag: 24)
        let r = try b.run(&ridge), n = try b.run(&naive)
        #expect(r.mase < 0.05, "ridge MASE \(r.mase)")
        #expect(r.mae < 0.1 * n.mae)
    }

    /// Forecasting past the history: a weekly-periodic series is continued exactly by the
    /// weekly naive for two days, and the local clock rolls over midnight.
    @Test func forecastBeyondTheHistory() throws {
        let rows = series(days: 30) { t in Double(t % 24) + 10 * Double(t / 24 % 7) }
        let s = try HistoryReader.read(path: writeCSV(rows), column: "y")
        let f = try Forecaster.forecast(SeasonalNaive(lag: 168), s, horizon: 48)
        #expect(f.count == 48)
        for h in 0..<48 {
            let t = s.count + h
            #expect(abs(f[h].p50 - (Double(t % 24) + 10 * Double(t / 24 % 7))) < 1e-9)
        }
        #expect(TimeParser.nextDay("2024-02-29") == "2024-03-01" && TimeParser.nextDay("2023-12-31") == "2024-01-01")
    }

    /// Periodic signal plus Gaussian noise (seeded): the ridge interval [P10, P90] covers
    /// about 80 % of the test hours and its MAE is near the noise's σ·√(2/π).
    @Test func intervalsHaveTheRightCoverageOnKnownNoise() throws {
        var rng = SeededGenerator(seed: 42)
        func gauss() -> Double {
            let u1 = max(Double.random(in: 0..<1, using: &rng), 1e-12), u2 = Double.random(in: 0..<1, using: &rng)
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
        let rows = series(days: 240) { t in 100 + 20 * sin(2 * .pi * Double(t % 24) / 24) + 5 * Double(t / 24 % 7) + 4 * gauss() }
        let b = try Backtest(try HistoryReader.read(path: writeCSV(rows), column: "y"))
        var ridge = RidgeForecaster(drivers: [])
        let r = try b.run(&ridge)
        #expect(abs(r.coverage80 - 0.8) < 0.06, "coverage \(r.coverage80)")
        #expect(abs(r.mae - 4 * (2 / Double.pi).squareRoot()) < 0.6, "MAE \(r.mae)")
    }

    /// Central European times with their offsets, 2024-03-01 to 2024-11-30: the clock goes
    /// forward on 31 March (a 23-hour day) and back on 27 October (25 hours, 02:00 twice).
    /// The backtest scores all 25 hours of that day; every hour's day starts at its local
    /// midnight (not `t - localHour[t]`, which is an hour off after a change); and ridge,
    /// whose terms read the last value before the day, forecasts each of those hours from
    /// its terms: on a load that follows the local clock it is exact, where a lag-168
    /// fallback (the old behaviour after the repeated hour) was an hour out of step.
    @Test func daylightSavingDays() throws {
        let springUTC = (TimeParser.daysFromCivil(2024, 3, 31)) * 86400 + 3600       // 01:00Z
        let autumnUTC = (TimeParser.daysFromCivil(2024, 10, 27)) * 86400 + 3600
        let first = TimeParser.daysFromCivil(2024, 3, 1) * 86400 - 3600, last = TimeParser.daysFromCivil(2024, 12, 1) * 86400 - 3600
        var rows: [String] = []
        for utc in stride(from: first, to: last, by: 3600) {
            let offset = utc >= springUTC && utc < autumnUTC ? 7200 : 3600
            let local = utc + offset
            let day = TimeParser.civil(fromDays: local / 86400), hour = local % 86400 / 3600
            let weekday = (local / 86400 + 4) % 7   // 1970-01-01 was a Thursday
            let y = 100 + 20 * sin(2 * .pi * Double(hour) / 24) + (weekday == 0 || weekday == 6 ? -30 : 0)
            rows.append(String(format: "%@T%02d:00%@,%.6f", day, hour, offset == 7200 ? "+02:00" : "+01:00", y))
        }
        let s = try HistoryReader.read(path: writeCSV(rows), column: "y")
        let b = try Backtest(s, testEnd: "2024-11-29")
        let autumn = try #require(b.days.first { $0.date == "2024-10-27" })
        #expect(autumn.count == 25)
        #expect(try #require(b.days.first { $0.date == "2024-10-26" }).count == 24)
        for t in autumn.first..<(autumn.first + autumn.count) { #expect(s.dayStart[t] == autumn.first) }
        let spring = try #require(s.localDay.firstIndex(of: "2024-03-31"))
        #expect(s.localDay.lastIndex(of: "2024-03-31")! - spring + 1 == 23)
        for t in spring..<(spring + 23) { #expect(s.dayStart[t] == spring) }
        var cut = s
        cut.truncate(to: s.count + 5)
        #expect(cut.count == s.count)
        cut.truncate(to: spring + 5)
        #expect(cut.count == spring + 5 && cut.localDay.count == spring + 5 && cut.dayStart.count == spring + 5)
        cut.appendHour(value: nil, localDay: "2024-03-31", localHour: 7)
        #expect(cut.dayStart.last == spring)

        var ridge = RidgeForecaster(drivers: [])
        ridge.fit(b.truncated(at: autumn.first), origin: autumn.first)
        let visible = b.truncated(at: autumn.first)
        for t in autumn.first..<(autumn.first + autumn.count) {
            var x = SparseRow()
            #expect(ridge.features(visible, t, into: &x), "hour \(t - autumn.first) of the 25-hour day has no terms")
        }
        let f = ridge.forecast(visible, origin: autumn.first, horizon: autumn.count)
        let worst = (0..<autumn.count).map { abs(f[$0].p50 - s.values[autumn.first + $0]!) }.max()!
        // The absolute lags are an hour out of step with the clock on this day, so not quite
        // exact; the lag-168 fallback would be off by the load's change over an hour (≈ 5).
        let fallback = (0..<autumn.count).map { abs(s.values[autumn.first + $0 - 168]! - s.values[autumn.first + $0]!) }.max()!
        #expect(worst < 1.5 && fallback > 3, "largest error on the 25-hour day \(worst), lag-168 fallback \(fallback)")
    }

    /// Double-seasonal Holt–Winters follows a daily × weekly pattern on a slowly rising
    /// level (sine plus trend): its error is a small fraction of the daily naive's.
    @Test func holtWintersTracksSeasonsAndTrend() throws {
        let rows = series(days: 150) { t in
            50 + 0.01 * Double(t) + 20 * sin(2 * .pi * Double(t % 24) / 24) + (t / 24 % 7 >= 5 ? -15 : 0)
        }
        let b = try Backtest(try HistoryReader.read(path: writeCSV(rows), column: "y"))
        var hw = DoubleSeasonalHoltWinters(), naive = SeasonalNaive(lag: 24)
        let h = try b.run(&hw), n = try b.run(&naive)
        #expect(h.mae < 0.1 * n.mae, "Holt–Winters MAE \(h.mae) vs daily naive \(n.mae)")
    }

    /// `auto` chooses a model that is exact on a weekly-periodic series.
    @Test func autoPicksAnExactModel() throws {
        let rows = series(days: 120) { t in 100 + 20 * sin(2 * .pi * Double(t % 24) / 24) + (t / 24 % 7 >= 5 ? -30 : 0) }
        let b = try Backtest(try HistoryReader.read(path: writeCSV(rows), column: "y"))
        var auto = AutoForecaster(drivers: [])
        #expect(try b.run(&auto).mae < 1e-6)
        #expect(auto.choice != "snaive_day")
    }

    /// The peers' seasonal-naive scores (spec/forecast-peers.csv) are reproduced exactly:
    /// same test days, hourly aggregation and MASE scale.
    @Test(.requires("BacktestTests/peerSeasonalNaiveScoresAreReproduced", .shared("forecast series")), arguments: ["vic_elec", "uci_household"])
    func peerSeasonalNaiveScoresAreReproduced(name: String) throws {
        let root = try #require(SharedData.root)
        let s = try HistoryReader.read(path: root.appendingPathComponent("spec/forecast-series/\(name).csv").path, column: "y")
        let b = try Backtest(s)
        let peers = try String(contentsOf: root.appendingPathComponent("spec/forecast-peers.csv"), encoding: .utf8)
        for (model, lag) in [("snaive_day", 24), ("snaive_week", 168)] {
            let line = try #require(peers.split(whereSeparator: \.isNewline).first { $0.hasPrefix("\(name),") && $0.contains(",\(model),") })
            // The exog column may hold a quoted list with commas: read the numbers after the model name.
            let tail = line.components(separatedBy: ",\(model),")[1].split(separator: ",")
            let mae = try #require(Double(tail[1])), mase = try #require(Double(tail[3]))
            var m = SeasonalNaive(lag: lag)
            let score = try b.run(&m)
            #expect(abs(score.mae - mae) / mae < 1e-5, "\(name) \(model): MAE \(score.mae) vs \(mae)")
            #expect(abs(score.mase - mase) < 1e-5, "\(name) \(model): MASE \(score.mase) vs \(mase)")
        }
    }
}
