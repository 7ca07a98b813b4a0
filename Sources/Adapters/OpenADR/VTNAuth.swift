import Crypto
import Foundation
import NIOConcurrencyHelpers

/// Who may talk to the park's VTN: OAuth2 client credentials (RFC 6749 §4.4) issued as
/// opaque bearer tokens. Each client has a secret, the scopes it may ask for (the OpenADR
/// scopes: `read_all`, `read_targets`, `read_ven_objects`, `write_programs`, `write_events`,
/// `write_reports`, `write_subscriptions`, `write_vens`) and, for a firm's VEN, the targets
/// it stands for (the firm's id): it reads the events aimed at those targets.
public final class VTNAuth: Sendable {
    public struct Client: Sendable, Equatable {
        public var id: String
        public var secret: String
        public var scopes: Set<String>
        public var targets: [String]
        public init(id: String, secret: String, scopes: Set<String>, targets: [String] = []) {
            self.id = id
            self.secret = secret
            self.scopes = scopes
            self.targets = targets
        }
    }

    /// What a valid bearer token carries.
    public struct Grant: Sendable, Equatable {
        public var clientID: String
        public var scopes: Set<String>
        public var targets: [String]
        public var expires: Date
    }

    /// RFC 6749 §5.2 error codes, with the HTTP status they go with.
    public struct TokenError: Error, Equatable {
        public var code: String
        public var description: String
        public var status: Int
    }

    public static let allScopes: Set<String> = ["read_all", "read_targets", "read_ven_objects", "write_programs", "write_events",
                                                 "write_reports", "write_subscriptions", "write_vens"]

    let clients: [String: Client]
    let lifetime: TimeInterval
    private let tokens = NIOLockedValueBox<[String: Grant]>([:])

    public init(clients: [Client], tokenLifetime: TimeInterval = 3600) {
        self.clients = Dictionary(clients.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        lifetime = tokenLifetime
    }

    /// Issues a token for a client-credentials request. `scope` is the space-separated
    /// request (all the client's scopes when absent); the response echoes it unchanged, as
    /// OAuth clients compare it.
    public func issue(grantType: String?, clientID: String?, secret: String?, scope: String?, now: Date = Date())
        throws -> (token: String, expiresIn: Int, scope: String) {
        guard grantType == "client_credentials" else {
            throw TokenError(code: "unsupported_grant_type", description: "only client_credentials is supported", status: 400)
        }
        guard let clientID, let secret, let client = clients[clientID],
              Self.constantTimeEqual(Array(client.secret.utf8), Array(secret.utf8)) else {
            throw TokenError(code: "invalid_client", description: "unknown client or wrong secret", status: 401)
        }
        let requested = Set((scope ?? "").split(separator: " ").map(String.init))
        if let extra = requested.subtracting(client.scopes).sorted().first {
            throw TokenError(code: "invalid_scope", description: "scope '\(extra)' is not granted to \(clientID)", status: 400)
        }
        let granted = requested.isEmpty ? client.scopes : requested
        let token = SHA256.hash(data: Data((0..<4).map { _ in UInt64.random(in: .min ... .max) }.flatMap { withUnsafeBytes(of: $0, Array.init) }))
            .map { String(format: "%02x", $0) }.joined()
        tokens.withLockedValue { t in
            t = t.filter { $0.value.expires > now }
            t[token] = Grant(clientID: clientID, scopes: granted, targets: client.targets, expires: now.addingTimeInterval(lifetime))
        }
        return (token, Int(lifetime), scope ?? client.scopes.sorted().joined(separator: " "))
    }

    /// Forgets every issued token (a secret rotated, a client removed): clients must fetch
    /// new ones.
    public func revokeAll() { tokens.withLockedValue { $0 = [:] } }

    /// What a client may see while it holds no token (its subscriptions' notifications).
    func standingGrant(_ clientID: String) -> Grant? {
        clients[clientID].map { Grant(clientID: $0.id, scopes: $0.scopes, targets: $0.targets, expires: .distantFuture) }
    }

    /// The grant behind an `Authorization: Bearer …` header; nil when absent, unknown or expired.
    public func grant(authorization: String?, now: Date = Date()) -> Grant? {
        guard let a = authorization, a.lowercased().hasPrefix("bearer ") else { return nil }
        let token = a.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard let g = tokens.withLockedValue({ $0[token] }), g.expires > now else { return nil }
        return g
    }

    /// Client id and secret from `Authorization: Basic base64(id:secret)` (RFC 6749 §2.3.1,
    /// form-urlencoded parts).
    public static func basicCredentials(_ authorization: String?) -> (id: String, secret: String)? {
        guard let a = authorization, a.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: a.dropFirst(6).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        let id = String(text[..<colon]).removingPercentEncoding ?? String(text[..<colon])
        let secret = String(text[text.index(after: colon)...]).removingPercentEncoding ?? String(text[text.index(after: colon)...])
        return (id, secret)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for k in a.indices { diff |= a[k] ^ b[k] }
        return diff == 0
    }
}
