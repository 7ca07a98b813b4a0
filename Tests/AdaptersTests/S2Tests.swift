@testable import Adapters
import Foundation
import Measurements
import RunHistory
import Testing
import TestSupport

@Suite("Adapters: the park's S2 CEM", .serialized)
struct S2Tests {
    /// Each resource manager's token: `<name>-token-0123456789`.
    static func token(_ name: String) -> String { "\(name)-token-0123456789" }
    static let resources = ["battery": S2Session.Resource(asset: "f03_bat", series: "f03_bat_kw", credential: .clear(token("battery")), maxKW: 50),
                            "shiftable-process": S2Session.Resource(asset: "f04_batch", series: "f04_batch_kw", credential: .clear(token("shiftable-process"))),
                            "pump": S2Session.Resource(asset: "f04_batch", series: "f04_pump_kw", credential: .clear(token("pump")))]

    /// A plan whose first step started a minute ago: the battery charges 1.5 kW, the process
    /// runs 3 kW for two quarter-hours, then stops.
    static func plan(_ asset: String) -> S2Plan? {
        let start = Date().addingTimeInterval(-60)
        let starts = (0..<4).map { start.addingTimeInterval(Double($0) * 900) }
        switch asset {
        case "f03_bat": return S2Plan(starts: starts, stepSeconds: 900, powerW: [1500, -2000, 0, 500])
        case "f04_batch": return S2Plan(starts: starts, stepSeconds: 900, powerW: [3000, 3000, 0, 0])
        default: return nil
        }
    }

