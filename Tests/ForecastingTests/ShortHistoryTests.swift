import DataFiles
import Foundation
@testable import Forecasting
import Testing

/// Models asked to forecast from less history than they need say so (an input error the
/// callers turn into exit 2) instead of trapping; `auto` leaves them out with a note.
@Suite("Too little history")
struct ShortHistoryTests {
    /// `hours` hourly values of a daily shape from 2024-01-01T00:00Z.
    func series(hours: Int, _ y: (Int) -> Double? = { 100 + 10 * sin(2 * .pi * Double($0 % 24) / 24) }) -> HourlySeries {
        HourlySeries(values: (0..<hours).map(y), start: 1_704_067_200,
                     localDay: (0..<hours).map { TimeParser.civil(fromDays: TimeParser.daysFromCivil(2024, 1, 1) + $0 / 24) },
                     localHour: (0..<hours).map { $0 % 24 }, drivers: [:])
    }

    /// Every model, fitted and forecast directly at origins from 0 to 10 days: no trap.
    @Test func everyModelFitsAtAnyOrigin() {
        let s = series(hours: 24 * 12)
        for name in ForecastModels.names {
            for origin in stride(from: 0, through: 24 * 10, by: 23) {
                var m = ForecastModels.make(name)!
                m.fit(s, origin: origin)
                #expect(m.forecast(s, origin: origin, horizon: 24).count == 24, "\(name) at \(origin)")
            }
        }
    }

    /// `forecast --model snaive_week` on 120 hourly rows: refused, naming the days needed.
    @Test func weeklyNaiveOnFiveDaysIsRefused() {
        do {
            _ = try Forecaster.run(SeasonalNaive(lag: 168), series(hours: 120), horizon: 24, futureDrivers: [:])
            Issue.record("expected InsufficientHistory")
        } catch {
            #expect(error.model == "snaive_week" && error.neededDays == 8 && error.availableHours == 120)
            #expect(error.description == "model 'snaive_week' needs at least 8 days of history before the forecast, the series has 5 days")
        }
        #expect(throws: InsufficientHistory.self) { try Forecaster.run(MLPForecaster(drivers: []), series(hours: 120), horizon: 24, futureDrivers: [:]) }
        #expect(throws: InsufficientHistory.self) { try Forecaster.run(EnsembleForecaster(drivers: []), series(hours: 20 * 24), horizon: 24, futureDrivers: [:]) }
        #expect(throws: Never.self) { try Forecaster.run(MLPForecaster(drivers: []), series(hours: 21 * 24), horizon: 24, futureDrivers: [:]) }
    }

    /// `auto` on five days: the models that need more are left out with a note, the daily
    /// naive forecasts (exactly, on a daily-periodic series).
    @Test func autoLeavesOutWhatCannotBeFitted() throws {
        let s = series(hours: 120)
        let r = try Forecaster.run(AutoForecaster(drivers: []), s, horizon: 24, futureDrivers: [:])
        #expect(r.model == "auto:snaive_day")
        #expect(r.notes.count == 2)
        #expect(r.notes[0].contains("mlp (needs 21)") && r.notes[0].contains("snaive_week (needs 8)") && r.notes[0].contains("(5 days)"))
        #expect(!r.notes[0].contains("snaive_day") && !r.notes[0].contains("pv_clearsky"))
        #expect(r.notes[1].contains("43 needed"))
        for (h, row) in r.rows.enumerated() { #expect(abs(row.p50 - s.values[h]!) < 1e-9) }
        // With every candidate's history there is nothing to say.
        let long = try Forecaster.run(AutoForecaster(drivers: []), series(hours: 24 * 50), horizon: 24, futureDrivers: [:])
        #expect(long.notes.isEmpty)
    }

    /// A backtest on 62 days: the first origin has two days before it, so the models that
    /// need more are refused and those that need less run.
    @Test func backtestOnSixtyTwoDays() throws {
        let b = try Backtest(series(hours: 62 * 24) { 100 + 10 * sin(2 * .pi * Double($0 % 24) / 24) + Double($0 / 24 % 3) })
        var day = SeasonalNaive(lag: 24)
        let naive = try b.run(&day)
        #expect(naive.scored == 60 * 24)
        for name in ["snaive_week", "holt_winters", "ridge", "ridge_unscaled", "mlp", "ensemble"] {
            var m = ForecastModels.make(name)!
            #expect(throws: InsufficientHistory.self, "\(name)") { try b.run(&m) }
        }
        var auto = AutoForecaster(drivers: [])
        #expect(try b.run(&auto).scored == 60 * 24)
    }

    /// 61 days, a constant series and an empty one each get the message that says why.
    @Test func backtestScaleMessagesSayWhy() {
        func message(_ s: HourlySeries) -> String {
            do { _ = try Backtest(s); return "" } catch let e as HistoryError { return e.message } catch { return "\(error)" }
        }
        #expect(message(series(hours: 61 * 24)).contains("the series has 61 complete days; the backtest needs at least 62"))
        #expect(message(series(hours: 70 * 24) { _ in 5 }).contains("repeats itself exactly"))
        #expect(message(series(hours: 70 * 24) { $0 < 10 * 24 ? nil : Double($0) }).contains("has a value both at it and 24 hours earlier"))
    }
}
