import Foundation

/// Waits until `condition` holds, looking every 20 ms, for something a peer or a service
/// does on its own threads. The bound only stops a test whose peer never delivers (it
/// throws, naming `what`); nothing a test asserts depends on how soon the condition holds.
public func waitUntil(_ what: String, timeout: Double = 60, _ condition: () throws -> Bool) async throws {
    let end = Date().addingTimeInterval(timeout)
    while try !condition() {
        guard Date() < end else { throw PeerError("timed out after \(Int(timeout)) s waiting for \(what)") }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
}

/// Runs `body`, failing (naming `what`) when it has not finished within `timeout` seconds:
/// a peer that never answers stops the test instead of hanging it. As with `waitUntil`, the
/// bound says nothing about how fast anything is.
public func within<T: Sendable>(_ what: String, timeout: Double = 60, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw PeerError("timed out after \(Int(timeout)) s: \(what)") }
        return value
    }
}
