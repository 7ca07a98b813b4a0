@testable import Adapters
import AsyncHTTPClient
import Foundation
import Measurements
import NIOCore
import NIOHTTP1
import OpenADRAPI
import RunHistory
import Testing
import TestSupport

/// The park's VTN on loopback with a run's price and dispatch published as events.
final class ParkVTNFixture: @unchecked Sendable {
    static let lambda = [0.31, 0.35, 0.52, 0.44]
    static let exchange = ["f03": [120.0, -40, 0, 75.5], "f04": [3814.0, 0, 0, 3814]]
    let port = TestPorts.pick()
    let store: SQLiteMeasurementStore
    let service: VTNService
    let auth: VTNAuth
    let task: Task<Void, any Error>
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-vtn-\(UUID().uuidString)")

    /// A stored run of four steps: λ and two firms' exchange.
    static var run: RunDetail {
        var run = RunDetail(fields: [("status", "optimal")], parts: [:], firms: [:], internalPrice: lambda, importPrice: [],
                            scheduleValues: [:], forecastModels: [:])
        run.times = ["2025-06-01T00:00:00+08:00", "2025-06-01T00:15:00+08:00", "2025-06-01T00:30:00+08:00", "2025-06-01T00:45:00+08:00"]
        for (firm, v) in exchange { run.scheduleValues["\(firm)/\(firm)/exchange_kW"] = v }
        return run
    }

    /// `checkReports`: readings checked as `vtn serve` checks them (`ParkVTN.check`, default specs).
    init(notificationTimeout: Int64 = 5, checkReports: Bool = false, idleSeconds: Double = ServerLimits.idleSeconds) async throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path)
        self.store = store
        let venScopes: Set<String> = ["read_targets", "read_ven_objects", "write_reports", "write_vens", "write_subscriptions"]
        let auth = VTNAuth(clients: [.init(id: "ven-f03", secret: "s3cret-f03", scopes: venScopes, targets: ["f03"], callbackHosts: ["127.0.0.1"]),
                                     .init(id: "ven-f04", secret: "s3cret-f04", scopes: venScopes, targets: ["f04"], callbackHosts: ["127.0.0.1"]),
                                     .init(id: "ven-f05", secret: "s3cret-f05", scopes: venScopes, targets: ["f05"]),
                                     .init(id: "operator", secret: "s3cret-op", scopes: ["read_all", "write_programs", "write_events", "write_vens"])])
        self.auth = auth
        let validator = MeasurementValidator(["f03", "f04", "f05"].map(ParkVTN.defaultLoadSpec))
        service = try VTNService(auth: auth, notifier: VTNNotifier(timeoutSeconds: notificationTimeout),
                                 reportCheck: { checkReports ? ParkVTN.check($0, grant: $1, validator: validator) : [] },
                                 onReport: { report, grant in _ = try? store.ingest(ParkVTN.measurements(report, grant: grant)) })
        try ParkVTN.publish(Self.run, runID: 7, currency: "CNY", into: service)
        var server = VTNServer(service: service, auth: auth, port: port)
        server.idleSeconds = idleSeconds
        // The server runs on the feed executor's threads, not on the cooperative pool that
        // CPU-bound tests running beside this one may hold. Readiness is judged by attempts,
        // not by the wall clock, so a busy machine only delays it.
        task = Task(executorPreference: FeedExecutor.shared) { [server] in try await server.run() }
        for _ in 0..<200 {
            if let r = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/auth/server"), timeout: .seconds(2)),
               r.status == .ok { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw PeerError("the VTN did not answer on port \(port) after 200 attempts")
    }

    func stop() {
        task.cancel()
        try? FileManager.default.removeItem(at: dir)
    }

    /// One HTTP exchange: status and body as JSON (nil when not JSON).
    func call(_ method: HTTPMethod, _ path: String, token: String? = nil, body: String? = nil, contentType: String = "application/json",
              basic: String? = nil) async throws -> (status: Int, json: [String: Any]?) {
        var r = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        r.method = method
        if let token { r.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let basic { r.headers.add(name: "Authorization", value: "Basic \(Data(basic.utf8).base64EncodedString())") }
        if let body {
            r.headers.add(name: "Content-Type", value: contentType)
            r.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(r, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), try? JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any])
    }

    func token(_ client: String, _ secret: String, scope: String? = nil) async throws -> String {
        let form = "grant_type=client_credentials" + (scope.map { "&scope=\($0.replacingOccurrences(of: " ", with: "+"))" } ?? "")
        let r = try await call(.POST, "/auth/token", body: form, contentType: "application/x-www-form-urlencoded", basic: "\(client):\(secret)")
        guard r.status == 200, let t = r.json?["access_token"] as? String else { throw PeerError("no token for \(client): \(r)") }
        return t
    }
}

