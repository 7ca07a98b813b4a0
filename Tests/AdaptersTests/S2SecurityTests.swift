@testable import Adapters
import Foundation
import HummingbirdWSClient
import Logging
import Measurements
import NIOConcurrencyHelpers
import RunHistory
import Testing
import TestSupport

/// The CEM as an attacker on the plant network meets it, on loopback: only a resource
/// manager holding its own token connects, as itself, once; what it reports is checked
/// before it is stored.
@Suite("Adapters: the S2 CEM's perimeter", .serialized, .requires("S2SecurityTests", .s2Peer))
struct S2SecurityTests {
    static let now = S2Messages.time(Date())

    static func message(_ type: String, _ fields: String = "") -> String {
        #"{"message_type": "\#(type)", "message_id": "\#(UUID().uuidString.lowercased())"\#(fields.isEmpty ? "" : ", " + fields)}"#
    }

    static func details(_ name: String) -> String {
        message("ResourceManagerDetails", #""name": "\#(name)", "roles": [{"role": "ENERGY_STORAGE", "commodity": "ELECTRICITY"}], "available_control_types": ["FILL_RATE_BASED_CONTROL"]"#)
    }

    static func measurement(_ w: Double, at time: String = now) -> String {
        message("PowerMeasurement", #""measurement_timestamp": "\#(time)", "values": [{"commodity_quantity": "ELECTRIC.POWER.3_PHASE_SYMMETRIC", "value": \#(w)}]"#)
    }

    static func forecast(_ watts: [Double], from start: String = now) -> String {
        let elements = watts.map { #"{"duration": 900000, "power_values": [{"commodity_quantity": "ELECTRIC.POWER.3_PHASE_SYMMETRIC", "value_expected": \#($0)}]}"# }
        return message("PowerForecast", #""start_time": "\#(start)", "elements": [\#(elements.joined(separator: ", "))]"#)
    }

    /// How the CEM closes a connection to `path` with `token` that sends nothing (s2-python's
    /// WebSocket library, as resource managers use it): the close code and reason (nil: it
    /// kept the connection open).
    static func closing(_ port: Int, _ path: String, token: String?) async throws -> (code: Int, reason: String)? {
        let probe = try await S2Peer.run("s2_probe.py", ["--url", "ws://127.0.0.1:\(port)\(path)"] + (token.map { ["--bearer-token", $0] } ?? []))
        guard probe.status == 0 else { throw PeerError("s2_probe.py: \(probe.err)") }
        let answer = S2Tests.frame(probe.out)
        return (answer["close_code"] as? Int).map { ($0, answer["reason"] as? String ?? "") }
    }

    /// Connects to `/ws/<name>` with `token`, sends the frames and collects what the CEM sends
    /// until `done` says it has enough; `hold` keeps the connection open until it returns.
    static func exchange(_ port: Int, _ name: String, token: String, _ frames: [String],
                         hold: @escaping @Sendable () async -> Void = {}, done: @escaping @Sendable ([[String: Any]]) -> Bool)
        async throws -> [[String: Any]] {
        let got = NIOLockedValueBox<[String]>([])
        var settings = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        settings.additionalHeaders[.authorization] = "Bearer \(token)"
        let configuration = settings
        _ = try await within("an exchange with the CEM as \(name)", timeout: 30) {
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws/\(name)", configuration: configuration,
                                              logger: Logger(label: "s2-test")) { inbound, outbound, _ in
                for f in frames { try await outbound.write(.text(f)) }
                for try await m in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let t) = m { got.withLockedValue { $0.append(t) } }
                    if done(got.withLockedValue { $0 }.map(S2Tests.frame)) { break }
                }
                await hold()
            }
        }
        return got.withLockedValue { $0 }.map(S2Tests.frame)
    }

    static func statuses(_ frames: [[String: Any]]) -> [String] {
        frames.filter { $0["message_type"] as? String == "ReceptionStatus" }.compactMap { $0["status"] as? String }
    }

    func withCEM(throttle: FailureThrottle = FailureThrottle(),
                 _ body: (Int, S2CEMServer, SQLiteMeasurementStore) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-s2s-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path)
        let cem = S2CEMServer(resources: S2Tests.resources, plan: S2Tests.plan, store: store, port: 0, throttle: throttle)
        let (port, server) = try await S2Tests.serve(cem)
        defer { server.cancel() }
        try await body(port, cem, store)
    }

