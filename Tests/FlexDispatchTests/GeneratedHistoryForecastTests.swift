import FlexDispatch
import Foundation
import ParkModel
import TestSupport
import Testing

/// A generated park with a history: the history continues the profile library, and the
/// batch's forecasting stage forecasts every flagged series from it.
@Suite("Generated parks: history and forecasts")
struct GeneratedHistoryForecastTests {
    static let library = try? ProfileLibrary.load(
        path: SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path)

    /// The library's history rows continue its days without a seam, and a generated park
    /// with a history forecasts every firm load and its PV and wind from it.
    @Test func historyContinuesTheLibraryAndFeedsTheForecasts() throws {
        let library = try #require(Self.library)
        #expect(library.historyDays >= 28)
        let d = 5
        #expect(library.history("load_system", before: d, days: 1) == library.slice("load_system", day: d - 1, steps: 96))
        let h = try #require(library.history("pv_pu", before: 0, days: 2))
        #expect(Array(h.suffix(96)) == Array(try #require(library.historyColumns["pv_pu"]).suffix(96)))
        #expect(library.history("pv_pu", before: 0, days: library.historyDays + 1) == nil)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-genh-\(UUID().uuidString)").path
        try ScenarioGenerator(library: library, firms: 4, days: 1, seed: 3, name: "h", historyDays: 21).write(to: dir)
        let text = try String(contentsOfFile: dir + "/history/history.csv", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + 21 * 96)
        #expect(lines[1].hasPrefix("2025-05-11T00:00:00+08:00,") && lines.last!.hasPrefix("2025-05-31T23:45:00+08:00,"))
        let s = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster())
        #expect(Set(s.forecasts.map(\.series)) == ["pv_pu", "wind_pu", "f01_load", "f02_load", "f03_load", "f04_load"])
        #expect(s.forecasts.allSatisfy { $0.actual != nil && $0.historyHours == 21 * 24 && $0.model.hasPrefix("auto:") })
        let perfect = try ScenarioReader.read(directory: dir, forecastFlagged: false, forecaster: HistoryForecaster())
        #expect(perfect.forecasts.isEmpty)
        #expect(try DispatchRun.solve(s).status == .optimal)
    }
}
