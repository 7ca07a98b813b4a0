import Crypto
import DataFiles
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Who may talk to the park's VTN: OAuth2 client credentials (RFC 6749 §4.4) issued as
/// opaque bearer tokens. Each client has a secret, the scopes it may ask for (the OpenADR
/// scopes: `read_all`, `read_targets`, `read_ven_objects`, `write_programs`, `write_events`,
/// `write_reports`, `write_subscriptions`, `write_vens`) and, for a firm's VEN, the targets
/// it stands for (the firm's id): it reads the events aimed at those targets.
public final class VTNAuth: Sendable {
    /// A client of the VTN: its id and secret, its scopes, the targets (firms) it may see and the hosts it may call back.
    public struct Client: Sendable, Equatable {
        public var id: String
        /// The client's secret as the VTN keeps it (a stored hash, or the secret in clear).
        public var credential: Credential
        public var scopes: Set<String>
        public var targets: [String]
        /// Hosts this client's subscriptions may name in callback URLs besides public
        /// addresses: a VEN inside the plant network is reachable only at a private address,
        /// which no client may name unless it is listed here.
        public var callbackHosts: [String]

        public init(id: String, credential: Credential, scopes: Set<String>, targets: [String] = [], callbackHosts: [String] = []) {
            self.id = id
            self.credential = credential
            self.scopes = scopes
            self.targets = targets
            self.callbackHosts = callbackHosts
        }

        /// A client whose secret is given in clear.
        public init(id: String, secret: String, scopes: Set<String>, targets: [String] = [], callbackHosts: [String] = []) {
            self.init(id: id, credential: .clear(secret), scopes: scopes, targets: targets, callbackHosts: callbackHosts)
        }
    }

    /// What a valid bearer token carries.
    public struct Grant: Sendable, Equatable {
        public var clientID: String
        public var scopes: Set<String>
        public var targets: [String]
        public var expires: Date
        public var callbackHosts: [String] = []

        /// The park's operator (business logic): a client with `read_all`. Only it may make
        /// `BL_*` requests, which name another client's VEN or resource.
        public var isOperator: Bool { scopes.contains("read_all") }
    }

    /// RFC 6749 §5.2 error codes, with the HTTP status they go with.
    public struct TokenError: Error, Equatable {
        public var code: String
        public var description: String
        public var status: Int
        /// Seconds to wait before trying again (with status 429).
        public var retryAfter: Int?
    }

    /// Valid tokens a client may hold at once (the oldest is forgotten when it fetches another).
    public static let tokensPerClient = 10

    public static let allScopes: Set<String> = ["read_all", "read_targets", "read_ven_objects", "write_programs", "write_events",
                                                 "write_reports", "write_subscriptions", "write_vens"]

    let clients: [String: Client]
    let lifetime: TimeInterval
    private let tokens = NIOLockedValueBox<[String: Grant]>([:])
    let throttle: FailureThrottle
    let check = CredentialCheck()
    let logger = Logger(label: "flexdispatch.vtn.auth")

    public init(clients: [Client], tokenLifetime: TimeInterval = 3600, throttle: FailureThrottle = FailureThrottle()) {
        self.clients = Dictionary(clients.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        lifetime = tokenLifetime
        self.throttle = throttle
    }

    /// Issues a token for a client-credentials request. `scope` is the space-separated
    /// request (all the client's scopes when absent); the response echoes it unchanged, as
    /// OAuth clients compare it.
    /// `address` is where the request came from: failed attempts are throttled per client id
    /// and address (`FailureThrottle`).
    public func issue(grantType: String?, clientID: String?, secret: String?, scope: String?, from address: String = "", now: Date = Date())
        throws -> (token: String, expiresIn: Int, scope: String) {
        guard grantType == "client_credentials" else {
            throw TokenError(code: "unsupported_grant_type", description: "only client_credentials is supported", status: 400)
        }
        let name = clientID ?? ""
        if let wait = throttle.wait(name, from: address, now: now) {
            throw TokenError(code: "invalid_client", description: "too many failed attempts; retry in \(Int(wait.rounded(.up))) s", status: 429,
                             retryAfter: Int(wait.rounded(.up)))
        }
        guard let clientID, let secret, let client = clients[clientID], check.verify(clientID, presented: secret, against: client.credential) else {
            throttle.failed(name, from: address, now: now)
            logger.warning("token request from \(address) refused for client '\(Printable.escaped(name))': unknown client or wrong secret")
            throw TokenError(code: "invalid_client", description: "unknown client or wrong secret", status: 401)
        }
        throttle.succeeded(clientID, from: address)
        let requested = Set((scope ?? "").split(separator: " ").map(String.init))
        if let extra = requested.subtracting(client.scopes).sorted().first {
            throw TokenError(code: "invalid_scope", description: "scope '\(extra)' is not granted to \(clientID)", status: 400)
        }
        let granted = requested.isEmpty ? client.scopes : requested
        let token = SHA256.hash(data: Data((0..<4).map { _ in UInt64.random(in: .min ... .max) }.flatMap { withUnsafeBytes(of: $0, Array.init) }))
            .map { String(format: "%02x", $0) }.joined()
        tokens.withLockedValue { t in
            t = t.filter { $0.value.expires > now }
            // A client keeps its newest tokens only: minting tokens cannot grow the table.
            let own = t.filter { $0.value.clientID == clientID }.sorted { $0.value.expires < $1.value.expires }
            for (old, _) in own.dropLast(Self.tokensPerClient - 1) { t[old] = nil }
            t[token] = Grant(clientID: clientID, scopes: granted, targets: client.targets, expires: now.addingTimeInterval(lifetime),
                             callbackHosts: client.callbackHosts)
        }
        return (token, Int(lifetime), scope ?? client.scopes.sorted().joined(separator: " "))
    }

    /// Forgets every issued token (a secret rotated, a client removed): clients must fetch
    /// new ones.
    public func revokeAll() { tokens.withLockedValue { $0 = [:] } }

    /// What a client may see while it holds no token (its subscriptions' notifications).
    func standingGrant(_ clientID: String) -> Grant? {
        clients[clientID].map { Grant(clientID: $0.id, scopes: $0.scopes, targets: $0.targets, expires: .distantFuture, callbackHosts: $0.callbackHosts) }
    }

    /// The grant behind an `Authorization: Bearer …` header; nil when absent, unknown or expired.
    public func grant(authorization: String?, now: Date = Date()) -> Grant? {
        guard let token = Self.bearerToken(authorization), let g = tokens.withLockedValue({ $0[token] }), g.expires > now else { return nil }
        return g
    }

    /// The token of an `Authorization: Bearer …` header (the scheme in any case); nil when
    /// there is none. The S2 CEM reads its resource managers' tokens the same way.
    public static func bearerToken(_ authorization: String?) -> String? {
        guard let a = authorization, a.lowercased().hasPrefix("bearer ") else { return nil }
        return a.dropFirst(7).trimmingCharacters(in: .whitespaces)
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

}