    /// No token, a wrong token, another resource's token, an unknown name: one answer, 401.
    @Test func onlyTheResourcesOwnTokenOpensItsName() async throws {
        try await withCEM { port, _, _ in
            let battery = S2Tests.token("battery"), pump = S2Tests.token("pump")
            for (path, token) in [("/ws/battery", nil), ("/ws/battery", "guess-guess-guess-1"), ("/ws/battery", pump),
                                  ("/ws/nobody", battery), ("/ws/battery-1", battery)] as [(String, String?)] {
                let answer = try await Self.closing(port, path, token: token)
                #expect(answer?.code == 4401, "\(path) with \(token ?? "no token"): \(String(describing: answer))")
                #expect(answer?.reason.contains("bearer token") == true)
            }
            // The right token opens the session.
            let frames = try await Self.exchange(port, "battery", token: battery, [Self.message("Handshake", #""role": "RM""#)]) {
                $0.contains { $0["message_type"] as? String == "HandshakeResponse" }
            }
            #expect(Self.statuses(frames) == ["OK"])
        }
    }

    /// Connected as the pump, a resource manager cannot claim the battery's name; no
    /// instruction of the battery's plan reaches it.
    @Test func aSessionSpeaksOnlyForItsOwnName() async throws {
        try await withCEM { port, _, store in
            // Another firm's battery, another firm's process, and a name that would forge a log line.
            let frames = try await Self.exchange(port, "pump", token: S2Tests.token("pump"),
                                                 [Self.message("Handshake", #""role": "RM""#), Self.details("battery"), Self.details("shiftable-process"),
                                                  Self.details(#"battery\n2026-12-06T00:00:00+0000 info forged"#)]) {
                Self.statuses($0).count == 4
            }
            #expect(Self.statuses(frames) == ["OK", "INVALID_MESSAGE", "INVALID_MESSAGE", "INVALID_MESSAGE"])
            #expect(!frames.contains { ["SelectControlType", "FRBC.Instruction", "PPBC.ScheduleInstruction"].contains($0["message_type"] as? String ?? "") })
            let events = try store.feedStatus().compactMap(\.lastEvent)
            #expect(!events.isEmpty && events.allSatisfy { !$0.contains("\n") }, "\(events)")
        }
    }

    /// A second connection as a name already connected is refused (4409) while the first holds.
    @Test func oneSessionPerName() async throws {
        try await withCEM { port, cem, _ in
            let release = NIOLockedValueBox(false)
            let first = Task {
                _ = try await Self.exchange(port, "battery", token: S2Tests.token("battery"), [Self.message("Handshake", #""role": "RM""#)],
                                        hold: { while !release.withLockedValue({ $0 }) { try? await Task.sleep(nanoseconds: 10_000_000) } },
                                        done: { $0.contains { $0["message_type"] as? String == "HandshakeResponse" } })
            }
            try await waitUntil("the first session to be connected") { cem.connected.withLockedValue { $0 } == ["battery"] }
            let second = try await Self.closing(port, "/ws/battery", token: S2Tests.token("battery"))
            #expect(second?.code == 4409, "\(String(describing: second))")
            release.withLockedValue { $0 = true }
            try await first.value
            try await waitUntil("the first session to end") { cem.connected.withLockedValue { $0 }.isEmpty }
        }
    }

    /// Power beyond the resource's limit (1e15 W; a 9e9 kW forecast), a measurement a year
    /// old or an hour ahead: INVALID_CONTENT, and nothing reaches the store; a forecast over
    /// 16 KiB (a day in quarter-hours with every field) is taken whole.
    @Test func whatAResourceManagerSendsIsCheckedBeforeTheStore() async throws {
        try await withCEM { port, _, store in
            let yearAgo = S2Messages.time(Date().addingTimeInterval(-365 * 86400)), hourAhead = S2Messages.time(Date().addingTimeInterval(3600))
            let good = (0..<200).map { Double($0 % 7) * 1000 }
            let big = Self.forecast(good)
            #expect(big.utf8.count > 24_000)
            let frames = try await Self.exchange(port, "battery", token: S2Tests.token("battery"), [
                Self.measurement(1e15), Self.measurement(-1200, at: yearAgo), Self.measurement(-1200, at: hourAhead),
                Self.forecast([1000, 9e12]), big, Self.measurement(-1200),
                // Not electric power: answered, never stored as the battery's power.
                Self.message("PowerMeasurement", #""measurement_timestamp": "\#(Self.now)", "values": [{"commodity_quantity": "HEAT.TEMPERATURE", "value": 1e15}]"#),
            ]) { Self.statuses($0).count == 7 }
            #expect(Self.statuses(frames) == ["INVALID_CONTENT", "INVALID_CONTENT", "INVALID_CONTENT", "INVALID_CONTENT", "OK", "OK", "OK"])
            #expect(try store.measurements(series: "f03_bat_kw", from: .distantPast, to: .distantFuture).map(\.value) == [-1.2])
            let forecast = try store.measurements(series: "f03_bat_kw_forecast", from: .distantPast, to: .distantFuture)
            #expect(forecast.map(\.value) == good.map { $0 / 1000 })
        }
    }

    /// Wrong tokens for one name lock it out (4429), even for the right token, while the
    /// lockout lasts; other names are not affected.
    @Test func guessingIsThrottled() async throws {
        try await withCEM(throttle: FailureThrottle(limit: 3, window: 3600, lockout: 3600)) { port, _, _ in
            for k in 0..<3 { #expect(try await Self.closing(port, "/ws/battery", token: "wrong-token-guess-\(k)")?.code == 4401) }
            let locked = try await Self.closing(port, "/ws/battery", token: S2Tests.token("battery"))
            #expect(locked?.code == 4429 && locked?.reason.contains("retry") == true, "\(String(describing: locked))")
            let frames = try await Self.exchange(port, "pump", token: S2Tests.token("pump"), [Self.message("Handshake", #""role": "RM""#)]) {
                Self.statuses($0).count == 1
            }
            #expect(Self.statuses(frames) == ["OK"])
        }
    }
}
