import HummingbirdCore
import Logging
import NIOCore

/// A server child channel that must deliver a complete request head (up to its blank line)
/// within `seconds` of connecting, TLS handshake included, or be closed. Hummingbird's idle
/// handler on a plain HTTP server already does this; its WebSocket upgrade channel adds that
/// handler only after the head has arrived, so without this a connection that never finishes
/// its upgrade request would be held for good.
struct HeadDeadlineChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let seconds: Double
    let inner: Inner

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // Added before the inner channel's HTTP handlers (and after a TLS handler): it sees the
        // request's plain bytes.
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(HeadDeadlineHandler(seconds: seconds, logger: logger))
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Closes its channel when no CRLF CRLF (the end of a request head) has arrived within the
/// deadline; removes itself once it has.
final class HeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let seconds: Double
    let logger: Logger
    private var deadline: Scheduled<Void>?
    private var last: UInt32 = 0   // the last four bytes seen, to find CRLF CRLF across reads

    init(seconds: Double, logger: Logger) {
        self.seconds = seconds
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        var complete = false
        for b in bytes.readableBytesView {
            last = (last << 8) | UInt32(b)
            if last == 0x0D0A_0D0A { complete = true; break }
        }
        context.fireChannelRead(data)
        if complete {
            deadline?.cancel()
            deadline = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let loop = context.eventLoop.assumeIsolated()
        let remote = context.channel.remoteAddress.map { "\($0)" } ?? "?"
        deadline = loop.scheduleTask(in: ServerLimits.idleTimeout(seconds)) { [logger, seconds] in
            logger.notice("closed a connection from \(remote) that sent no complete request head within \(seconds) s")
            context.close(promise: nil)
        }
    }
}
