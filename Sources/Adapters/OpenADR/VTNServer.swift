import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOPosix
import OpenADRAPI
import OpenAPIHummingbird
import OpenAPIRuntime

/// The park's VTN over HTTP (Hummingbird): the generated OpenADR 3.1 routes behind
/// `VTNMiddleware`, and `POST /auth/token`, hand-written because real clients send their
/// credentials as HTTP Basic (RFC 6749 §2.3.1) while the spec's form schema wants them in
/// the body — both are accepted.
public struct VTNServer: Sendable {
    public let service: VTNService
    public let auth: VTNAuth
    let host: String
    let port: Int
    let tls: ServerTLS?
    let logger: Logger
    /// A connection that sends no complete request head or part for this long is closed
    /// (a request left half-sent included); `ServerLimits.idleSeconds` unless set.
    public var idleSeconds = ServerLimits.idleSeconds

    public init(service: VTNService, auth: VTNAuth, host: String = "127.0.0.1", port: Int, tls: ServerTLS? = nil,
                logger: Logger = Logger(label: "flexdispatch.vtn")) {
        self.service = service
        self.auth = auth
        self.host = host
        self.port = port
        self.tls = tls
        self.logger = logger
    }

    /// Serves until the task is cancelled, or — with `stopOnSignals` — until SIGINT or
    /// SIGTERM; either way the server shuts down gracefully (`GracefulServing`) and `run`
    /// returns once it has. `onRunning` gets the bound port (ask for 0 to get a free one).
    public func run(stopOnSignals: Bool = false, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router(context: PeerAddressContext.self)
        router.add(middleware: VTNBodyLimit())
        router.post("auth/token") { request, context -> Response in
            let body = try await request.body.collect(upTo: 65536)
            let form = Self.form(String(buffer: body))
            let basic = VTNAuth.basicCredentials(request.headers[.authorization])
            do {
                // Checking a stored secret's hash takes a while by design: off the threads that serve requests.
                let t = try await NIOThreadPool.singleton.runIfActive {
                    try auth.issue(grantType: form["grant_type"], clientID: basic?.id ?? form["client_id"],
                                   secret: basic?.secret ?? form["client_secret"], scope: form["scope"], from: context.peerAddress)
                }
                return Self.json(.ok, ["access_token": t.token, "token_type": "Bearer", "expires_in": t.expiresIn, "scope": t.scope])
            } catch let e as VTNAuth.TokenError {
                var r = Self.json(.init(code: e.status), ["error": e.code, "error_description": e.description])
                if e.status == 401 { r.headers[.wwwAuthenticate] = "Basic" }
                if e.status == 429, let wait = e.retryAfter { r.headers[.retryAfter] = "\(wait)" }
                return r
            }
        }
        try service.registerHandlers(on: router, serverURL: URL(string: "/")!,
                                     configuration: Configuration(dateTranscoder: OpenADRDates()),
                                     middlewares: [VTNMiddleware(auth: auth)])
        let http1: HTTPServerBuilder = .http1(configuration: .init(idleTimeout: ServerLimits.idleTimeout(idleSeconds)))
        let server: HTTPServerBuilder = try tls.map { try .tls(http1, tlsConfiguration: $0.configuration()) } ?? http1
        let scheme = tls == nil ? "http" : "https"
        let app = Application(router: router, server: server, configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { [service, host] channel in
                                  let bound = channel.localAddress?.port ?? 0
                                  let s = service
                                  if s.tokenURL.isEmpty { s.tokenURL = "\(scheme)://\(host):\(bound)/auth/token" }
                                  await onRunning(bound)
                              },
                              logger: logger)
        let notifications = Task { await service.notifier.run() }
        defer { notifications.cancel() }
        try await GracefulServing.run(app, signals: stopOnSignals ? [.sigterm, .sigint] : [], logger: logger)
    }

    static func form(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            if let k = kv.first { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// RFC 3339 times as OpenADR peers send them: with or without fractional seconds (any
/// number of digits), `Z` or an offset; written in UTC, with milliseconds when there are any.
///
/// `lenient` (our VEN reading other VTNs) also takes what real servers send against the
/// spec: no zone (`2026-11-23 11:41:59`, `2026-11-23T11:41:59`: read as UTC) and the
/// date-only "now" `0001-01-01` (read as the current time). The VTN itself stays strict.
public struct OpenADRDates: DateTranscoder {
    let lenient: Bool
    public init(lenient: Bool = false) { self.lenient = lenient }

    public func encode(_ date: Date) throws -> String {
        let f = ISO8601DateFormatter()
        let t = date.timeIntervalSince1970
        f.formatOptions = (t - t.rounded(.down)) * 1000 >= 0.5 ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return f.string(from: date)
    }

    public func decode(_ text: String) throws -> Date {
        if let d = Self.parse(text) ?? (lenient ? Self.parseLenient(text) : nil) { return d }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(text)' is not an RFC 3339 date-time"))
    }

    public static func parseLenient(_ text: String, now: Date = Date()) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("0001-01-01") { return now }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        let plain = t.split(separator: ".").first.map(String.init) ?? t
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"] {
            f.dateFormat = format
            if let d = f.date(from: plain) {
                let fraction = t.split(separator: ".").dropFirst().first.flatMap { Double("0." + $0.prefix { $0.isNumber }) } ?? 0
                return d.addingTimeInterval(fraction)
            }
        }
        return nil
    }

    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        // Fractions of any length: keep milliseconds, which ISO8601DateFormatter reads.
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            let digits = text[text.index(after: dot)..<end]
            let ms = String((digits + "000").prefix(3))
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.date(from: String(text[..<dot]) + "." + ms + String(text[end...]))
        }
        return nil
    }
}