    static func frame(_ s: String) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any] ?? [:] }

    @Test func sessionAnswersEveryMessageOnceAndInstructsFromThePlan() throws {
        let s = S2Session(resources: Self.resources, plan: Self.plan)
        let hello = s.receive(#"{"message_type": "Handshake", "message_id": "m1", "role": "RM", "supported_protocol_versions": ["0.0.2-beta"]}"#)
        #expect(hello.send.map { Self.frame($0)["message_type"] as? String } == ["ReceptionStatus", "Handshake", "HandshakeResponse"])
        let details = s.receive(#"{"message_type": "ResourceManagerDetails", "message_id": "m2", "name": "battery", "roles": [{"role": "ENERGY_STORAGE", "commodity": "ELECTRICITY"}], "available_control_types": ["POWER_ENVELOPE_BASED_CONTROL", "FILL_RATE_BASED_CONTROL"]}"#)
        #expect(Self.frame(details.send[1])["control_type"] as? String == "FILL_RATE_BASED_CONTROL")
        let description = s.receive("""
            {"message_type": "FRBC.SystemDescription", "message_id": "m3", "actuators": [{"id": "act", "operation_modes": [{"id": "mode",
             "elements": [{"power_ranges": [{"start_of_range": -5000.0, "end_of_range": 5000.0}]}]}]}]}
            """)
        let instruction = Self.frame(description.send[1])
        #expect(instruction["message_type"] as? String == "FRBC.Instruction")
        #expect(instruction["operation_mode_factor"] as? Double == 0.65)   // (1500 + 5000) / 10000
        let m = s.receive(#"{"message_type": "PowerMeasurement", "message_id": "m4", "measurement_timestamp": "\#(S2Messages.time(Date()))", "values": [{"commodity_quantity": "ELECTRIC.POWER.3_PHASE_SYMMETRIC", "value": -1200.0}]}"#)
        #expect(m.measurements.map(\.value) == [-1.2] && m.measurements.first?.series == "f03_bat_kw")
        let ack = s.receive(#"{"message_type": "ReceptionStatus", "subject_message_id": "\#(instruction["message_id"] as? String ?? "")", "status": "OK"}"#)
        #expect(ack.send.isEmpty && s.acknowledged.count == 1)
        // Garbage and unknown messages get one answer each, and the session goes on.
        #expect(Self.frame(s.receive("{nope").send[0])["status"] as? String == "INVALID_DATA")
        #expect(Self.frame(s.receive(#"{"message_type": "Bogus", "message_id": "m5"}"#).send[0])["status"] as? String == "INVALID_MESSAGE")
        #expect(s.receive(#"{"message_type": "FRBC.StorageStatus", "message_id": "m6", "present_fill_level": 4.0}"#).send.count == 1)
    }

    /// s2-python's battery and process resource managers against the CEM on loopback: each
    /// completes the exchange through an acknowledged instruction that carries the plan.
    @Test(.requires("S2Tests/s2PythonResourceManagersFollowThePlan", .s2Peer))
    func s2PythonResourceManagersFollowThePlan() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-s2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path)
        let cem = S2CEMServer(resources: Self.resources, plan: Self.plan, store: store, port: 0)
        let (port, server) = try await Self.serve(cem)
        defer { server.cancel() }

        let battery = try await S2Peer.run("s2_battery_rm.py", ["--url", "ws://127.0.0.1:\(port)/ws/battery", "--name", "battery", "--bearer-token", Self.token("battery"), "--timeout", "20"])
        #expect(battery.status == 0, "\(battery.err)")
        let b = Self.frame(battery.out)
        #expect(b["selected_control_type"] as? String == "FILL_RATE_BASED_CONTROL")
        let planned = (b["planned_power_w"] as? [Double])?.first ?? (b["planned_power_w"] as? Double)
        #expect(planned.map { abs($0 - 1500) < 1e-6 } == true, "\(battery.out)")

        let process = try await S2Peer.run("s2_process_rm.py", ["--url", "ws://127.0.0.1:\(port)/ws/shiftable-process", "--name", "shiftable-process", "--bearer-token", Self.token("shiftable-process"), "--timeout", "20"])
        #expect(process.status == 0, "\(process.err)")
        let p = Self.frame(process.out)
        #expect(p["selected_control_type"] as? String == "POWER_ENVELOPE_BASED_CONTROL")
        // 3 kW for what is left of the first quarter-hour (14 minutes: it began a minute ago)
        // and the whole second: the envelope allows 3 × 29/60 = 1.45 kWh.
        let energy = ((p["envelope_energy_kwh"] as? [[String: Any]])?.first ?? (p["envelope_energy_kwh"] as? [String: Any])) ?? [:]
        #expect((energy["max"] as? Double).map { abs($0 - 1.45) < 1e-4 } == true
                && (energy["min"] as? Double).map { abs($0 - 1.45) < 1e-4 } == true, "\(process.out)")

        // A pump that offers only operation-mode based control: 3 kW planned → mode "high"
        // (2.5…5 kW) at factor 0.2, acknowledged.
        let pump = try await S2Peer.run("s2_pump_rm.py", ["--url", "ws://127.0.0.1:\(port)/ws/pump", "--name", "pump", "--bearer-token", Self.token("pump"), "--timeout", "20"])
        #expect(pump.status == 0, "\(pump.err)")
        let u = Self.frame(pump.out)
        #expect(u["mode"] as? String == "high" && (u["factor"] as? Double).map { abs($0 - 0.2) < 1e-9 } == true, "\(pump.out)")

        #expect(cem.acknowledged.withLockedValue { $0 } == ["battery": 1, "shiftable-process": 1, "pump": 1])
        #expect(try store.measurements(series: "f03_bat_kw", from: .distantPast, to: .distantFuture).map(\.value) == [-1.2])
        // The battery's forecast (four quarter-hours), and a revision of its first value.
        let forecast = try store.measurements(series: "f03_bat_kw_forecast", from: .distantPast, to: .distantFuture)
        #expect(forecast.map(\.value) == [-1.2, 0, 2.5, 2.5] && forecast.count == 4
                && forecast[3].time.timeIntervalSince(forecast[0].time) == 2700, "\(forecast)")
        var revised = forecast[0]
        revised.value = 0.7
        #expect(try store.ingest([revised]) == 0, "a measurement was overwritten")
        #expect(try store.ingest([revised], replacing: true) == 1)
        #expect(try store.measurements(series: "f03_bat_kw_forecast", from: .distantPast, to: .distantFuture).first?.value == 0.7)
        let status = try store.feedStatus().first { $0.series == "f03_bat_kw" }
        #expect(status?.lastEvent?.contains("accepted") == true || status?.lastEvent?.contains("closed") == true)
    }
}