@Suite("Adapters: the park's OpenADR 3.1 VTN", .serialized)
struct OpenADRTests {
    /// openadr3-client, as firm f03's VEN: discovers the token URL, registers, reads the
    /// park program and the events aimed at it (the price for everyone, its own dispatch —
    /// not f04's), and reports usage, which becomes f03's load in the store.
    @Test(.requires("OpenADRTests/firmVENReadsItsEventsAndReportsUsage", .openADRPeer))
    func firmVENReadsItsEventsAndReportsUsage() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let args = ["--url", "http://127.0.0.1:\(vtn.port)", "--client-id", "ven-f03", "--client-secret", "s3cret-f03", "--ven-name", "firm-f03",
                    "--scopes", "read_targets read_ven_objects write_reports write_vens", "--usage", "25,27.5,30"]
        let first = try await OpenADRPeer.ven(args)
        #expect(first.status == 0, "\(first.err)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any])
        #expect(seen["programNames"] as? [String] == [ParkVTN.programName])
        let events = seen["events"] as? [[String: Any]] ?? []
        #expect(Set(events.compactMap { $0["eventName"] as? String }) == ["park-price-run-7", "dispatch-f03-run-7"])
        func values(_ name: String, _ type: String) -> [Double] {
            let e = events.first { $0["eventName"] as? String == name }
            return (e?["intervals"] as? [[String: Any]] ?? []).compactMap { (($0["payloads"] as? [String: Any])?[type] as? [Double])?.first }
        }
        #expect(values("park-price-run-7", "PRICE") == ParkVTNFixture.lambda)
        #expect(values("dispatch-f03-run-7", "DISPATCH_SETPOINT") == ParkVTNFixture.exchange["f03"])
        #expect((seen["ven"] as? [String: Any])?["clientID"] as? String == "ven-f03")
        #expect(seen["reportID"] as? String != nil)
        // 25, 27.5, 30 kWh per quarter-hour → 100, 110, 120 kW of f03's load, from 00:00 +08:00.
        let load = try vtn.store.measurements(series: "f03_load", from: .distantPast, to: .distantFuture)
        #expect(load.map(\.value) == [100, 110, 120])
        #expect(load.first?.time == ISO8601DateFormatter().date(from: "2025-06-01T00:00:00+08:00"))
        #expect(load.allSatisfy { $0.source == "openadr:ven-f03" })

