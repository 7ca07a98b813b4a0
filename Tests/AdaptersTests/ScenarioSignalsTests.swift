@testable import Adapters
import Foundation
import Testing
import TestSupport

/// Grid signals written into a scenario: prices as time-weighted means of a step, limits
/// as the lowest limit touching a step, and — from a kept base — a withdrawn signal gives
/// the steps their own values back.
@Suite("Adapters: grid signals into a scenario")
struct ScenarioSignalsTests {
    /// A copy of the tiny scenario with an import-limit column `grid_limit` of 1000 kW, its
    /// time series written with `lineEnd`.
    static func tinyWithLimit(lineEnd: String) throws -> URL {
        let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-sig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let json = try String(contentsOfFile: tiny + "/scenario.json", encoding: .utf8)
            .replacingOccurrences(of: "\"exportPrice\": \"price_export\",", with: "\"exportPrice\": \"price_export\", \"importLimit\": \"grid_limit\",")
        try json.write(to: dir.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
        let rows = try String(contentsOfFile: tiny + "/timeseries.csv", encoding: .utf8).split(separator: "\n")
        let csv = ([rows[0] + ",grid_limit"] + rows.dropFirst().map { $0 + ",1000" }).joined(separator: lineEnd) + lineEnd
        try csv.write(to: dir.appendingPathComponent("timeseries.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func pricesAveragedLimitsLowestBaseRestores() throws {
        let dir = try Self.tinyWithLimit(lineEnd: "\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = try ScenarioSignals.timeSeriesText(scenarioDirectory: dir.path)

        let t0 = try #require(OpenADRDates.parse("2025-06-01T10:00:00+08:00"))
        func at(_ h: Double) -> Date { t0.addingTimeInterval(h * 3600) }
        let signals = [Signal(kind: .importPrice, start: at(1), end: at(1.5), value: 2.0),
                       Signal(kind: .importLimit, start: at(2.5), end: at(3.5), value: 300),
                       Signal(kind: .importLimit, start: at(3), end: at(4), value: 400)]
        let changes = try ScenarioSignals.apply(signals, scenarioDirectory: dir.path)
        func column(_ name: String) throws -> [Double] {
            let lines = try String(contentsOfFile: dir.appendingPathComponent("timeseries.csv").path, encoding: .utf8).split(separator: "\n")
            let c = try #require(lines[0].split(separator: ",").firstIndex { $0 == name })
            return lines.dropFirst().map { Double($0.split(separator: ",")[c]) ?? .nan }
        }
        // Half of step 1 at 2.0, the other half at its own 0.5.
        #expect(try column("price_import") == [0.2, 1.25, 1.0, 0.3])
        // 300 touches steps 2 and 3; 400 covers step 3 but the lower one wins.
        #expect(try column("grid_limit") == [1000, 1000, 300, 300])
        #expect(changes.count == 3)
        #expect(try ScenarioSignals.apply([], scenarioDirectory: dir.path, base: base).isEmpty)
        #expect(try ScenarioSignals.timeSeriesText(scenarioDirectory: dir.path) == base, "the withdrawn signals stayed")
    }

    /// A time series with CRLF line ends gets its signals in its last column too (the
    /// column name kept its CR and was not found), and is written back per RFC 4180.
    @Test func crlfLineEndsAndTheLastColumn() throws {
        let dir = try Self.tinyWithLimit(lineEnd: "\r\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let t0 = try #require(OpenADRDates.parse("2025-06-01T10:00:00+08:00"))
        let changes = try ScenarioSignals.apply([Signal(kind: .importLimit, start: t0, end: t0.addingTimeInterval(3600), value: 250)],
                                                scenarioDirectory: dir.path)
        #expect(changes == [ScenarioSignals.Change(column: "grid_limit", step: 0, old: 1000, new: 250)])
        let text = try String(contentsOfFile: dir.appendingPathComponent("timeseries.csv").path, encoding: .utf8)
        #expect(text.split(separator: "\n")[1].hasSuffix(",250"))
    }
}
