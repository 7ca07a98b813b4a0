import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Anything that carries Modbus requests to a device: the TCP client, or an in-memory
/// register map in tests of the layers above.
public protocol ModbusTransport: Sendable {
    /// Sends one request to `unitID` and returns the registers read (or written).
    func send(_ request: ModbusRequest, unitID: UInt8) async throws -> [UInt16]
}

/// Modbus TCP on SwiftNIO: one connection per device, opened on first use and reopened
/// after a failure, requests queued and sent one at a time (what most devices and gateways
/// expect), each with a timeout; transient failures (timeout, lost connection, busy
/// device) are retried with exponential back-off. Non-blocking: hundreds of devices share
/// NIO's event loops.
public final class ModbusTCPClient: ModbusTransport, Sendable {
    /// The device's address, the time-out of a request, and how often and after what pause it is retried.
    public struct Settings: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var timeoutSeconds: Double = 2
        /// Further attempts after a transient failure.
        public var retries: Int = 2
        /// The first back-off; doubled for each further attempt.
        public var backoffSeconds: Double = 0.2

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    public let settings: Settings
    let group: any EventLoopGroup
    private let state = NIOLockedValueBox(State())
    private static let logger = Logger(label: "flexdispatch.modbus")

    private struct State {
        var channel: (any Channel)?
        var connecting: EventLoopFuture<any Channel>?
        var nextTransaction: UInt16 = 0
    }

    public init(_ settings: Settings, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.settings = settings
        self.group = group
    }

    deinit {
        state.withLockedValue { $0.channel }?.close(promise: nil)
    }

    public func send(_ request: ModbusRequest, unitID: UInt8) async throws -> [UInt16] {
        try request.validate()
        var attempt = 0
        while true {
            do {
                return try await sendOnce(request, unitID: unitID)
            } catch let error as ModbusError where error.isTransient && attempt < settings.retries {
                attempt += 1
                let wait = settings.backoffSeconds * pow(2, Double(attempt - 1))
                Self.logger.debug("\(settings.host):\(settings.port): \(error); retry \(attempt) of \(settings.retries) in \(wait) s")
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            }
        }
    }

    /// Closes the connection (the next request opens a new one).
    public func close() async {
        let channel = state.withLockedValue { s -> (any Channel)? in
            defer { s.channel = nil; s.connecting = nil }
            return s.channel
        }
        try? await channel?.close()
    }

    func sendOnce(_ request: ModbusRequest, unitID: UInt8) async throws -> [UInt16] {
        let channel = try await connection()
        let tid = state.withLockedValue { s in
            s.nextTransaction &+= 1
            return s.nextTransaction
        }
        let promise = channel.eventLoop.makePromise(of: ModbusResponse.self)
        let call = ModbusCall(transactionID: tid, frame: request.frame(transactionID: tid, unitID: unitID),
                              timeout: .nanoseconds(Int64(settings.timeoutSeconds * 1e9)), promise: promise)
        channel.writeAndFlush(call, promise: nil)
        let response = try await promise.futureResult.get()
        return try response.result(of: request)
    }

    func connection() async throws -> any Channel {
        let (channel, future): ((any Channel)?, EventLoopFuture<any Channel>?) = state.withLockedValue { s in
            if let c = s.channel, c.isActive { return (c, nil) }
            if let f = s.connecting { return (nil, f) }
            let timeout = TimeAmount.nanoseconds(Int64(settings.timeoutSeconds * 1e9))
            let f = ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ModbusClientHandler()) }
                }
                .connect(host: settings.host, port: settings.port)
            s.channel = nil
            s.connecting = f
            return (nil, f)
        }
        if let channel { return channel }
        do {
            let c = try await future!.get()
            state.withLockedValue { s in
                s.channel = c
                s.connecting = nil
            }
            return c
        } catch {
            state.withLockedValue { $0.connecting = nil }
            throw ModbusError.connectionFailed("\(settings.host):\(settings.port): \(Self.reason(error))")
        }
    }
}

extension ModbusTCPClient {
    /// The operator's part of a connection error ("Connection refused (errno: 111)").
    static func reason(_ error: any Error) -> String {
        if let e = error as? NIOConnectionError, let first = e.connectionErrors.first {
            if let io = first.error as? IOError { return "\(io.description.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "\(io)")" }
            return "\(first.error)"
        }
        if case ChannelError.connectTimeout(let t) = error as? ChannelError ?? .ioOnClosedChannel {
            return "connect timed out after \(Double(t.nanoseconds) / 1e9) s"
        }
        return "\(error)"
    }
}

/// One request in flight: its frame, its transaction id, when to give up, and who waits.
struct ModbusCall: Sendable {
    var transactionID: UInt16
    var frame: [UInt8]
    var timeout: TimeAmount
    var promise: EventLoopPromise<ModbusResponse>
}

/// Sends queued calls one at a time and matches answers by transaction id; a timeout or a
/// malformed frame fails the call and closes the connection (a late answer would otherwise
/// be taken for the next one's).
final class ModbusClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ModbusCall
    typealias OutboundOut = ByteBuffer

    private var queue: [ModbusCall] = []
    private var inFlight: (call: ModbusCall, timer: Scheduled<Void>)?
    private var received: [UInt8] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        queue.append(unwrapOutboundIn(data))
        promise?.succeed()
        sendNext(context: context)
    }

    private func sendNext(context: ChannelHandlerContext) {
        guard inFlight == nil, !queue.isEmpty else { return }
        let call = queue.removeFirst()
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: call.timeout) { [weak self] in
            guard let self, let current = self.inFlight, current.call.transactionID == call.transactionID else { return }
            self.inFlight = nil
            current.call.promise.fail(ModbusError.timeout(seconds: Double(call.timeout.nanoseconds) / 1e9))
            context.close(promise: nil)
        }
        inFlight = (call, timer)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: call.frame)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readBytes(length: buffer.readableBytes) ?? []
        do {
            while let (response, consumed) = try ModbusResponse.parse(received) {
                received.removeFirst(consumed)
                guard let current = inFlight, current.call.transactionID == response.transactionID else { continue }
                current.timer.cancel()
                inFlight = nil
                current.call.promise.succeed(response)
            }
            sendNext(context: context)
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(ModbusError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(ModbusError.connectionFailed("\(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        if let current = inFlight {
            current.timer.cancel()
            current.call.promise.fail(error)
        }
        inFlight = nil
        for call in queue { call.promise.fail(error) }
        queue = []
        received = []
    }
}
