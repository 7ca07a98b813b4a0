import Foundation
@testable import FlexDispatchCLI
import Measurements
import RunHistory
import TestSupport
import Testing

/// `flexdispatch plan` on datasets/tiny (prices 0.2, 0.5, 1.0, 0.3 per kWh; a 100 kWh
/// battery; at 12:00 the PV's 200 kW cover the 150 kW of load with 50 to spare; at 13:00
/// 150 kW of load and no PV): re-plans from a state, carries the state from plan to plan
/// through the run history, and names what it clamps.
@Suite("flexdispatch plan: re-planning from the park's state")
struct PlanCommandTests {
    let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path

    func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// From 12:30 with 40 kWh stored: store the 50 kW of spare PV (90 kWh), give 90 at 13:00,
    /// import 60 at 0.3: cost 18. The next plan, from 13:10 without a state file, replaces the
    /// first and inherits its 90 kWh: import 60 at 0.3 again.
    @Test func aPlanStartsFromTheGivenStateAndTheNextFromThePlanItReplaces() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/history.sqlite"
        #expect(runCommandLine(["run", tiny, "--out", dir + "/day", "--db", db, "--quiet"]) == 0)
        try #"{"stateOfChargeKWh": {"f1_bat": 40}}"#.write(toFile: dir + "/state.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T12:30:00+08:00", "--state", dir + "/state.json",
                                "--out", dir + "/p1", "--db", db, "--quiet"]) == 0)
        let first = try json(dir + "/p1/summary.json")
        #expect(abs((first["objective"] as? Double ?? 0) - 18) <= 1e-6)
        let revision = try #require(first["revision"] as? [String: Any])
        #expect(revision["firstStep"] as? Int == 2 && revision["horizonSteps"] as? Int == 2 && revision["replaces"] as? Int == 1)
        #expect(first["limits"] as? String == "soft" && (first["breaches"] as? [Any])?.isEmpty == true)
        #expect(((try json(dir + "/p1/state.json"))["stateOfChargeKWh"] as? [String: Double])?["f1_bat"] == 40)
        #expect(runCommandLine(["replay", dir + "/p1/manifest.json"]) == 0)

        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T13:10:00+08:00", "--out", dir + "/p2", "--db", db, "--quiet"]) == 0)
        let second = try json(dir + "/p2/summary.json")
        #expect((second["revision"] as? [String: Any])?["replaces"] as? Int == 2)
        let carried = try #require(((try json(dir + "/p2/state.json"))["stateOfChargeKWh"] as? [String: Double])?["f1_bat"])
        #expect(abs(carried - 90) <= 1e-5, "\(carried)")
        #expect(abs((second["objective"] as? Double ?? 0) - 18) <= 1e-5)

        let store = try RunStores.open(db)
        let day = try #require(try store.show(1)), p1 = try #require(try store.show(2)), p2 = try #require(try store.show(3))
        #expect(day.revisedBy == [2] && p1.revisedBy == [3] && day.revision == nil)
        #expect(p1.revision?.replaces == 1 && p1.revision?.firstStep == 2 && p2.revision?.replaces == 2 && p2.revision?.firstStep == 3)
        #expect(p2.revision?.notes.contains { $0.contains("taken from run 2's plan") && $0.contains("f1_bat") } == true)
        let report = try String(contentsOfFile: dir + "/p2/report.html", encoding: .utf8)
        #expect(report.contains("re-plan</h1>") && report.contains("replacing run 2"))
    }

    /// The battery's state from the measurement store: 40 % of 100 kWh five minutes before
    /// 12:30 gives the plan of 40 kWh stored (cost 18); a peak reported at 10:00 is too old
    /// to use and is named; a state file overrides the store.
    @Test func theStateIsReadFromTelemetry() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/history.sqlite"
        let store = try MeasurementStores.open(db)
        let at = try #require(ISO8601DateFormatter().date(from: "2025-06-01T04:30:00Z"))
        _ = try store.ingest([StoredMeasurement(series: "f1_bat.soc_pct", time: at.addingTimeInterval(-300), value: 40, unit: "%", source: "test"),
                              StoredMeasurement(series: "f1_bat.soc_pct", time: at.addingTimeInterval(-3_600), value: 90, unit: "%", source: "test"),
                              StoredMeasurement(series: "park.peak_kW", time: at.addingTimeInterval(-9_000), value: 300, unit: "kW", source: "test")])
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T12:30:00+08:00", "--telemetry", "--db", db, "--out", dir + "/p", "--quiet"]) == 0)
        let summary = try json(dir + "/p/summary.json")
        #expect(abs((summary["objective"] as? Double ?? 0) - 18) <= 1e-6)
        let notes = try #require((summary["revision"] as? [String: Any])?["notes"] as? [String])
        #expect(notes.contains { $0.hasPrefix("telemetry: series 'park.peak_kW' last reported at 2025-06-01T02:00:00") }, "\(notes)")
        #expect(!notes.contains { $0.contains("taken from") && $0.contains("f1_bat") })
        try #"{"stateOfChargeKWh": {"f1_bat": 100}}"#.write(toFile: dir + "/state.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T12:30:00+08:00", "--telemetry", "--state", dir + "/state.json",
                                "--db", db, "--out", dir + "/q", "--quiet"]) == 0)
        #expect(abs(((try json(dir + "/q/summary.json"))["objective"] as? Double ?? 1) - 10) <= 1e-6)
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T12:30:00+08:00", "--telemetry", "--no-db", "--out", dir + "/r", "--quiet"]) == 2)
    }

    /// 140 kWh reported for a 100 kWh battery: clamped to full and named; then the spare PV
    /// is exported (5 earned) and 100 kWh cover 13:00 (import 50 at 0.3): cost 10.
    @Test func aStateOutsideTheLimitsIsClampedAndNamed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"stateOfChargeKWh": {"f1_bat": 140}}"#.write(toFile: dir + "/state.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T12:00:00+08:00", "--state", dir + "/state.json",
                                "--out", dir + "/p", "--no-db", "--quiet"]) == 0)
        let summary = try json(dir + "/p/summary.json")
        #expect(abs((summary["objective"] as? Double ?? 0) - 10) <= 1e-6)
        let notes = try #require((summary["revision"] as? [String: Any])?["notes"] as? [String])
        #expect(notes.contains("firm 'f1', asset 'f1_bat': state of charge 140 kWh lies outside [socMinKWh 0, energyKWh 100]; clamped to 100 kWh"))
        #expect((summary["revision"] as? [String: Any])?["replaces"] is NSNull)
    }

    @Test func badInstantsAndStatesExitTwo() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T14:00:00+08:00", "--out", dir + "/a", "--no-db", "--quiet"]) == 2)
        #expect(runCommandLine(["plan", tiny, "--at", "noon", "--out", dir + "/b", "--no-db", "--quiet"]) == 2)
        try #"{"stateOfChargeKWh": {"f9_bat": 10}}"#.write(toFile: dir + "/state.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T12:00:00+08:00", "--state", dir + "/state.json",
                                "--out", dir + "/c", "--no-db", "--quiet"]) == 2)
        try #"{"stateOfChargeKWh": {"f1_bat": -1}}"#.write(toFile: dir + "/state.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T12:00:00+08:00", "--state", dir + "/state.json",
                                "--out", dir + "/d", "--no-db", "--quiet"]) == 2)
        #expect(runCommandLine(["plan", tiny, "--at", "2025-06-01T12:00:00+08:00", "--replaces", "7", "--out", dir + "/e",
                                "--db", dir + "/h.sqlite", "--quiet"]) == 2)
        for name in ["a", "b", "c", "d", "e"] { #expect(!FileManager.default.fileExists(atPath: dir + "/" + name)) }
    }
}
