import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import RunHistory

/// The park's Customer Energy Manager over WebSocket: resource managers connect to
/// `ws://HOST:PORT/ws/<id>`; each connection runs an `S2Session`. Power measurements go to
/// the store, connections, acknowledgements and rejections are logged as feed events
/// against the resource's series (so `feeds status` shows them). A frame that cannot be
/// read, an unknown message or a dropped connection ends nothing but that exchange.
public struct S2CEMServer: Sendable {
    public let resources: [String: S2Session.Resource]
    let plan: @Sendable (String) -> S2Plan?
    let store: (any MeasurementStore & Sendable)?
    let host: String
    public let port: Int
    /// The time the plan is followed in (a simulation may pass its own).
    let now: @Sendable () -> Date
    /// wss:// when set.
    let tls: ServerTLS?
    let logger = Logger(label: "flexdispatch.s2")
    /// Instructions the resource managers acknowledged, by RM name.
    public let acknowledged = NIOLockedValueBox<[String: Int]>([:])

    public init(resources: [String: S2Session.Resource], plan: @escaping @Sendable (String) -> S2Plan?,
                store: (any MeasurementStore & Sendable)?, host: String = "127.0.0.1", port: Int,
                now: @escaping @Sendable () -> Date = { Date() }, tls: ServerTLS? = nil) {
        self.tls = tls
        self.resources = resources
        self.plan = plan
        self.store = store
        self.host = host
        self.port = port
        self.now = now
    }

    public func run(stopOnSignals: Bool = false, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("ws/:id") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, _ in
            let session = S2Session(resources: resources, plan: plan, now: now)
            var ending = "closed the connection"
            do {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    let text: String
                    switch message {
                    case .text(let t): text = t
                    case .binary(let b): text = String(buffer: b)
                    }
                    let out = session.receive(text)
                    for frame in out.send { try await outbound.write(.text(frame)) }
                    record(out, session: session)
                }
            } catch {
                ending = "lost the connection (\(error))"
            }
            if let name = session.name {
                logger.info("S2: \(name) \(ending)")
                if let pending = session.pendingInstruction {
                    log(session, "unacknowledged", "\(name) \(ending) before acknowledging instruction \(pending); it gets the plan again when it reconnects")
                }
                log(session, "disconnected", "\(name) \(ending)")
            }
        }
        let upgrade: HTTPServerBuilder = .http1WebSocketUpgrade(webSocketRouter: router)
        let server: HTTPServerBuilder = try tls.map { try .tls(upgrade, tlsConfiguration: $0.configuration()) } ?? upgrade
        let app = Application(router: Router(), server: server,
                              configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        try await GracefulServing.run(app, signals: stopOnSignals ? [.sigterm, .sigint] : [], logger: logger)
    }

    func record(_ out: S2Session.Output, session: S2Session) {
        if !out.measurements.isEmpty, let store {
            do { _ = try store.ingest(out.measurements) } catch { logger.error("S2: storing measurements: \(error)") }
        }
        if !out.forecasts.isEmpty, let store {
            do {
                _ = try store.ingest(out.forecasts, replacing: true)
                log(session, "forecast", "\(out.forecasts.count) forecast value(s) from \(S2Messages.time(out.forecasts[0].time))")
            } catch { logger.error("S2: storing a forecast: \(error)") }
        }
        for e in out.events {
            logger.info("S2: \(session.name ?? "?"): \(e.kind): \(e.message)")
            if e.kind == "acknowledged", let name = session.name { acknowledged.withLockedValue { $0[name, default: 0] += 1 } }
            log(session, e.kind, e.message)
        }
    }

    func log(_ session: S2Session, _ kind: String, _ message: String) {
        guard let store else { return }
        let series = session.resource?.series ?? "*"
        try? store.logEvent(source: "s2:\(session.name ?? "?")", series: series, kind: kind, message: message)
    }
}