/// Keeps every feed event the CEM logs (and stores it as usual).
final class RecordingStore: MeasurementStore, @unchecked Sendable {
    let inner: SQLiteMeasurementStore
    private let lock = NSLock()
    private var logged: [(series: String, kind: String, message: String)] = []
    init(_ inner: SQLiteMeasurementStore) { self.inner = inner }
    var events: [(series: String, kind: String, message: String)] { lock.withLock { logged } }
    func ingest(_ m: [StoredMeasurement], replacing: Bool) throws -> Int { try inner.ingest(m, replacing: replacing) }
    func logEvent(source: String, series: String, kind: String, message: String) throws {
        lock.withLock { logged.append((series, kind, message)) }
        try inner.logEvent(source: source, series: series, kind: kind, message: message)
    }
    func feedStatus() throws -> [FeedStatus] { try inner.feedStatus() }
    func measurements(series: String, from: Date, to: Date) throws -> [StoredMeasurement] { try inner.measurements(series: series, from: from, to: to) }
    func latest(series: String, before: Date) throws -> StoredMeasurement? { try inner.latest(series: series, before: before) }
}

extension S2Tests {
    /// Runs the CEM on the port it was given (0: a free one); returns the bound port.
    static func serve(_ cem: S2CEMServer) async throws -> (Int, Task<Void, any Error>) {
        try await LoopbackServer.start { onRunning in try await cem.run(onRunning: onRunning) }
    }

    /// A resource manager that sends a frame that is not JSON and an unknown message type,
    /// then hangs up after the CEM's instruction without acknowledging it: each bad frame gets
    /// its ReceptionStatus, the unanswered instruction is logged against the battery's series,
    /// the CEM goes on serving, and the same battery reconnecting (s2-python) gets the plan
    /// again and acknowledges it.
    @Test(.requires("S2Tests/rudeResourceManagerDoesNotDisturbTheCEM", .s2Peer))
    func rudeResourceManagerDoesNotDisturbTheCEM() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-s2r-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = RecordingStore(try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path))
        let cem = S2CEMServer(resources: Self.resources, plan: Self.plan, store: store, port: 0)
        let (port, server) = try await Self.serve(cem)
        defer { server.cancel() }

        let rude = try await S2Peer.run("s2_rude_rm.py", ["--url", "ws://127.0.0.1:\(port)/ws/battery", "--name", "battery", "--bearer-token", Self.token("battery")])
        #expect(rude.status == 0, "\(rude.err)")
        let r = Self.frame(rude.out)
        #expect(r["invalid_json"] as? String == "INVALID_DATA")
        #expect(r["unknown_type"] as? String == "INVALID_MESSAGE")
        #expect(r["selected"] as? String == "FILL_RATE_BASED_CONTROL")
        // 1.5 kW planned, in the RM's range −5…5 kW: factor (1500 + 5000) / 10000.
        let factor = (r["instruction"] as? [String: Any])?["factor"] as? Double
        #expect(factor.map { abs($0 - 0.65) < 1e-9 } == true, "\(rude.out)")
        let instructionID = (r["instruction"] as? [String: Any])?["id"] as? String ?? "?"
        try await waitUntil("the CEM to log the hang-up") { store.events.contains { $0.kind == "disconnected" } }
        let logged = store.events
        let unanswered = logged.first { $0.kind == "unacknowledged" }
        #expect(unanswered?.series == "f03_bat_kw" && unanswered?.message.contains(instructionID) == true, "\(logged)")
        #expect(logged.filter { $0.kind == "rejected" }.count == 2, "\(logged)")
        #expect(cem.acknowledged.withLockedValue { $0 }.isEmpty)

        let battery = try await S2Peer.run("s2_battery_rm.py", ["--url", "ws://127.0.0.1:\(port)/ws/battery", "--name", "battery", "--bearer-token", Self.token("battery"), "--timeout", "20"])
        #expect(battery.status == 0, "\(battery.err)")
        #expect(cem.acknowledged.withLockedValue { $0 } == ["battery": 1])
    }
}

