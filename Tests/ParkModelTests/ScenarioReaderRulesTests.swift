import Forecasting
import Foundation
import ParkModel
import TestSupport
import Testing

/// The reader's edges: rules about the file itself, forecasters that answer badly, and
/// errors reported once.
@Suite("Scenario reader: file rules and forecaster answers")
struct ScenarioReaderRulesTests {
    static let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny")

    /// datasets/tiny in a folder of its own, its scenario.json and time series edited.
    static func folder(json edit: (String) -> String = { $0 }, csv editCSV: (String) -> String = { $0 }) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let json = try String(contentsOf: tiny.appendingPathComponent("scenario.json"), encoding: .utf8)
        let csv = try String(contentsOf: tiny.appendingPathComponent("timeseries.csv"), encoding: .utf8)
        try edit(json).write(to: dir.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
        try editCSV(csv).write(to: dir.appendingPathComponent("timeseries.csv"), atomically: true, encoding: .utf8)
        return dir.path
    }

    static func messages(_ dir: String, forecaster: (any SeriesForecaster)? = nil) -> [String] {
        do { _ = try ScenarioReader.read(directory: dir, forecaster: forecaster); return [] } catch let e as ScenarioError {
            return e.messages
        } catch { return ["\(error)"] }
    }

    /// The spec: without carbonIntensity, carbonPricePerKg must be absent or null; a 0 is refused too.
    @Test func aCarbonPriceOfZeroWithoutIntensityIsRefused() throws {
        let dir = try Self.folder(json: { $0.replacingOccurrences(of: #""importMaxKW": 1000,"#, with: #""importMaxKW": 1000, "carbonPricePerKg": 0,"#) })
        #expect(Self.messages(dir) == ["park: field 'carbonPricePerKg' is given but 'carbonIntensity' is omitted"])
        let null = try Self.folder(json: { $0.replacingOccurrences(of: #""importMaxKW": 1000,"#, with: #""importMaxKW": 1000, "carbonPricePerKg": null,"#) })
        #expect(Self.messages(null).isEmpty)
    }

    /// A time series one row short is one error, not one per series and window.
    @Test func aWrongRowCountIsReportedOnce() throws {
        let dir = try Self.folder(csv: { csv in csv.split(separator: "\n").dropLast().joined(separator: "\n") + "\n" })
        #expect(Self.messages(dir) == ["timeseries: 3 data rows, the scenario has steps = 4"])
    }

    /// Answers a request with what `answer` makes of it.
    struct Forecaster: SeriesForecaster {
        let answer: @Sendable (ForecastRequest) -> ForecastResponse
        func forecast(_ request: ForecastRequest) -> ForecastResponse { answer(request) }
    }

    static func forecast(_ name: String, _ p50: [Double]) -> SeriesForecast {
        SeriesForecast(series: name, role: "load", model: "test", historyFile: "history/h.csv", historyHours: 48,
                       p10: p50, p50: p50, p90: p50, actual: nil)
    }

    /// The forecast object's PV sites reach the forecaster by series: a series' own site,
    /// else for a pv asset's profile the scenario's; a site out of range is an error naming
    /// its place.
    @Test func pvSitesReachTheForecaster() throws {
        let dropF2: (String) -> String = { csv in
            csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset != 4 }.map(\.element).joined(separator: ",") }.joined(separator: "\n") + "\n"
        }
        let settings = #""forecast": {"site": {"latitude": 39.74, "longitude": -105.18}, "#
            + #""sites": {"f2_load": {"latitude": 40.8, "longitude": 111.7, "tilt": 30, "azimuth": 180, "clockOffsetHours": 8}}},"#
        let dir = try Self.folder(json: { $0.replacingOccurrences(of: #""steps": 4,"#, with: #""steps": 4, "# + settings) }, csv: dropF2)
        let seen = Forecaster { request in
            #expect(request.sites["f2_load"] == SolarSite(latitude: 40.8, longitude: 111.7, tilt: 30, azimuth: 180, clockOffsetHours: 8))
            return ForecastResponse(forecasts: [Self.forecast("f2_load", [50, 50, 50, 50])])
        }
        _ = try ScenarioReader.read(directory: dir, forecaster: seen)
        // The scenario-wide site is for pv assets' profiles: a load does not get it.
        let loadOnly = try Self.folder(json: { $0.replacingOccurrences(of: #""steps": 4,"#,
                                                                         with: #""steps": 4, "forecast": {"site": {"latitude": 39.74, "longitude": -105.18}},"#) },
                                       csv: dropF2)
        let noSite = Forecaster { request in
            #expect(request.sites.isEmpty)
            return ForecastResponse(forecasts: [Self.forecast("f2_load", [50, 50, 50, 50])])
        }
        _ = try ScenarioReader.read(directory: loadOnly, forecaster: noSite)
        let bad = try Self.folder(json: { $0.replacingOccurrences(of: #""steps": 4,"#,
                                                                    with: #""steps": 4, "forecast": {"site": {"latitude": 95, "longitude": 0}},"#) },
                                  csv: dropF2)
        let any = Forecaster { _ in ForecastResponse(forecasts: [Self.forecast("f2_load", [50, 50, 50, 50])]) }
        #expect(Self.messages(bad, forecaster: any).contains("scenario.json forecast.site: latitude 95.0 is not within −90…90"))
    }

    /// A series left out of the time series goes to the forecaster; one it neither forecasts
    /// nor explains, or forecasts with a NaN, is an error naming the series, never a firm
    /// silently dropped.
    @Test func aForecasterThatAnswersBadlyIsAnInputError() throws {
        let dir = try Self.folder(json: { $0.replacingOccurrences(of: #""steps": 4,"#, with: #""steps": 4, "forecast": {},"#) }, csv: { csv in
            csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset != 4 }.map(\.element).joined(separator: ",") }.joined(separator: "\n") + "\n"
        })
        #expect(Self.messages(dir) == ["scenario.json: series 'f2_load' are to be forecast from the history, and no forecaster was given "
                                       + "(DailyBatch.read forecasts them)"])
        let silent = Forecaster { _ in ForecastResponse() }
        #expect(Self.messages(dir, forecaster: silent)
                == ["forecast: series 'f2_load' was asked of the forecaster, which gave neither a forecast nor a reason"])
        let nan = Forecaster { _ in ForecastResponse(forecasts: [Self.forecast("f2_load", [50, .nan, 50, 50])]) }
        #expect(Self.messages(dir, forecaster: nan).contains { $0.contains("the forecast of series 'f2_load'") })
        let good = Forecaster { request in
            #expect(request.series.map(\.name) == ["f2_load"] && request.steps == 4 && request.columns["f1_load"] == [100, 100, 100, 100])
            return ForecastResponse(forecasts: [Self.forecast("f2_load", [50, 50, 50, 50])])
        }
        let s = try ScenarioReader.read(directory: dir, forecaster: good)
        #expect(s.firms[1].load == [50, 50, 50, 50] && s.forecasts.map(\.model) == ["test"])
        // The same answer as the file's own column gives the tiny park's hand-computed optimum.
        #expect(abs(try #require(try DispatchRun.solve(s).objective) - 65) < 1e-5)
    }

    @Test func aHorizonOutOfRangeIsAnErrorBeforeAnythingIsBuilt() {
        for steps in [0, -3, 1_000_000_000] {
            #expect(throws: ScenarioError.self) {
                try Scenario(name: "x", currency: "EUR", start: Date(timeIntervalSince1970: 0), stepMinutes: 15, steps: steps,
                             park: Park(importMaxKW: 1, exportMaxKW: 1, importPrice: [], exportPrice: []), firms: [])
            }
        }
    }
}
