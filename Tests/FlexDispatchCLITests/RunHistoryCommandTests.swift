import ArgumentParser
import FlexDispatch
@testable import FlexDispatchCLI
import Foundation
import Measurements
import RunHistory
import Testing
import TestSupport

/// `run` records into the run history and writes a manifest with the inputs; `runs` and
/// `replay` read them back.
@Suite("flexdispatch runs and replay")
struct RunHistoryCommandTests {
    let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path

    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fd-hist-\(UUID().uuidString)").path
    }

    @Test func runRecordsReplaysAndDiffs() throws {
        let root = temporaryDirectory()
        let db = root + "/runs.sqlite"
        #expect(runCommandLine(["run", tiny, "--out", root + "/a", "--db", db, "--quiet"]) == 0)
        #expect(runCommandLine(["run", tiny, "--out", root + "/b", "--db", db, "--quiet", "--threads", "2"]) == 0)
        for file in ["summary.json", "schedule.csv", "report.html", "manifest.json", "inputs/scenario.json", "inputs/timeseries.csv"] {
            #expect(FileManager.default.fileExists(atPath: root + "/a/" + file), "missing \(file)")
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/a/manifest.json"))) as! [String: Any]
        #expect(manifest["runID"] as? Int == 1 && manifest["programVersion"] as? String == FlexDispatchVersion.string)
        // The files the run read: not the folder's README.md.
        #expect((manifest["inputs"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["scenario.json", "timeseries.csv"])
        #expect(runCommandLine(["runs", "list", "--db", db]) == 0)
        #expect(runCommandLine(["runs", "show", "2", "--db", db]) == 0)
        #expect(runCommandLine(["runs", "show", "9", "--db", db]) == 2)
        #expect(runCommandLine(["runs", "diff", "1", "2", "--db", db]) == 0)
        #expect(runCommandLine(["runs", "list", "--db", root + "/none.sqlite"]) == 2)
        // Replay, also with a different thread count, matches; a changed input is refused.
        #expect(runCommandLine(["replay", root + "/a/manifest.json"]) == 0)
        #expect(runCommandLine(["replay", root + "/a/manifest.json", "--threads", "2"]) == 0)
        try "x".write(toFile: root + "/a/inputs/timeseries.csv", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["replay", root + "/a/manifest.json"]) == 2)
        #expect(runCommandLine(["replay", root + "/nothing/manifest.json"]) == 2)
    }

    /// `feeds run --once` ingests a drop folder named in a configuration; `feeds status`
    /// reads it back; a bad configuration exits 2.
    @Test func feedsRunOnceAndStatus() throws {
        let root = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root + "/drop", withIntermediateDirectories: true)
        let now = ISO8601DateFormatter().string(from: Date())
        try "time,meter\n\(now),2500\n".write(toFile: root + "/drop/x.csv", atomically: true, encoding: .utf8)
        try #"{"series": [{"name": "f01_load", "unit": "kW", "min": 0}], "feeds": [{"type": "files", "name": "erp", "folder": "drop", "columns": {"meter": {"series": "f01_load", "unit": "W"}}}]}"#
            .write(toFile: root + "/feeds.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["feeds", "run", root + "/feeds.json", "--db", root + "/s.sqlite", "--once"]) == 0)
        #expect(FileManager.default.fileExists(atPath: root + "/drop/processed/x.csv"))
        #expect(runCommandLine(["feeds", "status", "--db", root + "/s.sqlite"]) == 0)
        let status = try SQLiteMeasurementStore(path: root + "/s.sqlite").feedStatus()
        #expect(status.first?.lastValue == 2.5)
        try #"{"series": [], "feeds": [{"type": "ftp", "name": "x"}]}"#.write(toFile: root + "/bad.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["feeds", "run", root + "/bad.json", "--db", root + "/s.sqlite", "--once"]) == 2)
    }

    /// A recorded result that the inputs do not reproduce is a mismatch (exit 1).
    @Test func replayReportsAMismatch() throws {
        let root = temporaryDirectory()
        #expect(runCommandLine(["run", tiny, "--out", root, "--no-db", "--quiet"]) == 0)
        let path = root + "/manifest.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let objective = try #require(text.range(of: #""objective" : 6"#))
        text.replaceSubrange(objective, with: #""objective" : 7"#)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(runCommandLine(["replay", path]) == 1)
    }
}
