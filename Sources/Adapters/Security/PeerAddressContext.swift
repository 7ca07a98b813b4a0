import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the VTN: Hummingbird's, plus the address the request came from
/// (what `FailureThrottle` keys guessing by).
struct PeerAddressContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// The same for the S2 CEM's WebSocket routes.
struct PeerAddressWebSocketContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }
}

extension RemoteAddressRequestContext {
    /// The peer's IP address as text ("" when unknown).
    var peerAddress: String { remoteAddress?.ipAddress ?? "" }
}
