import DataFiles
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import Measurements
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RunHistory

/// The park's Customer Energy Manager over WebSocket: a resource manager connects to
/// `ws://HOST:PORT/ws/<name>` with `Authorization: Bearer <token>` on the upgrade request,
/// the token being the one its resource's credential holds. A refused connection is closed
/// at once with code 4401 for an unknown name or a wrong token (the same answer for both),
/// 4409 for a name already connected, 4429 after too many failed attempts, and the reason. Each connection runs an `S2Session` bound to its name: it cannot speak for
/// another resource, and what it reports is checked against its resource's limits before it
/// reaches the store. Power measurements go to the store; connections, acknowledgements and
/// rejections are logged as feed events against the resource's series (so `feeds status`
/// shows them). A frame that cannot be read, an unknown message or a dropped connection ends
/// nothing but that exchange. Every `refreshSeconds` of `clock` each session is asked for
/// the instructions due (`S2Session.refresh()`): the next step's, or a new plan's when the
/// `plan` closure gives another (see `S2PlanSource`).
public struct S2CEMServer: Sendable {
    public let resources: [String: S2Session.Resource]
    let plan: @Sendable (String) -> S2Plan?
    let store: (any MeasurementStore & Sendable)?
    let host: String
    public let port: Int
    /// The time the plan is followed in and the sessions' refreshes wait on (a simulation
    /// or a test passes its own).
    let clock: any AdapterClock
    /// Seconds between two looks for the instructions due in each session.
    public var refreshSeconds = 5.0
    /// wss:// when set.
    let tls: ServerTLS?
    let logger = Logger(label: "flexdispatch.s2")
    /// A connection that sends no complete request head or part for this long is closed
    /// (a request left half-sent included); `ServerLimits.idleSeconds` unless set.
    public var idleSeconds = ServerLimits.idleSeconds
    /// Instructions the resource managers acknowledged, by RM name.
    public let acknowledged = NIOLockedValueBox<[String: Int]>([:])
    /// The names connected now (one session per name).
    public let connected = NIOLockedValueBox<Set<String>>([])
    let throttle: FailureThrottle
    let check = CredentialCheck()
    /// Largest S2 frame and message accepted (a day's PowerForecast at one-minute steps fits).
    public static let maxMessageBytes = 1 << 20

    public init(resources: [String: S2Session.Resource], plan: @escaping @Sendable (String) -> S2Plan?,
                store: (any MeasurementStore & Sendable)?, host: String = "127.0.0.1", port: Int,
                clock: any AdapterClock = WallClock(), tls: ServerTLS? = nil, throttle: FailureThrottle = FailureThrottle()) {
        self.tls = tls
        self.resources = resources
        self.plan = plan
        self.store = store
        self.host = host
        self.port = port
        self.clock = clock
        self.throttle = throttle
    }

    /// Why a connection is refused: HTTP status and text.
    public struct Refusal: Error, Equatable {
        public var status: Int
        public var reason: String
    }

    /// The resource name an upgrade request authenticates as, or why it is refused.
    public func admit(path id: String?, authorization: String?, from address: String = "") -> Result<String, Refusal> {
        let name = id ?? ""
        if let wait = throttle.wait(name, from: address) {
            return .failure(Refusal(status: 429, reason: "too many failed attempts for this name; retry in \(Int(wait.rounded(.up))) s"))
        }
        let token = VTNAuth.bearerToken(authorization)
        guard let resource = resources[name], let credential = resource.credential, let token,
              check.verify(name, presented: token, against: credential) else {
            throttle.failed(name, from: address)
            logger.warning("S2: refused a connection from \(address) as '\(Printable.escaped(name))': \(token == nil ? "no bearer token" : "unknown name or wrong token")")
            return .failure(Refusal(status: 401, reason: "a resource manager connects to /ws/<its name> with its bearer token"))
        }
        throttle.succeeded(name, from: address)
        if connected.withLockedValue({ $0.contains(name) }) {
            logger.warning("S2: refused a second connection as '\(name)'")
            return .failure(Refusal(status: 409, reason: "'\(name)' is connected already: one session per resource manager"))
        }
        return .success(name)
    }

