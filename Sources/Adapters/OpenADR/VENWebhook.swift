import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenADRAPI

/// Our VEN's webhook receiver: the VTN POSTs a `Notification` to the callback URL the VEN
/// subscribed with, carrying the bearer token the VEN gave it. The events it announces go
/// into `VENEvents` (repeats and stale copies are harmless), and `onChange` hears about
/// each one that changed something.
///
/// Answers: 200 when the notification was read (also for a repeat), 401 without the
/// subscription's token, 400 with a problem body naming what could not be read.
///
/// VTNs may check a callback URL before they accept a subscription with
/// `GET {callbackUrl}/echo?echo=VALUE` (the OpenADR 3.1 spec does not describe such a
/// probe): the webhook answers 200 with VALUE as the body (`text/plain`), without asking
/// for the token, which the VTN may not send yet; 400 when `echo` is missing or longer
/// than 4096 characters.
public struct VENWebhook: Sendable {
    public let path: String
    let token: String
    let events: VENEvents
    let host: String
    let port: Int
    let onChange: @Sendable (Components.Schemas.Notification, VENEvents.Outcome) -> Void
    let logger: Logger

    public init(path: String = "notifications", token: String, events: VENEvents, host: String = "127.0.0.1", port: Int,
                logger: Logger = Logger(label: "flexdispatch.ven.webhook"),
                onChange: @escaping @Sendable (Components.Schemas.Notification, VENEvents.Outcome) -> Void = { _, _ in }) {
        self.path = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.token = token
        self.events = events
        self.host = host
        self.port = port
        self.logger = logger
        self.onChange = onChange
    }

    /// Serves until the task is cancelled (or SIGINT/SIGTERM with `stopOnSignals`); either
    /// way the server shuts down gracefully (`GracefulServing`) and `run` returns once it has.
    public func run(stopOnSignals: Bool = false, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.get(RouterPath(path.isEmpty ? "echo" : path + "/echo")) { request, _ -> Response in
            guard let echo = request.uri.queryParameters["echo"].map(String.init), echo.count <= 4096 else {
                return Self.problem(.badRequest, "the echo probe needs an 'echo' query parameter of at most 4096 characters")
            }
            logger.info("the VTN checked the callback (echo probe)")
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: echo)))
        }
        router.post(RouterPath(path)) { request, _ -> Response in
            guard Credential.constantTimeEqual(Array((request.headers[.authorization] ?? "").utf8), Array("Bearer \(token)".utf8)) else {
                logger.warning("notification without the subscription's token refused")
                return Self.problem(.unauthorized, "the subscription's bearer token is required")
            }
            let body = try await request.body.collect(upTo: 4 << 20)
            let n: Components.Schemas.Notification
            do { n = try OpenADRNotification.decode(Data(buffer: body)) } catch {
                logger.warning("unreadable notification: \(error)")
                return Self.problem(.badRequest, "\(error)")
            }
            let outcome = events.apply(n)
            logger.info("notification: \(n.operation.rawValue) \(n.objectType.rawValue)\(outcome.map { " (\($0.rawValue))" } ?? "")")
            if let outcome, [.added, .updated, .removed].contains(outcome) { onChange(n, outcome) }
            return Response(status: .ok)
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        try await GracefulServing.run(app, signals: stopOnSignals ? [.sigterm, .sigint] : [], logger: logger)
    }

    static func problem(_ status: HTTPResponse.Status, _ detail: String) -> Response {
        let o: [String: Any] = ["type": "about:blank", "title": status.reasonPhrase, "status": Int(status.code), "detail": detail]
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/problem+json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Reading notifications as real VTNs send them: besides the spec's JSON, a body that is a
/// JSON string holding the JSON (encoded twice, also for the `object` alone), snake_case
/// keys (`object_type`, `program_id`, `interval_period`, …), and the lenient times of
/// `OpenADRDates(lenient: true)`.
public enum OpenADRNotification {
    /// A notification body that is not an OpenADR 3.1 notification.
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func decode(_ data: Data) throws -> Components.Schemas.Notification {
        guard var o = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw ReadError(description: "the body is not JSON")
        }
        if let inner = o as? String {
            guard let again = try? JSONSerialization.jsonObject(with: Data(inner.utf8)) else {
                throw ReadError(description: "the body is a JSON string that does not hold JSON")
            }
            o = again
        }
        guard let object = o as? [String: Any] else { throw ReadError(description: "the body is not a JSON object") }
        let normal = camelCased(object)
        let bytes = try JSONSerialization.data(withJSONObject: normal)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { d in
            let c = try d.singleValueContainer()
            return try OpenADRDates(lenient: true).decode(try c.decode(String.self))
        }
        do { return try decoder.decode(Components.Schemas.Notification.self, from: bytes) } catch let e as DecodingError {
            throw ReadError(description: "not an OpenADR notification: \(describe(e))")
        }
    }

    /// Keys in camelCase as the spec spells them; a string under `object` that holds a
    /// JSON object is that object.
    static func camelCased(_ value: Any, key: String? = nil) -> Any {
        if key == "object", let s = value as? String, let inner = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any] {
            return camelCased(inner)
        }
        if let d = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (k, v) in d {
                let c = camel(k)
                out[c] = camelCased(v, key: c)
            }
            return out
        }
        if let a = value as? [Any] { return a.map { camelCased($0) } }
        return value
    }

    static let spelled = ["programId": "programID", "eventId": "eventID", "venId": "venID", "clientId": "clientID",
                          "tokenUrl": "tokenURL", "callbackURL": "callbackUrl"]

    static func camel(_ key: String) -> String {
        guard key.contains("_") else { return spelled[key] ?? key }
        let parts = key.split(separator: "_").map(String.init)
        guard let first = parts.first else { return key }
        let joined = first + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return spelled[joined] ?? joined
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch e {
        case .keyNotFound(let k, let c): return "\(path(c).isEmpty ? "" : path(c) + ".")\(k.stringValue) is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return "\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}