extension S2Tests {
    /// Operation-mode based control, for a device that offers nothing else: the mode whose
    /// power range holds the plan (3 kW in "high", 2.5…5 kW → factor 0.2), or, when none
    /// does, the nearest at its nearest end (2.2 kW: "low" at 2 kW, factor 1); modes for
    /// abnormal conditions only are never chosen; a mode without a range is refused.
    @Test(arguments: [(3000.0, "high", 0.2), (2200.0, "low", 1.0)])
    func operationModeBasedControl(plannedW: Double, mode: String, factor: Double) throws {
        let start = Date().addingTimeInterval(-60)
        let s = S2Session(resources: ["pump": .init(asset: "f04_pump", series: "f04_pump_kw")],
                          plan: { _ in S2Plan(starts: [start], stepSeconds: 900, powerW: [plannedW]) })
        _ = s.receive(#"{"message_type": "Handshake", "message_id": "m1", "role": "RM", "supported_protocol_versions": ["0.0.2-beta"]}"#)
        let details = s.receive(#"{"message_type": "ResourceManagerDetails", "message_id": "m2", "name": "pump", "roles": [{"role": "ENERGY_CONSUMER", "commodity": "ELECTRICITY"}], "available_control_types": ["OPERATION_MODE_BASED_CONTROL"]}"#)
        #expect(Self.frame(details.send[1])["control_type"] as? String == "OPERATION_MODE_BASED_CONTROL")
        let bad = s.receive(#"{"message_type": "OMBC.SystemDescription", "message_id": "m3", "operation_modes": [{"id": "x"}]}"#)
        #expect(Self.frame(bad.send[0])["status"] as? String == "INVALID_MESSAGE" && bad.send.count == 1)
        func described(_ id: String, _ a: Double, _ b: Double, abnormal: Bool = false) -> String {
            #"{"id": "\#(id)", "power_ranges": [{"start_of_range": \#(a), "end_of_range": \#(b), "commodity_quantity": "ELECTRIC.POWER.3_PHASE_SYMMETRIC"}], "abnormal_condition_only": \#(abnormal)}"#
        }
        let modes = [described("boost", 2800, 3200, abnormal: true), described("off", 0, 0), described("low", 1000, 2000), described("high", 2500, 5000)]
        let description = s.receive(#"{"message_type": "OMBC.SystemDescription", "message_id": "m4", "valid_from": "2025-01-01T00:00:00Z", "transitions": [], "timers": [], "operation_modes": [\#(modes.joined(separator: ", "))]}"#)
        #expect(Self.frame(description.send[0])["status"] as? String == "OK")
        let instruction = Self.frame(description.send[1])
        #expect(instruction["message_type"] as? String == "OMBC.Instruction")
        #expect(instruction["operation_mode_id"] as? String == mode)
        #expect(abs((instruction["operation_mode_factor"] as? Double ?? -1) - factor) < 1e-12)
        _ = s.receive(#"{"message_type": "ReceptionStatus", "subject_message_id": "\#(instruction["message_id"] as? String ?? "")", "status": "OK"}"#)
        #expect(s.acknowledged.count == 1)
        #expect(s.receive(#"{"message_type": "OMBC.Status", "message_id": "m5", "active_operation_mode_id": "\#(mode)", "operation_mode_factor": \#(factor)}"#).send.count == 1)
    }
}
