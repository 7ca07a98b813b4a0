@testable import FlexDispatch
import Forecasting
import Foundation
@testable import ParkModel
import Testing

/// A re-plan's forecaster corrects each forecast that has realised values from the
/// origin's step on, names the update, and leaves forecasts without actuals alone.
@Suite("Application layer: intraday forecasts for a re-plan")
struct IntradayForecasterTests {
    struct Fixed: SeriesForecaster {
        func forecast(_ request: ForecastRequest) -> ForecastResponse {
            let flat = [Double](repeating: 100, count: request.steps)
            return ForecastResponse(forecasts: [
                SeriesForecast(series: "load", role: "load", model: "ridge", historyFile: "h.csv", historyHours: 48,
                               p10: flat.map { $0 - 10 }, p50: flat, p90: flat.map { $0 + 10 },
                               actual: (0..<request.steps).map { $0 < 4 ? 120 : 0 }),
                SeriesForecast(series: "pv", role: "profile", model: "snaive_day", historyFile: "h.csv", historyHours: 48,
                               p10: flat.map { _ in 0.2 }, p50: flat.map { _ in 0.5 }, p90: flat.map { _ in 0.8 }, actual: nil),
            ])
        }
    }

    @Test func forecastsWithActualsAreCorrectedFromTheOrigin() throws {
        let start = Date(timeIntervalSince1970: 1_748_736_000)
        let request = ForecastRequest(directory: "/tmp", series: [("load", "load"), ("pv", "profile")], historyFolder: "history",
                                      hasHistory: true, model: "auto", models: [:], drivers: [:], start: start, stepMinutes: 15,
                                      steps: 12, columns: [:])
        let origin = start.addingTimeInterval(4 * 900 + 60)
        let response = IntradayForecaster(base: Fixed(), origin: .instant(origin), correction: nil).forecast(request)
        let load = try #require(response.forecasts.first { $0.series == "load" })
        let pv = try #require(response.forecasts.first { $0.series == "pv" })
        // Errors of +20 over the last hour (steps 0–3); the later zeros are not read.
        #expect(Array(load.p50.prefix(4)) == [100, 100, 100, 100])
        for t in 4..<12 {
            let shift = 20 * exp(-Double(t - 3) / 8)
            #expect(abs(load.p50[t] - (100 + shift)) <= 1e-9 && abs(load.p90[t] - (110 + shift)) <= 1e-9)
        }
        #expect(load.model == "ridge+intraday" && load.notes.contains { $0.contains("step 4") } && load.dayAheadP50 == [Double](repeating: 100, count: 12))
        // The same step given as a step (as a replay does) gives the same forecast.
        let byStep = IntradayForecaster(base: Fixed(), origin: .step(4), correction: nil).forecast(request)
        #expect(byStep.forecasts.first { $0.series == "load" }?.p50 == load.p50)
        #expect(pv.model == "snaive_day" && pv.p50.allSatisfy { $0 == 0.5 })
        // An origin in the first step has nothing measured before it.
        let early = IntradayForecaster(base: Fixed(), origin: .instant(start), correction: nil).forecast(request)
        #expect(early.forecasts.first?.p50.allSatisfy { $0 == 100 } == true)
    }
}
