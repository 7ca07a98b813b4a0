@testable import Adapters
import Foundation
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
        let ven = VENClient(VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(vtn.port)")!, clientID: "ven-f03", secret: "s3cret-f03",
                                               venName: "park-ven"))
        let id = try await ven.register()
        vtn.auth.revokeAll()
        #expect(try await ven.register() == id, "the VEN did not recover from a revoked token")
        #expect(try await ven.events().count == 2)

        var gone = VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(vtn.port == 45000 ? 44999 : vtn.port + 1)")!, clientID: "c",
                                      secret: "12345678", venName: "v")
        gone.timeoutSeconds = 2
        let started = Date()
        await #expect(throws: (any Error).self) { _ = try await VENClient(gone).events() }
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
