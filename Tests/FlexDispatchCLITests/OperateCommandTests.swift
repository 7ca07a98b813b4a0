@testable import Adapters
import FlexDispatch
import Foundation
import OpenADRAPI
import RunHistory
import Testing
import TestSupport

/// `operate` without devices: cycles on the clock's quarter-hours, each a revision of the
/// plan in force; the command line's single cycle and its resumption; bad configurations.
@Suite("Operate: cycles and the command line", .serialized)
struct OperateCommandTests {
    static func park(_ dir: String) throws -> String {
        let park = dir + "/park"
        #expect(runCommandLine(["generate", "--firms", "3", "--days", "1", "--seed", "5", "--out", park,
                                "--profiles", SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path]) == 0)
        return park
    }

    @Test func cyclesFollowTheClockAndReviseThePlanInForce() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-opclock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.park(dir)
        var config = OperateConfig(scenario: dir + "/park", database: dir + "/park.sqlite")
        config.pollSeconds = 60
        let clock = SimulatedClock(start: try #require(ISO8601DateFormatter().date(from: "2025-06-01T10:05:00+08:00")))
        let service = try ParkOperator(config: config, sinks: [], clock: clock)
        let running = Task { try await service.run { false } }
        func settled(_ n: Int) async throws {
            try await waitUntil("cycle \(n) done at \(clock.now)", timeout: 300) {
                service.status.cycles.count == n && !service.status.cycling && clock.sleepers == 1
            }
        }
        try await settled(1)
        // Nothing happens before 10:15; then a scheduled cycle, and another at 10:30.
        for _ in 0..<9 { clock.advance(by: 60); try await settled(1) }
        clock.advance(by: 60)
        try await settled(2)
        clock.advance(to: try #require(ISO8601DateFormatter().date(from: "2025-06-01T10:30:00+08:00")))
        try await settled(3)
        running.cancel()
        _ = try? await running.value
        let cycles = service.status.cycles
        #expect(cycles.map(\.reason) == ["start", "scheduled", "scheduled"])
        #expect(cycles.allSatisfy(\.adopted) && cycles.map(\.runID) == [1, 2, 3])
        #expect(cycles.map { ISO8601DateFormatter().string(from: $0.at) } == ["2025-06-01T02:05:00Z", "2025-06-01T02:15:00Z", "2025-06-01T02:30:00Z"])
        let store = try SQLiteRunStore(path: dir + "/park.sqlite")
        #expect(try store.show(1)?.revision?.replaces == nil)
        #expect(try store.show(2)?.revision?.replaces == 1 && store.show(3)?.revision?.replaces == 2)
        #expect(try store.show(3)?.times.first == "2025-06-01T10:30:00+08:00" && store.show(1)?.times.first == "2025-06-01T10:00:00+08:00")
        // At 10:15 and 10:30 the plan in force sends its step while the new plan is solved,
        // then the new plan sends the same quarter-hour's step (its first).
        #expect(service.status.sent.map { "\($0.runID):\($0.step)" } == ["1:0", "1:1", "2:0", "2:1", "3:0"])
        #expect(FileManager.default.fileExists(atPath: dir + "/operate/summary.json"))
    }

    /// A price event of the utility's VTN (our VTN server in the test, read by our VEN
    /// client) is written into the scenario and re-plans at the next look; a look that
    /// finds nothing new does not.
    @Test func aPriceEventOfTheVTNReplans() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-opven-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.park(dir)
        let auth = VTNAuth(clients: [.init(id: "park-ven", secret: "park-s3cret", scopes: ["read_targets", "read_ven_objects", "write_vens", "write_reports"])])
        let utility = try VTNService(auth: auth)
        let program = try utility.addProgram(.init(programName: "utility-tariff"))
        let (port, server) = try await LoopbackServer.start { onRunning in try await VTNServer(service: utility, auth: auth, port: 0).run(onRunning: onRunning) }
        defer { server.cancel() }
        try #"{"url": "http://127.0.0.1:\#(port)", "clientID": "park-ven", "secret": "park-s3cret", "venName": "ordos-park", "programName": "utility-tariff"}"#
            .write(toFile: dir + "/ven.json", atomically: true, encoding: .utf8)
        try #"{"scenario": "park", "database": "park.sqlite", "ven": "ven.json", "pollSeconds": 60, "triggers": {"minGapMinutes": 1}}"#
            .write(toFile: dir + "/operate.json", atomically: true, encoding: .utf8)
        let original = try String(contentsOfFile: dir + "/park/timeseries.csv", encoding: .utf8)
        let clock = SimulatedClock(start: try #require(ISO8601DateFormatter().date(from: "2025-06-01T10:05:00+08:00")))
        let service = try ParkOperator(config: try OperateConfig.read(path: dir + "/operate.json"), sinks: [], clock: clock)
        let running = Task { try await service.run { false } }
        func settled(_ n: Int) async throws {
            try await waitUntil("cycle \(n) done at \(clock.now)", timeout: 300) {
                service.status.cycles.count == n && !service.status.cycling && clock.sleepers == 1
            }
        }
        try await settled(1)
        clock.advance(by: 60)
        try await settled(1)
        // The utility announces 3 CNY/kWh from 17:00 to 20:00.
        let peak = try #require(OpenADRDates.parse("2025-06-01T17:00:00+08:00"))
        try utility.addEvent(.init(programID: program.value1.id, eventName: "evening-peak", priority: 0, intervalPeriod: .init(start: peak, duration: "PT15M"),
                                   intervals: (0..<12).map { .init(id: Int32($0), payloads: [.init(_type: "PRICE", values: [.init(value1: 3.0)])]) }))
        clock.advance(by: 60)
        try await settled(2)
        clock.advance(by: 60)
        try await settled(2)
        // A price over the present quarter-hour (10:00–10:30): one re-plan, not one per look.
        try utility.addEvent(.init(programID: program.value1.id, eventName: "now", priority: 0,
                                   intervalPeriod: .init(start: try #require(OpenADRDates.parse("2025-06-01T10:00:00+08:00")), duration: "PT15M"),
                                   intervals: (0..<2).map { .init(id: Int32($0), payloads: [.init(_type: "PRICE", values: [.init(value1: 2.0)])]) }))
        clock.advance(by: 60)
        try await settled(3)
        for _ in 0..<3 { clock.advance(by: 60); try await settled(3) }
        running.cancel()
        _ = try? await running.value
        #expect(service.status.cycles[2].reason.hasSuffix("changed from step 40 (2025-06-01T10:00:00+08:00)"), "\(service.status.cycles[2].reason)")
        // The time series' own values are kept beside the outputs, for a restart.
        let kept = try String(contentsOfFile: dir + "/operate-signals-base.csv", encoding: .utf8)
        let signalled = try String(contentsOfFile: dir + "/park/timeseries.csv", encoding: .utf8)
        #expect(kept == original && kept != signalled)
        let second = service.status.cycles[1]
        #expect(second.adopted && second.reason.hasPrefix("VTN: 12 value(s) of ") && second.reason.hasSuffix("changed from step 68 (2025-06-01T17:00:00+08:00)"),
                "\(second.reason)")
        let store = try SQLiteRunStore(path: dir + "/park.sqlite")
        let before = try #require(try store.show(1)), after = try #require(try store.show(2))
        func peakImport(_ r: RunDetail) -> Double {
            let k = r.times.firstIndex(of: "2025-06-01T17:00:00+08:00") ?? 0
            return (r.scheduleValues["park/grid/import_kW"] ?? [])[k..<(k + 12)].reduce(0, +)
        }
        #expect(peakImport(after) < peakImport(before), "import in the peak: \(peakImport(before)) → \(peakImport(after)) kW")
        #expect(after.revision?.replaces == 1)
    }

    @Test func commandLineCyclesOnceResumesAndTheParkVTNFollows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-opcli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Self.park(dir)
        try #"{"scenario": "park", "database": "park.sqlite"}"#.write(toFile: dir + "/operate.json", atomically: true, encoding: .utf8)
        let from = ["--cycles", "1", "--from", "2025-06-01T13:20:00+08:00"]
        #expect(runCommandLine(["operate", dir + "/operate.json"] + from) == 0)
        // The park's VTN following the history ('vtn serve latest') publishes run 1, then run 2 in its place.
        let vtn = try VTNService(auth: VTNAuth(clients: []))
        let runs = try SQLiteRunStore(path: dir + "/park.sqlite")
        #expect(try ParkVTN.publishNewest(from: runs, scenario: "generated-3x1-5", currency: "CNY", into: vtn, current: nil) == 1)
        #expect(try ParkVTN.publishNewest(from: runs, scenario: "generated-3x1-5", currency: "CNY", into: vtn, current: 1) == nil)
        #expect(try ParkVTN.publishNewest(from: runs, scenario: "another-park", currency: "CNY", into: vtn, current: nil) == nil)
        #expect(runCommandLine(["operate", dir + "/operate.json"] + from) == 0)
        #expect(try ParkVTN.publishNewest(from: runs, scenario: "generated-3x1-5", currency: "CNY", into: vtn, current: 1) == 2)
        // The plan in force at an instant: the newest optimal run with a step holding it.
        #expect(try RunSetpoints.planHolding(try #require(OpenADRDates.parse("2025-06-01T13:20:00+08:00")), in: runs, scenario: "generated-3x1-5") == 2)
        #expect(try RunSetpoints.planHolding(try #require(OpenADRDates.parse("2025-06-01T13:20:00+08:00")), in: runs, scenario: "another-park") == nil)
        #expect(try RunSetpoints.planHolding(try #require(OpenADRDates.parse("2025-06-03T13:20:00+08:00")), in: runs, scenario: nil) == nil)
        #expect(vtn.removeEvents { $0.value2.eventName?.hasSuffix("-run-1") == true } == 0)
        #expect(vtn.removeEvents { $0.value2.eventName == "park-price-run-2" } == 1)
        #expect(vtn.removeEvents { $0.value2.eventName?.hasPrefix("dispatch-") == true && $0.value2.eventName?.hasSuffix("-run-2") == true } == 3)
        try #"{"clients": [{"id": "ven-f01", "secret": "12345678", "scopes": ["read_targets"], "targets": ["f01"]}]}"#
            .write(toFile: dir + "/clients.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["vtn", "serve", "latest", "--scenario", "another-park", "--clients", dir + "/clients.json", "--db", dir + "/park.sqlite"]) == 2)
        #expect(runCommandLine(["vtn", "serve", "1", "--scenario", "generated-3x1-5", "--clients", dir + "/clients.json", "--db", dir + "/park.sqlite"]) == 2)
        #expect(runCommandLine(["vtn", "serve", "newest", "--clients", dir + "/clients.json", "--db", dir + "/park.sqlite"]) == 2)
        // The park's CEM following the history ('cem serve latest') instructs from run 2 once it is recorded.
        let first = try RunSetpoints.from(try #require(try runs.show(1)))
        let cemPlans = S2PlanSource(run: 1, setpoints: first)
        let asset = try #require(first.first?.asset)
        let onePM = try #require(OpenADRDates.parse("2025-06-01T13:20:00+08:00"))
        #expect(try cemPlans.adoptNewest(from: runs, scenario: "another-park", at: onePM) == nil)
        #expect(try cemPlans.adoptNewest(from: runs, scenario: "generated-3x1-5", at: onePM) == 2 && cemPlans.run == 2)
        let second = try RunSetpoints.from(try #require(try runs.show(2)))
        #expect(cemPlans.plan(for: asset) == S2Plan.from(second, asset: asset) && cemPlans.plan(for: asset) != nil)
        try #"{"resources": {"battery": {"asset": "f01_bat", "series": "f01_bat_kw", "token": "battery-token-0123456789"}}}"#
            .write(toFile: dir + "/resources.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["cem", "serve", "latest", "--scenario", "another-park", "--resources", dir + "/resources.json", "--db", dir + "/park.sqlite"]) == 2)
        #expect(runCommandLine(["cem", "serve", "1", "--scenario", "generated-3x1-5", "--resources", dir + "/resources.json", "--db", dir + "/park.sqlite"]) == 2)
        #expect(runCommandLine(["cem", "serve", "newest", "--resources", dir + "/resources.json", "--db", dir + "/park.sqlite"]) == 2)
        #expect(runCommandLine(["cem", "serve", "latest", "--poll-seconds", "0", "--resources", dir + "/resources.json", "--db", dir + "/park.sqlite"]) == 2)
        let store = try SQLiteRunStore(path: dir + "/park.sqlite")
        #expect(try store.show(1)?.field("status") == "optimal" && store.show(1)?.times.first == "2025-06-01T13:15:00+08:00")
        #expect(try store.show(2)?.revision?.replaces == 1, "the second start resumes run 1 and revises it")

        try #"{"scenario": "park", "database": "park.sqlite", "everyMinutes": "often"}"#.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["operate", dir + "/bad.json", "--cycles", "1"]) == 2)
        #expect(runCommandLine(["operate", dir + "/missing.json"]) == 2)
        #expect(runCommandLine(["operate", dir + "/operate.json", "--cycles", "0"]) == 2)
        #expect(runCommandLine(["operate", dir + "/operate.json", "--from", "yesterday"]) == 2)
        #expect(try store.list(limit: 10).count == 2, "no bad start records a run")
    }
}