        // Run again: the VEN finds its registration by name instead of registering twice.
        let second = try await OpenADRPeer.ven(args)
        #expect(second.status == 0, "\(second.err)")
        let again = try JSONSerialization.jsonObject(with: Data(second.out.utf8)) as? [String: Any]
        #expect((again?["ven"] as? [String: Any])?["id"] as? String == (seen["ven"] as? [String: Any])?["id"] as? String)
    }

    /// What a VTN must refuse, each with the spec's problem body (or RFC 6749's error).
    @Test func refusalsAreProblemsNotCrashes() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let anonymous = try await vtn.call(.GET, "/programs")
        #expect(anonymous.status == 401 && anonymous.json?["status"] as? Int == 401)
        let wrong = try await vtn.call(.POST, "/auth/token", body: "grant_type=client_credentials", contentType: "application/x-www-form-urlencoded",
                                       basic: "ven-f03:guess")
        #expect(wrong.status == 401 && wrong.json?["error"] as? String == "invalid_client")
        let greedy = try await vtn.call(.POST, "/auth/token", body: "grant_type=client_credentials&scope=write_programs",
                                        contentType: "application/x-www-form-urlencoded", basic: "ven-f03:s3cret-f03")
        #expect(greedy.status == 400 && greedy.json?["error"] as? String == "invalid_scope")
        // The spec's own form (credentials in the body) works as well as HTTP Basic.
        let form = try await vtn.call(.POST, "/auth/token", body: "grant_type=client_credentials&client_id=ven-f04&client_secret=s3cret-f04",
                                      contentType: "application/x-www-form-urlencoded")
        #expect(form.status == 200 && form.json?["token_type"] as? String == "Bearer")

        let token = try await vtn.token("ven-f03", "s3cret-f03")
        let forbidden = try await vtn.call(.POST, "/programs", token: token, body: #"{"programName": "mine"}"#)
        #expect(forbidden.status == 403 && (forbidden.json?["detail"] as? String)?.contains("write_programs") == true)
        let missing = try await vtn.call(.POST, "/reports", token: token, body: #"{"clientName": "f03", "resources": []}"#)
        #expect(missing.status == 400 && (missing.json?["detail"] as? String)?.contains("eventID") == true, "\(missing)")
        let garbage = try await vtn.call(.POST, "/reports", token: token, body: "{not json")
        #expect(garbage.status == 400)
        let unknownEvent = try await vtn.call(.POST, "/reports", token: token,
                                              body: #"{"eventID": "event-999", "clientName": "f03", "resources": []}"#)
        #expect(unknownEvent.status == 400 && (unknownEvent.json?["detail"] as? String)?.contains("names no event") == true)
        let badDuration = try await vtn.call(.POST, "/reports", token: token, body: """
            {"eventID": "event-2", "clientName": "f03", "resources": [{"resourceName": "M", "intervalPeriod": {"start": "2025-06-01T00:00:00Z", "duration": "15 minutes"},
             "intervals": [{"id": 0, "payloads": [{"type": "USAGE", "values": [1]}]}]}]}
            """)
        #expect(badDuration.status == 400 && (badDuration.json?["detail"] as? String)?.contains("ISO 8601 duration") == true)
        #expect(try await vtn.call(.GET, "/events/event-999", token: token).status == 404)
        // f04's dispatch is not f03's to read.
        let events = try await vtn.call(.GET, "/events", token: token)
        #expect(events.status == 200)
        let f04 = try await vtn.token("ven-f04", "s3cret-f04")
        #expect(try await vtn.call(.GET, "/vens", token: f04).status == 200)
        #expect(try await vtn.call(.GET, "/auth/server").json?["tokenURL"] as? String == "http://127.0.0.1:\(vtn.port)/auth/token")
        // The operator renames and deletes a program: its events go with it; a VEN cannot touch them.
        let op = try await vtn.token("operator", "s3cret-op")
        let created = try await vtn.call(.POST, "/programs", token: op, body: #"{"programName": "trial"}"#)
        let pid = try #require(created.json?["id"] as? String)
        #expect(try await vtn.call(.POST, "/events", token: op, body: #"{"programID": "\#(pid)", "intervals": []}"#).status == 201)
        let renamed = try await vtn.call(.PUT, "/programs/\(pid)", token: op, body: #"{"programName": "trial-2"}"#)
        #expect(renamed.status == 200 && renamed.json?["programName"] as? String == "trial-2" && renamed.json?["id"] as? String == pid)
        #expect(try await vtn.call(.DELETE, "/programs/\(pid)", token: token).status == 403)
        #expect(try await vtn.call(.DELETE, "/programs/\(pid)", token: op).status == 200)
        #expect(try await vtn.call(.GET, "/programs/\(pid)", token: op).status == 404)
        #expect(!vtn.service.store.state.withLockedValue { $0.events.contains { $0.value2.programID == pid } })
        #expect(try await vtn.call(.PUT, "/programs/\(pid)", token: op, body: #"{"programName": "x"}"#).status == 404)
    }

    /// Our VEN against a VTN where an operator posted a tariff: a base PRICE event, a more
    /// urgent override for one quarter-hour, a GHG event. The VEN finds its token URL,
    /// registers once, and reads the events as signals with the override winning.
    @Test func ourVENTurnsEventsIntoSignals() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let op = try await vtn.token("operator", "s3cret-op")
        let program = try await vtn.call(.POST, "/programs", token: op, body: #"{"programName": "utility-tariff"}"#)
        let pid = try #require(program.json?["id"] as? String)
        func interval(_ k: Int, _ type: String, _ v: Double) -> String { #"{"id": \#(k), "payloads": [{"type": "\#(type)", "values": [\#(v)]}]}"# }
        let base = try await vtn.call(.POST, "/events", token: op, body: """
            {"programID": "\(pid)", "eventName": "day-ahead", "priority": 1, "intervalPeriod": {"start": "2025-06-02T00:00:00+08:00", "duration": "PT15M"},
             "intervals": [\((0..<4).map { interval($0, "PRICE", 0.30) }.joined(separator: ","))]}
            """)
        #expect(base.status == 201, "\(base)")
        let urgent = try await vtn.call(.POST, "/events", token: op, body: """
            {"programID": "\(pid)", "eventName": "peak", "priority": 0, "intervalPeriod": {"start": "2025-06-02T00:15:00.123456+08:00", "duration": "PT15M"},
             "intervals": [\(interval(0, "PRICE", 0.90))]}
            """)
        #expect(urgent.status == 201, "\(urgent)")
        _ = try await vtn.call(.POST, "/events", token: op, body: """
            {"programID": "\(pid)", "eventName": "carbon", "intervalPeriod": {"start": "2025-06-02T00:00:00Z", "duration": "PT1H"},
             "intervals": [\(interval(0, "GHG", 540))]}
            """)

        var settings = VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(vtn.port)")!, clientID: "ven-f03", secret: "s3cret-f03", venName: "park-ven")
        settings.programName = "utility-tariff"
        let ven = try VENClient(settings)
        let id = try await ven.register()
        #expect(try await ven.register() == id)
        let day = try #require(ISO8601DateFormatter().date(from: "2025-06-02T00:00:00+08:00"))
        let signals = try await ven.signals(from: day.addingTimeInterval(-86400), to: day.addingTimeInterval(86400))
        let prices = signals.filter { $0.kind == .importPrice }
        // The override starts at 00:15:00.123: the fraction is read (milliseconds kept).
        let cut = day.addingTimeInterval(900.123)
        #expect(prices.map(\.value) == [0.30, 0.90, 0.30])
        #expect(prices.map { $0.start.timeIntervalSince(day) }.map { ($0 * 1000).rounded() / 1000 } == [0, 900.123, 1800.123])
        #expect(prices.last?.end == day.addingTimeInterval(3600) && prices.first?.end.timeIntervalSince(cut).magnitude ?? 1 < 1e-3)
        #expect(signals.filter { $0.kind == .carbonIntensity }.map(\.value) == [0.54])

        // A wrong secret is an error naming the token endpoint, not a hang or a crash.
        var bad = settings
        bad.secret = "guess"
        do {
            _ = try await VENClient(bad).events()
            Issue.record("a wrong secret was accepted")
        } catch { #expect("\(error)".contains("invalid_client"), "\(error)") }
    }
}
