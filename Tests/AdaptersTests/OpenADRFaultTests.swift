@testable import Adapters
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import Testing
import TestSupport

@Suite("Adapters: OpenADR faults")
struct OpenADRFaultTests {
    /// Tokens expire; a VEN whose tokens were revoked fetches a new one after the 401 and
    /// carries on; a VTN that is not there is an error within the time-out, not a hang.
    @Test func expiredRevokedAndUnreachable() async throws {
        let auth = VTNAuth(clients: [.init(id: "c", secret: "12345678", scopes: ["read_all"])], tokenLifetime: 60)
        let t = try auth.issue(grantType: "client_credentials", clientID: "c", secret: "12345678", scope: nil, now: Date(timeIntervalSince1970: 0))
        #expect(auth.grant(authorization: "Bearer \(t.token)", now: Date(timeIntervalSince1970: 59)) != nil)
        #expect(auth.grant(authorization: "Bearer \(t.token)", now: Date(timeIntervalSince1970: 61)) == nil)
        #expect(throws: VTNAuth.TokenError.self) { try auth.issue(grantType: "password", clientID: "c", secret: "12345678", scope: nil) }

        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        let ven = try VENClient(VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(vtn.port)")!, clientID: "ven-f03", secret: "s3cret-f03",
                                               venName: "park-ven"))
        let id = try await ven.register()
        vtn.auth.revokeAll()
        #expect(try await ven.register() == id, "the VEN did not recover from a revoked token")
        #expect(try await ven.events().count == 2)

        var gone = VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(vtn.port + 1)")!, clientID: "c",
                                      secret: "12345678", venName: "v")
        gone.timeoutSeconds = 2
        let started = Date()
        await #expect(throws: (any Error).self) { _ = try await VENClient(gone).events() }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// A VTN that answers too slowly, answers with something that is not the spec's JSON, or
    /// fails: each is an error naming the operation, within the time-out, and the VEN works
    /// again when the VTN does. An event listed twice (the list changed between two pages)
    /// and two events that overlap count once each: the signal is the winner's, not a sum.
    @Test func slowMalformedAndRepeatedAnswers() async throws {
        let mode = NIOLockedValueBox("slow")
        @Sendable func json(_ s: String, _ status: HTTPResponse.Status = .ok) -> Response {
            Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: s)))
        }
        let event = #"{"id": "e1", "createdDateTime": "2025-06-01T10:00:00Z", "modificationDateTime": "2025-06-01T10:00:00Z", "objectType": "EVENT", "programID": "p1", "priority": 1, "intervalPeriod": {"start": "2025-06-02T09:00:00Z", "duration": "PT1H"}, "intervals": [{"id": 0, "payloads": [{"type": "PRICE", "values": [2.0]}]}]}"#
        let overlapping = event.replacingOccurrences(of: "\"e1\"", with: "\"e2\"").replacingOccurrences(of: "[2.0]", with: "[5.0]")
            .replacingOccurrences(of: "\"priority\": 1", with: "\"priority\": 0").replacingOccurrences(of: "09:00:00Z\", \"duration\": \"PT1H", with: "09:30:00Z\", \"duration\": \"PT15M")
        let router = Router()
        router.post("auth/token") { _, _ in json(#"{"access_token": "t", "token_type": "Bearer", "expires_in": 3600}"#) }
        router.get("events") { _, _ -> Response in
            switch mode.withLockedValue({ $0 }) {
            case "slow":
                try await Task.sleep(nanoseconds: 30_000_000_000)   // far beyond the 1 s time-out
                return json("[]")
            case "html": return Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>maintenance</html>")))
            case "object": return json(#"{"events": []}"#)
            case "partial": return json(#"[{"id": "e1", "objectType": "EVENT"}]"#)
            case "failing": return json(#"{"type": "about:blank", "title": "Internal Server Error", "status": 500, "detail": "database down"}"#, .internalServerError)
            default: return json("[\(event), \(overlapping), \(event)]")
            }
        }
        let (port, server) = try await IndependentVTN.serve(router)
        defer { server.cancel() }
        var settings = VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(port)")!, clientID: "c", secret: "s", venName: "park")
        settings.tokenURL = settings.baseURL.appendingPathComponent("auth/token")
        settings.timeoutSeconds = 1
        let ven = try VENClient(settings)

        var errors: [String: String] = [:]
        for m in ["slow", "html", "object", "partial", "failing"] {
            mode.withLockedValue { $0 = m }
            let started = Date()
            do {
                _ = try await ven.events()
                Issue.record("\(m): no error")
            } catch {
                errors[m] = "\(error)"
            }
            // The slow answer would take 30 s; a bound of 15 s shows the time-out ended the wait
            // without depending on how loaded the machine is (CI runs the peer tests in parallel).
            #expect(Date().timeIntervalSince(started) < 15, "\(m): the VEN waited for the answer instead of timing out")
        }
        #expect(errors["slow"]?.contains("deadlineExceeded") == true, "the slow answer was not a time-out: \(errors)")
        #expect(errors.values.allSatisfy { $0.contains("searchAllEvents") }, "\(errors)")
        #expect(errors["html"]?.contains("text/html") == true, "\(errors)")
        #expect(errors["failing"]?.contains("500") == true && errors["failing"]?.contains("database down") == true, "\(errors)")

        mode.withLockedValue { $0 = "fine" }
        #expect(try await ven.events().count == 3)
        #expect(try await ven.refresh().map(\.value1.id) == ["e1", "e2"])
        let day = try #require(OpenADRDates.parse("2025-06-02T09:00:00Z"))
        let prices = ven.knownSignals(from: day, to: day.addingTimeInterval(3600)).map { [$0.start.timeIntervalSince(day), $0.value] }
        #expect(prices == [[0, 2.0], [1800, 5.0], [2700, 2.0]])
    }
}
