@testable import Adapters
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import OpenADRAPI
import Testing
import TestSupport

/// The park's VTN as a firm that wants another firm's data, or to stop the batch, meets it:
/// on loopback, against the real server.
@Suite("Adapters: the VTN's perimeter", .serialized)
struct VTNSecurityTests {
    static let now = Date()

    /// A USAGE report of one resource: `values` per quarter-hour from `start`.
    static func report(event: String, start: Date, values: [Double]) -> String {
        let intervals = values.enumerated().map { k, v in #"{"id": \#(k), "payloads": [{"type": "USAGE", "values": [\#(v)]}]}"# }
        return #"{"eventID": "\#(event)", "clientName": "firm", "resources": [{"resourceName": "meter", "intervalPeriod": {"start": "\#(S2Messages.time(start))", "duration": "PT15M"}, "intervals": [\#(intervals.joined(separator: ", "))]}]}"#
    }

    static func eventID(_ vtn: ParkVTNFixture, _ name: String) -> String {
        vtn.service.store.state.withLockedValue { $0.events.first { $0.value2.eventName == name }?.value1.id } ?? "?"
    }

    /// Readings the park's rules refuse (a value that overflows to infinity, a date in 9999,
    /// more intervals than a report may carry) are a 400 naming the field; nothing is kept
    /// or stored; a body over the cap is 413 unread.
    @Test func reportsAreValidatedBeforeTheyAreKept() async throws {
        let vtn = try await ParkVTNFixture(checkReports: true)
        defer { vtn.stop() }
        let token = try await vtn.token("ven-f03", "s3cret-f03")
        let event = Self.eventID(vtn, "park-price-run-7")
        let recent = Self.now.addingTimeInterval(-3600)
        let far = try #require(ISO8601DateFormatter().date(from: "9999-12-31T00:00:00Z"))
        for (body, needle) in [(Self.report(event: event, start: recent, values: [1.7e308]), "resources[0].intervals[0]: value"),
                               (Self.report(event: event, start: far, values: [12]), "in the future"),
                               (Self.report(event: event, start: recent, values: Array(repeating: 1, count: 3000)), "at most 2880")] {
            let r = try await vtn.call(.POST, "/reports", token: token, body: body)
            #expect(r.status == 400 && (r.json?["detail"] as? String ?? "").contains(needle), "\(r.status) \(r.json ?? [:])")
        }
        let huge = Self.report(event: event, start: recent, values: Array(repeating: 1, count: 40_000))
        #expect(huge.utf8.count > VTNLimits.bodyBytes)
        #expect(try await vtn.call(.POST, "/reports", token: token, body: huge).status == 413)
        #expect(vtn.service.store.state.withLockedValue { $0.reports }.isEmpty)
        #expect(try vtn.store.measurements(series: "f03_load", from: .distantPast, to: .distantFuture).isEmpty)
        // A good report is taken and stored: 3 kWh in a quarter-hour is 12 kW.
        let good = try await vtn.call(.POST, "/reports", token: token, body: Self.report(event: event, start: recent, values: [3]))
        #expect(good.status == 201)
        #expect(try vtn.store.measurements(series: "f03_load", from: .distantPast, to: .distantFuture).map(\.value) == [12])
    }

    /// Callback URLs into the plant network, at the metadata address, in numeric disguise or
    /// with credentials are refused for a client that lists no private hosts; a client may
    /// hold only so many subscriptions.
    @Test func callbacksReachOnlyWhereTheClientMay() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let f05 = try await vtn.token("ven-f05", "s3cret-f05")
        func subscribe(_ url: String, _ token: String) async throws -> (status: Int, detail: String) {
            let body = #"{"clientName": "firm", "objectOperations": [{"objects": ["EVENT"], "operations": ["CREATE"], "callbackUrl": "\#(url)"}]}"#
            let r = try await vtn.call(.POST, "/subscriptions", token: token, body: body)
            return (r.status, r.json?["detail"] as? String ?? "")
        }
        for url in ["http://127.0.0.1:5432/admin", "http://localhost:8080/x", "http://169.254.169.254/latest/meta-data", "http://0x7f000001/",
                    "http://2130706433/", "http://10.1.2.3/hook", "http://[::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://192.168.1.5/hook",
                    "http://user:pw@203.0.113.9/hook", "ftp://example.com/"] {
            let r = try await subscribe(url, f05)
            #expect(r.status == 400 && r.detail.contains("callbackUrl"), "\(url): \(r)")
        }
        // ven-f03 lists 127.0.0.1 among its callback hosts: up to its quota.
        let f03 = try await vtn.token("ven-f03", "s3cret-f03")
        for _ in 0..<VTNLimits.subscriptionsPerClient {
            let r = try await subscribe("http://127.0.0.1:9/hook", f03)
            #expect(r.status == 201, "\(r)")
        }
        #expect(try await subscribe("http://127.0.0.1:9/hook", f03).status == 409)
    }

