@testable import Adapters
import Foundation
import Measurements
import NIOCore
import NIOPosix
import RunHistory
import Testing
import TestSupport

/// A connection that holds a server's resources without finishing its request — the head
/// left half-sent, or the body stopped short of its Content-Length — is closed by the VTN
/// and the S2 CEM once it has been quiet for the servers' idle time-out (set to 1 s here;
/// 10 s by default). Without the time-out the server would hold it until the client goes.
@Suite("Adapters: idle and half-sent connections", .serialized)
struct IdleConnectionTests {
    static let halfSent = [
        "POST /reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le",
        "POST /reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"eventID\":",
        "GET /ws/battery HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n",
        "",
    ]

    /// Opens a connection per request, sends it, and waits (bounded) for the server to close
    /// them; returns the requests whose connection the server did not close.
    static func leftOpen(port: Int, _ requests: [String]) async throws -> [String] {
        var channels: [any Channel] = []
        for request in requests {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            // On a slow machine the server's idle time-out may close the connection before the
            // request goes out: that is the outcome under test too, so a refused write counts.
            if !request.isEmpty { try? await channel.writeAndFlush(ByteBuffer(string: request)) }
            channels.append(channel)
        }
        // The bound only stops a test whose server never closes; the 1 s idle time-out is what closes them.
        try? await waitUntil("the server to close every half-sent request", timeout: 60) { channels.allSatisfy { !$0.isActive } }
        let open = zip(requests, channels).filter { $0.1.isActive }.map(\.0)
        for channel in channels { try? await channel.close() }
        return open
    }

    @Test func theVTNClosesHalfSentRequests() async throws {
        let vtn = try await ParkVTNFixture(idleSeconds: 1)
        defer { vtn.stop() }
        #expect(try await Self.leftOpen(port: vtn.port, Self.halfSent) == [])
        // A whole request is still answered.
        #expect(try await vtn.call(.GET, "/programs", token: try await vtn.token("operator", "s3cret-op")).status == 200)
    }

    @Test func theCEMClosesHalfSentUpgrades() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-idle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path)
        var cem = S2CEMServer(resources: S2Tests.resources, plan: S2Tests.plan, store: store, port: 0)
        cem.idleSeconds = 1
        let (port, server) = try await S2Tests.serve(cem)
        defer { server.cancel() }
        #expect(try await Self.leftOpen(port: port, Self.halfSent) == [])
    }
}