    public func run(stopOnSignals: Bool = false, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router(context: PeerAddressWebSocketContext.self)
        router.ws("ws/:id") { inbound, outbound, context in
            // Refused connections are closed at once with 4000 + the HTTP status (4401, 4409,
            // 4429) and the reason: the WebSocket library answers a refused upgrade with a
            // bare 400, which would tell a resource manager nothing. The name is claimed
            // here, so that of two connections admitted at once only one is served.
            // Checking a stored token's hash takes a while by design: off the threads that serve.
            let id = context.requestContext.parameters.get("id"), authorization = context.request.headers[.authorization]
            let address = context.requestContext.peerAddress
            let admission = (try? await NIOThreadPool.singleton.runIfActive { admit(path: id, authorization: authorization, from: address) })
                ?? .failure(Refusal(status: 503, reason: "the CEM is stopping"))
            switch admission {
            case .failure(let refusal):
                try? await outbound.close(.init(codeNumber: 4000 + refusal.status), reason: refusal.reason)
            case .success(let name):
                guard connected.withLockedValue({ $0.insert(name).inserted }) else {
                    try? await outbound.close(.init(codeNumber: 4409), reason: "'\(name)' is connected already: one session per resource manager")
                    return
                }
                await serve(name: name, inbound: inbound, outbound: outbound)
            }
        }
        let webSocket = router.buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(http1: .init(idleTimeout: ServerLimits.idleTimeout(idleSeconds)),
                                                                       ws: .init(maxFrameSize: Self.maxMessageBytes))
        let upgrade = HTTPServerBuilder { [idleSeconds] responder in
            HeadDeadlineChannel(seconds: idleSeconds,
                                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocket, configuration: configuration))
        }
        let server: HTTPServerBuilder = try tls.map { try .tls(upgrade, tlsConfiguration: $0.configuration()) } ?? upgrade
        let app = Application(router: Router(), server: server,
                              configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        try await GracefulServing.run(app, signals: stopOnSignals ? [.sigterm, .sigint] : [], logger: logger)
    }

    /// One authenticated resource manager's session, until it hangs up.
    func serve(name: String, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let session = S2Session(resources: resources, plan: plan, now: { [clock] in clock.now }, authenticatedAs: name)
        // The session is a state machine without a lock: the frames received and the
        // refreshes take turns. What is logged names the connection's own name and series,
        // never the session's fields, which the other task may be writing.
        let turn = NIOLock()
        let series = resources[name]?.series ?? "*"
        let refresher = Task { [clock, refreshSeconds, logger] in
            while !Task.isCancelled {
                do { try await clock.sleep(seconds: refreshSeconds) } catch { return }
                let out = turn.withLock { session.refresh() }
                do { for frame in out.send { try await outbound.write(.text(frame)) } } catch {
                    if !out.send.isEmpty { logger.warning("S2: \(name): an instruction could not be written (\(error))") }
                    return
                }
                record(out, name: name, series: series)
            }
        }
        var ending = "closed the connection"
        do {
            for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                let text: String
                switch message {
                case .text(let t): text = t
                case .binary(let b): text = String(buffer: b)
                }
                let out = turn.withLock { session.receive(text) }
                for frame in out.send { try await outbound.write(.text(frame)) }
                record(out, name: name, series: series)
            }
        } catch {
            ending = "lost the connection (\(error))"
        }
        // The refresher has finished before the name is free again for a new connection.
        refresher.cancel()
        await refresher.value
        connected.withLockedValue { _ = $0.remove(name) }
        logger.info("S2: \(name) \(ending)")
        if let pending = turn.withLock({ session.pendingInstruction }) {
            log(name, series, "unacknowledged", "\(name) \(ending) before acknowledging instruction \(pending); it gets the plan again when it reconnects")
        }
        log(name, series, "disconnected", "\(name) \(ending)")
    }

    func record(_ out: S2Session.Output, name: String, series: String) {
        if !out.measurements.isEmpty, let store {
            do { _ = try store.ingest(out.measurements) } catch { logger.error("S2: storing measurements: \(error)") }
        }
        if !out.forecasts.isEmpty, let store {
            do {
                _ = try store.ingest(out.forecasts, replacing: true)
                log(name, series, "forecast", "\(out.forecasts.count) forecast value(s) from \(S2Messages.time(out.forecasts[0].time))")
            } catch { logger.error("S2: storing a forecast: \(error)") }
        }
        for e in out.events {
            logger.info("S2: \(name): \(e.kind): \(e.message)")
            if e.kind == "acknowledged" { acknowledged.withLockedValue { $0[name, default: 0] += 1 } }
            log(name, series, e.kind, e.message)
        }
    }

    func log(_ name: String, _ series: String, _ kind: String, _ message: String) {
        guard let store else { return }
        try? store.logEvent(source: "s2:\(name)", series: series, kind: kind, message: message)
    }
}
