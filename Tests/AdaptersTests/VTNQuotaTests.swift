@testable import Adapters
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// The VTN's limits and answers a firm meets when it tries to crowd out, rename into or
/// probe another firm: on loopback, against the real server.
@Suite("Adapters: the VTN's quotas, names and answers", .serialized)
struct VTNQuotaTests {
    static func vensBody(_ name: String) -> String { #"{"objectType": "VEN_VEN_REQUEST", "venName": "\#(name)"}"# }

    /// Readings too old for the park's rules, and names longer than 128 characters, are a 400
    /// naming the field, and nothing is kept.
    @Test func staleReadingsAndLongNamesAreRefused() async throws {
        let vtn = try await ParkVTNFixture(checkReports: true)
        defer { vtn.stop() }
        let token = try await vtn.token("ven-f03", "s3cret-f03")
        let event = VTNSecurityTests.eventID(vtn, "park-price-run-7")
        let stale = try await vtn.call(.POST, "/reports", token: token,
                                       body: VTNSecurityTests.report(event: event, start: Date().addingTimeInterval(-8 * 86400), values: [3]))
        #expect(stale.status == 400 && (stale.json?["detail"] as? String ?? "").contains("is older than"), "\(stale)")
        let long = String(repeating: "n", count: 129)
        let ven = try await vtn.call(.POST, "/vens", token: token, body: Self.vensBody(long))
        #expect(ven.status == 400 && (ven.json?["detail"] as? String ?? "").contains("1 to 128 characters"), "\(ven)")
        let big = try await vtn.call(.POST, "/vens", token: token, body: Self.vensBody(String(repeating: "n", count: 500_000)))
        #expect(big.status == 400)
        #expect(try await vtn.call(.POST, "/vens", token: token, body: Self.vensBody(String(repeating: "n", count: 128))).status == 201)
        #expect(vtn.service.store.state.withLockedValue { $0.reports.isEmpty && $0.vens.count == 1 })
        #expect(try vtn.store.measurements(series: "f03_load", from: .distantPast, to: .distantFuture).isEmpty)
    }

    /// A client holds at most 10 VENs and 200 resources (409 beyond) and keeps its last 100
    /// reports; another client is not affected.
    @Test func eachClientHasItsQuota() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let f03 = try await vtn.token("ven-f03", "s3cret-f03"), f04 = try await vtn.token("ven-f04", "s3cret-f04")
        var vens: [String] = []
        for k in 0..<VTNLimits.vensPerClient {
            let r = try await vtn.call(.POST, "/vens", token: f03, body: Self.vensBody("v\(k)"))
            #expect(r.status == 201)
            vens.append(r.json?["id"] as? String ?? "?")
        }
        #expect(try await vtn.call(.POST, "/vens", token: f03, body: Self.vensBody("one-more")).status == 409)
        #expect(try await vtn.call(.POST, "/vens", token: f04, body: Self.vensBody("v0")).status == 201)
        for k in 0..<VTNLimits.resourcesPerClient {
            let body = #"{"objectType": "VEN_RESOURCE_REQUEST", "resourceName": "r\#(k)", "venID": "\#(vens[k % vens.count])"}"#
            #expect(try await vtn.call(.POST, "/resources", token: f03, body: body).status == 201)
        }
        let extra = #"{"objectType": "VEN_RESOURCE_REQUEST", "resourceName": "one-more", "venID": "\#(vens[0])"}"#
        #expect(try await vtn.call(.POST, "/resources", token: f03, body: extra).status == 409)
        let event = VTNSecurityTests.eventID(vtn, "dispatch-f03-run-7")
        for k in 0..<(VTNLimits.reportsPerClient + 5) {
            let body = VTNSecurityTests.report(event: event, start: Date().addingTimeInterval(Double(-900 * (k + 1))), values: [1])
            #expect(try await vtn.call(.POST, "/reports", token: f03, body: body).status == 201)
        }
        let kept = vtn.service.store.state.withLockedValue { $0.reports.count }
        #expect(kept == VTNLimits.reportsPerClient)
        let other = VTNSecurityTests.report(event: VTNSecurityTests.eventID(vtn, "dispatch-f04-run-7"), start: Date().addingTimeInterval(-900), values: [1])
        #expect(try await vtn.call(.POST, "/reports", token: f04, body: other).status == 201)
    }

