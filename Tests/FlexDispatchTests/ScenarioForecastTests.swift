import FlexDispatch
import Foundation
@testable import ParkModel
import TestSupport
import Testing

/// The scenario extension "forecast series": series missing from timeseries.csv or flagged
/// `"forecast": true` are forecast from the scenario's history/ folder.
@Suite("Scenario forecasts from a history folder")
struct ScenarioForecastTests {
    /// A one-firm park on 2025-03-15 (UTC+01:00), 96 quarter-hours, constant price 0.2.
    static func scenario(load: String = "f1_load", firmFlag: Bool = false, csvLoad: [Double]? = nil,
                         forecast: String? = #"{"model": "snaive_day"}"#, extraAsset: String = "") -> String {
        let flag = firmFlag ? #", "forecast": true"# : ""
        let block = forecast.map { #""forecast": \#($0),"# } ?? ""
        return """
        {"name": "fc", "currency": "EUR", "start": "2025-03-15T00:00:00+01:00", "stepMinutes": 15, "steps": 96,
         "timeseries": "timeseries.csv", \(block)
         "park": {"importMaxKW": 10000, "exportMaxKW": 0, "importPrice": "price", "exportPrice": "zero", "assets": [\(extraAsset)]},
         "firms": [{"id": "f1", "name": "Firm 1", "connectionKW": 10000, "load": "\(load)"\(flag), "assets": []}]}
        """
    }

    /// The load shape: a daily sine on 100 kW, sampled at quarter-hour starts.
    static func shape(_ quarter: Int) -> Double { 100 + 50 * sin(2 * Double.pi * Double(quarter % 96) / 96) }

    static func timeseries(load: [Double]?) -> String {
        var text = "time,price,zero" + (load == nil ? "" : ",f1_load") + "\n"
        for k in 0..<96 {
            text += String(format: "2025-03-15T%02d:%02d:00+01:00,0.2,0", k / 4, k % 4 * 15)
            if let load { text += ",\(load[k])" }
            text += "\n"
        }
        return text
    }

    /// `days` days of history ending at 2025-03-15 00:00 +01:00 (UTC timestamps).
    static func history(days: Int, column: String = "f1_load", endGapDays: Int = 0, duplicateAt: Int? = nil) -> String {
        var text = "time,\(column)\n"
        let end = Date(timeIntervalSince1970: 1_741_993_200 - Double(endGapDays * 86400))  // 2025-03-14T23:00Z
        let f = ISO8601DateFormatter()
        for k in 0..<(days * 96) {
            let t = end.addingTimeInterval(Double((k - days * 96) * 900))
            text += "\(f.string(from: t)),\(shape(k))\n"
            if k == duplicateAt { text += "\(f.string(from: t)),\(shape(k))\n" }
        }
        return text
    }

    static func folder(json: String, csv: String, history: String?) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-fc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try json.write(to: dir.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
        try csv.write(to: dir.appendingPathComponent("timeseries.csv"), atomically: true, encoding: .utf8)
        if let history {
            let h = dir.appendingPathComponent("history")
            try FileManager.default.createDirectory(at: h, withIntermediateDirectories: true)
            try history.write(to: h.appendingPathComponent("loads.csv"), atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    static func messages(_ dir: String) -> [String] {
        do { _ = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster()); return [] } catch let e as ScenarioError { return e.messages } catch {
            return ["\(error)"]
        }
    }

    /// Each quarter-hour gets the mean of its hour's four history values (the history is
    /// averaged to hours, the daily seasonal naive repeats yesterday's hours).
    static func expectedLoad(_ k: Int) -> Double { (0..<4).map { shape(k / 4 * 4 + $0) }.reduce(0, +) / 4 }

    @Test func missingSeriesIsForecastAndDispatched() throws {
        let dir = try Self.folder(json: Self.scenario(), csv: Self.timeseries(load: nil), history: Self.history(days: 14))
        let s = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster())
        let f = try #require(s.forecasts.first)
        #expect(s.forecasts.count == 1 && f.series == "f1_load" && f.model == "snaive_day" && f.role == "load")
        #expect(f.historyFile == "history/loads.csv" && f.historyHours == 14 * 24 && f.actual == nil)
        for k in 0..<96 { #expect(abs(s.firms[0].load[k] - Self.expectedLoad(k)) < 1e-9, "step \(k)") }
        #expect(f.p10.indices.allSatisfy { f.p10[$0] <= f.p50[$0] + 1e-12 && f.p50[$0] <= f.p90[$0] + 1e-12 })
        // The park imports exactly the forecast load: cost = 0.2 · Σ load · 0.25 h.
        let run = try DispatchRun.solve(s)
        let expected = (0..<96).reduce(0.0) { $0 + 0.2 * Self.expectedLoad($1) * 0.25 }
        #expect(abs(try #require(run.objective) - expected) < 1e-6 * expected)
    }

    @Test func flaggedSeriesReplacesTheCSVColumnUnlessActualsAreAsked() throws {
        let actual = (0..<96).map { Self.shape($0) + 7 }
        let dir = try Self.folder(json: Self.scenario(firmFlag: true), csv: Self.timeseries(load: actual),
                                  history: Self.history(days: 14))
        let s = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster())
        let f = try #require(s.forecasts.first)
        #expect(abs(s.firms[0].load[5] - Self.expectedLoad(5)) < 1e-9)
        #expect(f.actual?[5] == actual[5])
        let mae = (0..<96).reduce(0.0) { $0 + abs(actual[$1] - Self.expectedLoad($1)) } / 96
        #expect(abs(try #require(f.maeAgainstActual) - mae) < 1e-9)
        let perfect = try ScenarioReader.read(directory: dir, forecastFlagged: false, forecaster: HistoryForecaster())
        #expect(perfect.forecasts.isEmpty && perfect.firms[0].load == actual)
    }

    @Test func historyRunningPastTheStartIsCutAtTheStart() throws {
        // 15 days from 2025-02-28: the last day lies inside the horizon and must not leak.
        var text = Self.history(days: 14)
        let f = ISO8601DateFormatter()
        for k in 0..<96 { text += "\(f.string(from: Date(timeIntervalSince1970: 1_741_993_200 + Double(k * 900)))),9999\n" }
        let dir = try Self.folder(json: Self.scenario(), csv: Self.timeseries(load: nil), history: text)
        let s = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster())
        #expect(s.firms[0].load.allSatisfy { $0 < 200 })
        #expect(s.forecasts.first?.historyHours == 14 * 24)
    }

    @Test func aShortGapBeforeTheStartIsForecastThrough() throws {
        let dir = try Self.folder(json: Self.scenario(), csv: Self.timeseries(load: nil), history: Self.history(days: 14, endGapDays: 2))
        let s = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster())
        for k in 0..<96 { #expect(abs(s.firms[0].load[k] - Self.expectedLoad(k)) < 1e-9) }
    }

    @Test func inputErrorsNameTheFileTheLineAndTheSeries() throws {
        let noHistory = try Self.folder(json: Self.scenario(firmFlag: true), csv: Self.timeseries(load: (0..<96).map(Self.shape)),
                                        history: nil)
        #expect(Self.messages(noHistory).contains { $0.contains("'f1_load'") && $0.contains("no history folder") })

        let v1Missing = try Self.folder(json: Self.scenario(forecast: nil), csv: Self.timeseries(load: nil), history: nil)
        #expect(Self.messages(v1Missing).contains { $0.contains("'f1_load' is not a column") && $0.contains("no history/ folder") })

        let wrongColumn = try Self.folder(json: Self.scenario(), csv: Self.timeseries(load: nil),
                                          history: Self.history(days: 14, column: "other"))
        #expect(Self.messages(wrongColumn) == ["history/: series 'f1_load' (load) is to be forecast but no history file has a column 'f1_load'"])

        let duplicate = try Self.folder(json: Self.scenario(), csv: Self.timeseries(load: nil),
                                        history: Self.history(days: 14, duplicateAt: 10))
        #expect(Self.messages(duplicate).contains { $0.hasPrefix("history/loads.csv:13: duplicate time") })

        let short = try Self.folder(json: Self.scenario(), csv: Self.timeseries(load: nil), history: Self.history(days: 1))
        #expect(Self.messages(short).contains { $0.contains("24 hours of history before the start, at least 48") })

        let stale = try Self.folder(json: Self.scenario(), csv: Self.timeseries(load: nil), history: Self.history(days: 14, endGapDays: 9))
        #expect(Self.messages(stale).contains { $0.contains("ends 216 hours before the scenario start") })

        let badModel = try Self.folder(json: Self.scenario(forecast: #"{"model": "prophet"}"#), csv: Self.timeseries(load: nil),
                                       history: Self.history(days: 14))
        #expect(Self.messages(badModel).contains { $0.contains("unknown model 'prophet'") })

        let typo = try Self.folder(json: Self.scenario(forecast: #"{"modle": "ridge"}"#), csv: Self.timeseries(load: nil),
                                   history: Self.history(days: 14))
        #expect(Self.messages(typo).contains { $0.contains("'modle' is not a known field") })

        let battery = #"{"type": "battery", "id": "b", "energyKWh": 10, "chargeKW": 5, "dischargeKW": 5, "chargeEfficiency": 1, "#
            + #""dischargeEfficiency": 1, "socInitialKWh": 0, "forecast": true}"#
        let flaggedBattery = try Self.folder(json: Self.scenario(extraAsset: battery), csv: Self.timeseries(load: nil),
                                             history: Self.history(days: 14))
        #expect(Self.messages(flaggedBattery).contains { $0.contains("'forecast' is not a known field") })
    }
}
