import Forecasting
import FlexDispatch
import Foundation
@testable import ParkModel
import Testing

/// A model of one's own, added to a `ForecastCatalog`, forecasts the series a scenario
/// names it for, exactly as the built-in ones do.
@Suite("Forecasting models added by an integrator")
struct ForecastCatalogTests {
    /// Forecasts the mean of the last 24 hours before the origin, flat, with a ±10 % band.
    struct LastDayMean: ForecastModel {
        var name: String { "last_day_mean" }
        var level = 0.0
        mutating func fit(_ s: HourlySeries, origin: Int) {
            let day = s.values[max(0, origin - 24)..<origin].compactMap { $0 }
            level = day.reduce(0, +) / Double(max(1, day.count))
        }
        func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
            [(p10: Double, p50: Double, p90: Double)](repeating: (0.9 * level, level, 1.1 * level), count: horizon)
        }
    }

    typealias F = ScenarioForecastTests

    @Test func aScenarioNamesAnAddedModelAndGetsItsForecast() throws {
        let dir = try F.folder(json: F.scenario(forecast: #"{"model": "last_day_mean"}"#), csv: F.timeseries(load: nil),
                               history: F.history(days: 14))
        var catalog = ForecastCatalog()
        catalog.add("last_day_mean") { _ in LastDayMean() }
        let s = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster(models: catalog))
        let f = try #require(s.forecasts.first)
        #expect(f.model == "last_day_mean")
        // The history's last day is the sine on 100 kW sampled every quarter-hour: its mean is 100.
        let mean = (0..<96).map(F.shape).reduce(0, +) / 96
        #expect(abs(mean - 100) < 1e-9)
        for k in 0..<96 { #expect(abs(s.firms[0].load[k] - mean) < 1e-9, "step \(k)") }
        #expect(abs(f.p90[0] - 1.1 * mean) < 1e-9)
        // Without the model in the catalog the scenario is an input error naming the choices.
        let m = F.messages(dir)
        #expect(m.contains { $0.contains("unknown model 'last_day_mean'") && $0.contains("snaive_day") }, "\(m)")
    }

    @Test func anAddedModelReplacesABuiltInOfTheSameName() throws {
        var catalog = ForecastCatalog()
        #expect(catalog.names == ForecastModels.names)
        catalog.add("snaive_day") { _ in LastDayMean() }
        catalog.add("mine") { _ in LastDayMean() }
        #expect(catalog.names == ForecastModels.names.filter { $0 != "snaive_day" } + ["snaive_day", "mine"])
        #expect(catalog.make("snaive_day")?.name == "last_day_mean")
        #expect(catalog.make("holt_winters")?.name == "holt_winters")
        #expect(catalog.make("nothing") == nil)
    }
}
