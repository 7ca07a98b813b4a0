@testable import Adapters
import FlexDispatch
import Foundation
import Measurements
import ParkModel
import RunHistory
import Testing
import TestSupport

/// `operate` end to end against the real peers: a 4-firm park whose f03 has an inverter and
/// a battery behind a SunSpec device (pymodbus) and a gateway on MQTT (Mosquitto, paho).
/// The service plans at 10:00, the battery's state of charge arrives over MQTT far from the
/// plan, the next look re-plans from it and the new setpoints reach the device (read back
/// with pysunspec2) and the broker; killed and started again with a solver that cannot
/// finish, the service resumes the plan in force from the history and keeps sending it; when
/// that plan ends, the devices are handed back to their own control.
/// The test drives the clock; it advances it only when every loop has done its work.
@Suite("Operate: telemetry → re-plan → devices, and a restart", .serialized, .requires("OperateDevicesTests", .sunSpecPeer, .mqttPeer))
struct OperateDevicesTests {
    @Test func telemetryChangeReachesTheDeviceAndARestartResumes() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-operate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let park = dir + "/park", db = dir + "/park.sqlite", feeds = dir + "/feeds.json"
        #expect(runCommandLine(["generate", "--firms", "4", "--days", "1", "--seed", "3", "--out", park,
                                "--profiles", SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path]) == 0)
        let values = dir + "/values.json"
        try #"{"120": {"WRtg": 412, "WRtg_SF": 3}, "124": {"WChaMax": 165, "WChaMax_SF": 3}}"#.write(toFile: values, atomically: true, encoding: .utf8)
        let device = try SunSpecPeer(devices: 1, arguments: ["--values", values])
        defer { device.stop() }
        let broker = try Broker()
        defer { broker.stop() }
        try """
            {"series": [{"name": "f03_bat.soc_pct", "unit": "%", "min": 0, "max": 100}],
             "feeds": [
               {"type": "modbus", "name": "f03-der", "host": "127.0.0.1", "port": \(device.port), "timeoutSeconds": 2,
                "setpoints": {"f03_pv": "inverterLimit", "f03_bat": "storage"}},
               {"type": "mqtt", "name": "gateway", "port": \(broker.port), "clientID": "fd-op-\(UUID().uuidString.prefix(8))",
                "topics": {"park/f03/soc": {"series": "f03_bat.soc_pct", "unit": "%"}}, "setpointPrefix": "flexdispatch/park"}
             ]}
            """.write(toFile: feeds, atomically: true, encoding: .utf8)
        try #"{"scenario": "park", "database": "park.sqlite", "feeds": "feeds.json", "everyMinutes": 15, "pollSeconds": 60,"#
            .appending(#" "triggers": {"stateOfChargePercent": 10, "minGapMinutes": 1}}"#)
            .write(toFile: dir + "/operate.json", atomically: true, encoding: .utf8)
        try #"{"scenario": "park", "database": "park.sqlite", "feeds": "feeds.json", "solver": {"maxIterations": 2}}"#
            .write(toFile: dir + "/operate-short.json", atomically: true, encoding: .utf8)

        let ten = try #require(ISO8601DateFormatter().date(from: "2025-06-01T10:00:00+08:00"))
        let clock = SimulatedClock(start: ten)
        let feedConfig = try FeedConfig.read(path: feeds)
        let collector = try FeedService(config: feedConfig, store: try SQLiteMeasurementStore(path: db), clock: clock)
        let stopFeeds = StopSwitch()
        let collecting = collector.start(flushSeconds: 10) { stopFeeds.isSet }
        try await waitUntil("the gateway's subscription") { collector.mqttSubscribed }
        let sinks = try SetpointSinks(feedConfig)
        defer { sinks.close() }

        /// Every loop asleep (the feed writer and the service) and no cycle being solved.
        func settled(_ service: ParkOperator, cycles: Int) async throws {
            try await waitUntil("cycle \(cycles) and every loop asleep at \(clock.now)", timeout: 300) {
                service.status.cycles.count == cycles && !service.status.cycling && clock.sleepers == 2
            }
        }
        func storage() async throws -> (mode: Int, charge: Double, discharge: Double) {
            let points = try await SunSpecPeer.read(port: device.port, model: 124, points: ["StorCtl_Mod", "InWRte", "OutWRte"])["points"] as? [String: [String: Any]]
            return (points?["StorCtl_Mod"]?["raw"] as? Int ?? -1, points?["InWRte"]?["value"] as? Double ?? -1, points?["OutWRte"]?["value"] as? Double ?? -1)
        }
        func net(_ runID: Int64, step: Int) throws -> Double {
            let detail = try #require(try SQLiteRunStore(path: db).show(runID))
            let k = try #require(detail.times.firstIndex(of: "2025-06-01T10:00:00+08:00")) + step
            return (detail.scheduleValues["f03/f03_bat/charge_kW"]?[k] ?? .nan) - (detail.scheduleValues["f03/f03_bat/discharge_kW"]?[k] ?? .nan)
        }
        func expectDevice(follows runID: Int64, step: Int) async throws {
            let n = try net(runID, step: step), read = try await storage()
            #expect(read.mode == (n > 1e-9 ? 1 : n < -1e-9 ? 2 : 3), "run \(runID) step \(step): net \(n) kW, mode \(read.mode)")
            #expect(abs(read.charge - max(0, n) / 165 * 100) < 0.05 && abs(read.discharge - max(0, -n) / 165 * 100) < 0.05,
                    "run \(runID) step \(step): net \(n) kW, device InWRte \(read.charge) %, OutWRte \(read.discharge) %")
        }

        // The first cycle plans from 10:00 (no plan in the history): run 1, sent at once.
        let service = try ParkOperator(config: try OperateConfig.read(path: dir + "/operate.json"), sinks: sinks.sinks, clock: clock)
        let operating = Task { try await service.run { false } }
        try await settled(service, cycles: 1)
        let first = try #require(service.status.cycles.first)
        #expect(first.adopted && first.runID == 1 && first.reason == "start", "\(first.message)")
        #expect(service.status.resumed == nil)
        let sent1 = try #require(service.status.sent.last)
        #expect(sent1.runID == 1 && sent1.step == 0 && !sent1.receipts.isEmpty && sent1.receipts.allSatisfy { $0.error == nil })
        try await expectDevice(follows: 1, step: 0)

        // The battery reports a state of charge 40 points away from the plan's, at 10:00:05.
        let detail1 = try #require(try SQLiteRunStore(path: db).show(1))
        let planned = try #require(PlanDeviation.plannedStateOfCharge(detail1, asset: "f03_bat", initialKWh: 0, at: ten.addingTimeInterval(5)))
        let capacity = 330.0
        let reported = planned / capacity * 100 < 50 ? planned / capacity * 100 + 40 : planned / capacity * 100 - 40
        let message = #"[("park/f03/soc", {"time": "2025-06-01T10:00:05+08:00", "value": \#(reported)})]"#
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: message), port: broker.port)
        try await waitUntil("the gateway's message") { collector.mqttWaiting == 1 }
        // The writer stores it at 10:00:10; the service looks at 10:01 and re-plans.
        for _ in 0..<6 {
            clock.advance(by: 10)
            try await waitUntil("every loop asleep at \(clock.now)", timeout: 300) { clock.sleepers == 2 && !service.status.cycling }
        }
        try await settled(service, cycles: 2)
        let second = service.status.cycles[1]
        #expect(second.adopted && second.runID == 2 && second.reason.hasPrefix("telemetry: f03_bat holds"), "\(second.reason) \(second.message)")
        let history = try SQLiteRunStore(path: db)
        let revision = try #require(try history.show(2)?.revision)
        #expect(revision.replaces == 1)
        let start = try JSONDecoder().decode(ParkState.self, from: Data(revision.startState.utf8))
        #expect(abs((start[.stateOfCharge, "f03_bat"] ?? -1) - reported / 100 * capacity) < 1e-6)
        let (before, after) = (try net(1, step: 0), try net(2, step: 0))
        #expect(abs(after - before) > 1e-3, "the new state of charge changes the battery's step: \(before) → \(after) kW")
        try await expectDevice(follows: 2, step: 0)
        let retained = try Paho.firstMessage("flexdispatch/park/f03_bat/schedule", port: broker.port)
        let schedule = try JSONSerialization.jsonObject(with: Data(retained.utf8)) as? [[String: Any]]
        #expect(schedule?.count == 56 && abs((schedule?.first?["powerKW"] as? Double ?? .nan) - after) < 1e-9)

        // Killed; started again with a solver that cannot finish: run 2 stays in force.
        operating.cancel()
        _ = try? await operating.value
        let restarted = try ParkOperator(config: try OperateConfig.read(path: dir + "/operate-short.json"), sinks: sinks.sinks, clock: clock)
        let again = Task { try await restarted.run { false } }
        try await settled(restarted, cycles: 1)
        #expect(restarted.status.resumed == 2 && restarted.status.inForce == 2)
        let failed = try #require(restarted.status.cycles.first)
        #expect(!failed.adopted && failed.runID == 3 && failed.status != "optimal" && failed.message.contains("run 2 stays in force"), "\(failed.message)")
        #expect(restarted.status.sent.first.map { $0.runID == 2 && $0.step == 0 } == true)
        // 10:15: the next step of run 2 goes out while the scheduled cycle fails again.
        clock.advance(to: ten.addingTimeInterval(900))
        try await settled(restarted, cycles: 2)
        #expect(restarted.status.sent.last.map { $0.runID == 2 && $0.step == 1 && $0.receipts.allSatisfy { $0.error == nil } } == true)
        try await expectDevice(follows: 2, step: 1)
        #expect(try SQLiteRunStore(path: db).latestRun(scenario: "generated-4x1-3", holding: "2025-06-01T10:15:00+08:00") == 2)

        // Midnight: run 2 has ended and no cycle can plan past the scenario's day. The devices
        // are handed back to their own control, once: storage and power limit off, the
        // gateway's schedule emptied.
        clock.advance(to: ten.addingTimeInterval(14 * 3600))
        try await settled(restarted, cycles: 3)
        let released = try #require(restarted.status.released.first)
        let plannedAssets = Set(try RunSetpoints.from(try #require(try SQLiteRunStore(path: db).show(2))).map(\.asset))
        #expect(restarted.status.released.count == 1 && released.receipts.allSatisfy { $0.error == nil }, "\(released.receipts)")
        #expect(released.receipts.filter { $0.sink == "f03-der" }.map(\.asset) == ["f03_bat", "f03_pv"])
        #expect(Set(released.receipts.filter { $0.sink == "gateway" }.map(\.asset)) == plannedAssets)
        #expect(try await storage().mode == 0)
        let limit = try await SunSpecPeer.read(port: device.port, model: 123, points: ["WMaxLim_Ena"])["points"] as? [String: [String: Any]]
        #expect(limit?["WMaxLim_Ena"]?["raw"] as? Int == 0)
        let emptied = try Paho.firstMessage("flexdispatch/park/f03_bat/schedule", port: broker.port)
        #expect(emptied.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(emptied)")
        clock.advance(by: 900)
        try await settled(restarted, cycles: 4)
        #expect(restarted.status.released.count == 1, "released once until a plan holds the present")

        again.cancel()
        _ = try? await again.value
        stopFeeds.set()
        clock.advance(by: 10)
        try await collecting.value
    }
}