    /// A firm may rename its VEN to a name another firm uses (names are per client), never to
    /// one of its own; moving a resource under another firm's VEN is answered as a move under
    /// a VEN that does not exist.
    @Test func renamesAndMovesRevealNothing() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let f03 = try await vtn.token("ven-f03", "s3cret-f03"), f04 = try await vtn.token("ven-f04", "s3cret-f04")
        let theirs = try await vtn.call(.POST, "/vens", token: f04, body: Self.vensBody("firm-f04"))
        let a = try await vtn.call(.POST, "/vens", token: f03, body: Self.vensBody("a"))
        let b = try await vtn.call(.POST, "/vens", token: f03, body: Self.vensBody("b"))
        let aID = a.json?["id"] as? String ?? "?", bID = b.json?["id"] as? String ?? "?"
        #expect(try await vtn.call(.PUT, "/vens/\(aID)", token: f03, body: Self.vensBody("firm-f04")).status == 200)
        #expect(try await vtn.call(.PUT, "/vens/\(bID)", token: f03, body: Self.vensBody("firm-f04")).status == 409)
        let resource = try await vtn.call(.POST, "/resources", token: f03,
                                          body: #"{"objectType": "VEN_RESOURCE_REQUEST", "resourceName": "pump", "venID": "\#(aID)"}"#)
        let rID = resource.json?["id"] as? String ?? "?"
        let f04VEN = theirs.json?["id"] as? String ?? "?"
        func move(to ven: String) async throws -> (Int, String) {
            let r = try await vtn.call(.PUT, "/resources/\(rID)", token: f03,
                                       body: #"{"objectType": "VEN_RESOURCE_REQUEST", "resourceName": "pump", "venID": "\#(ven)"}"#)
            return (r.status, (r.json?["detail"] as? String ?? "").replacingOccurrences(of: ven, with: "X"))
        }
        let toTheirs = try await move(to: f04VEN), toNone = try await move(to: "ven-999")
        #expect(toTheirs.0 == 400 && toTheirs == toNone, "\(toTheirs) vs \(toNone)")
        // f04 reading f03's VEN: the same answer as for a VEN that does not exist.
        let peek = try await vtn.call(.GET, "/vens/\(aID)", token: f04), missing = try await vtn.call(.GET, "/vens/ven-999", token: f04)
        #expect(peek.status == missing.status && peek.status == 404)
    }

    /// A body sent in chunks, without a Content-Length, is cut at the cap as well: 413.
    @Test func aChunkedBodyOverTheCapIsRefused() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let token = try await vtn.token("ven-f03", "s3cret-f03")
        var r = HTTPClientRequest(url: "http://127.0.0.1:\(vtn.port)/reports")
        r.method = .POST
        r.headers.add(name: "Authorization", value: "Bearer \(token)")
        r.headers.add(name: "Content-Type", value: "application/json")
        let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 64 << 10)
        let chunks = Array(repeating: chunk, count: 2 * VTNLimits.bodyBytes / chunk.readableBytes)
        let stream = AsyncStream<ByteBuffer> { c in
            for part in chunks { c.yield(part) }
            c.finish()
        }
        r.body = .stream(stream, length: .unknown)
        let response = try await HTTPClient.shared.execute(r, timeout: .seconds(30))
        #expect(response.status.code == 413)
        #expect(r.headers.first(name: "Content-Length") == nil)
    }

    /// A locked-out client is told when to come back.
    @Test func aLockoutSaysWhenToRetry() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        func attempt(_ secret: String) async throws -> HTTPClientResponse {
            var r = HTTPClientRequest(url: "http://127.0.0.1:\(vtn.port)/auth/token")
            r.method = .POST
            r.headers.add(name: "Authorization", value: "Basic \(Data("ven-f03:\(secret)".utf8).base64EncodedString())")
            r.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            r.body = .bytes(ByteBuffer(string: "grant_type=client_credentials"))
            return try await HTTPClient.shared.execute(r, timeout: .seconds(10))
        }
        for k in 0..<5 { #expect(try await attempt("wrong-\(k)").status == .unauthorized) }
        let locked = try await attempt("s3cret-f03")
        #expect(locked.status == .tooManyRequests)
        #expect(Int(locked.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
    }

    /// A callback URL is logged without its credentials or query; a clients file with secrets
    /// in clear or readable by every user is read with a warning for each, one with hashes and
    /// mode 0600 without.
    @Test func secretsStayOutOfLogsAndFiles() throws {
        #expect(VTNNotifier.shown("http://user:pw@vendor.example:8443/hook?token=abc#x") == "http://vendor.example:8443/hook")
        #expect(!VTNNotifier.shown("https://h/a\nforged line").contains("\n"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-clients-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let clear = dir.appendingPathComponent("clear.json").path
        try #"{"clients": [{"id": "ven-f03", "secret": "s3cret-f03", "scopes": ["read_targets"]}]}"#.write(toFile: clear, atomically: true, encoding: .utf8)
        chmod(clear, 0o644)
        let warned = try VTNAuth.readClientsFile(path: clear).warnings
        #expect(warned.contains { $0.contains("ven-f03 is in clear") })
        #expect(warned.contains { $0.contains("every user can read") })
        let hashed = dir.appendingPathComponent("hashed.json").path
        let hash = Credential.hash("s3cret-f03", rounds: Credential.minimumRounds)
        try #"{"clients": [{"id": "ven-f03", "secretHash": "\#(hash)", "scopes": ["read_targets"]}]}"#.write(toFile: hashed, atomically: true, encoding: .utf8)
        chmod(hashed, 0o600)
        let quiet = try VTNAuth.readClientsFile(path: hashed)
        #expect(quiet.warnings.isEmpty)
        #expect(quiet.clients.first?.credential.matches("s3cret-f03") == true && quiet.clients.first?.credential.matches("s3cret-f04") == false)
    }
}