    /// A callback that answers with a redirect to another port is not followed: the
    /// notification fails with the 307, and the other port hears nothing.
    @Test func redirectsAreNotFollowed() async throws {
        let vtn = try await ParkVTNFixture(notificationTimeout: 2)
        defer { vtn.stop() }
        let hits = NIOLockedValueBox(0)
        let target = Router()
        target.post("admin") { _, _ -> HTTPResponse.Status in hits.withLockedValue { $0 += 1 }; return .ok }
        let (targetPort, targetTask) = try await IndependentVTN.serve(target)
        defer { targetTask.cancel() }
        let bouncer = Router()
        bouncer.post("hook") { _, _ -> Response in
            Response(status: .temporaryRedirect, headers: [.location: "http://127.0.0.1:\(targetPort)/admin"])
        }
        let (bouncerPort, bouncerTask) = try await IndependentVTN.serve(bouncer)
        defer { bouncerTask.cancel() }
        let f03 = try await vtn.token("ven-f03", "s3cret-f03")
        let body = #"{"clientName": "f03", "objectOperations": [{"objects": ["EVENT"], "operations": ["CREATE"], "callbackUrl": "http://127.0.0.1:\#(bouncerPort)/hook", "bearerToken": "attacker-chosen"}]}"#
        #expect(try await vtn.call(.POST, "/subscriptions", token: f03, body: body).status == 201)
        let op = try await vtn.token("operator", "s3cret-op")
        let program = try #require(vtn.service.store.state.withLockedValue { $0.programs.first }?.value1.id)
        #expect(try await vtn.call(.POST, "/events", token: op, body: #"{"programID": "\#(program)", "eventName": "late", "intervals": []}"#).status == 201)
        try await waitUntil("the notification to fail") { vtn.service.notifier.outcomes.withLockedValue { $0.values.contains { $0.failed == 1 } } }
        #expect(vtn.service.notifier.outcomes.withLockedValue { $0.values.first?.lastError } == "HTTP 307")
        #expect(hits.withLockedValue { $0 } == 0)
    }

    /// Names are per client; BL_* requests are the operator's; a resource goes only under a
    /// VEN of its own client; a report on another firm's event is answered as one on an
    /// event that does not exist.
    @Test func firmsCannotGetInEachOthersWay() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let f03 = try await vtn.token("ven-f03", "s3cret-f03"), f04 = try await vtn.token("ven-f04", "s3cret-f04")
        let ven = #"{"objectType": "VEN_VEN_REQUEST", "venName": "firm-f03"}"#
        let mine = try await vtn.call(.POST, "/vens", token: f03, body: ven)
        #expect(mine.status == 201)
        let theirVEN = try await vtn.call(.POST, "/vens", token: f04, body: ven)   // another client's name space
        #expect(theirVEN.status == 201)
        #expect(try await vtn.call(.POST, "/vens", token: f03, body: ven).status == 409)   // its own name, twice
        let f03VEN = mine.json?["id"] as? String ?? "?"
        let bl = #"{"objectType": "BL_VEN_REQUEST", "clientID": "ven-f03", "venName": "rogue", "targets": ["f03"]}"#
        let blAnswer = try await vtn.call(.POST, "/vens", token: f04, body: bl)
        #expect(blAnswer.status == 403, "\(blAnswer)")
        let blResource = #"{"objectType": "BL_RESOURCE_REQUEST", "clientID": "ven-f03", "resourceName": "x", "venID": "\#(f03VEN)"}"#
        #expect(try await vtn.call(.POST, "/resources", token: f04, body: blResource).status == 403)
        let f04VEN = theirVEN.json?["id"] as? String ?? "?"
        let resource = try await vtn.call(.POST, "/resources", token: f04,
                                          body: #"{"objectType": "VEN_RESOURCE_REQUEST", "resourceName": "pump", "venID": "\#(f04VEN)"}"#)
        #expect(resource.status == 201)
        let moved = try await vtn.call(.PUT, "/resources/\(resource.json?["id"] as? String ?? "?")", token: f04,
                                       body: #"{"objectType": "VEN_RESOURCE_REQUEST", "resourceName": "pump", "venID": "\#(f03VEN)"}"#)
        #expect(moved.status == 400 && (moved.json?["detail"] as? String ?? "").contains("names no VEN of this client"))
        // f04 reporting on f03's dispatch event, and on an event that does not exist: one answer.
        let theirs = try await vtn.call(.POST, "/reports", token: f04, body: Self.report(event: Self.eventID(vtn, "dispatch-f03-run-7"), start: Self.now, values: [1]))
        let none = try await vtn.call(.POST, "/reports", token: f04, body: Self.report(event: "event-999", start: Self.now, values: [1]))
        #expect(theirs.status == 400 && none.status == 400)
        #expect((theirs.json?["detail"] as? String)?.replacingOccurrences(of: Self.eventID(vtn, "dispatch-f03-run-7"), with: "X")
                == (none.json?["detail"] as? String)?.replacingOccurrences(of: "event-999", with: "X"))
    }

    /// Wrong secrets lock the client out (429 with Retry-After), even for the right secret
    /// while the lockout lasts; other clients go on.
    @Test func tokenGuessingIsThrottled() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        func attempt(_ client: String, _ secret: String) async throws -> Int {
            try await vtn.call(.POST, "/auth/token", body: "grant_type=client_credentials", contentType: "application/x-www-form-urlencoded",
                               basic: "\(client):\(secret)").status
        }
        for k in 0..<5 { #expect(try await attempt("ven-f03", "wrong-\(k)") == 401) }
        #expect(try await attempt("ven-f03", "s3cret-f03") == 429)
        #expect(try await attempt("ven-f04", "s3cret-f04") == 200)
    }

    /// The state file is the owner's alone from the first write.
    @Test func theStateFileIsPrivate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-vtnstate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("vtn.json").path
        let service = try VTNService(auth: VTNAuth(clients: []), stateFile: file)
        try service.addProgram(.init(programName: "p"))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["vtn.json"])
    }
}
