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
