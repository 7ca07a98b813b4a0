import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the adapters' HTTP servers (the VTN, the VEN's webhook, the S2 CEM) so that every way of stopping
/// them is a graceful shutdown: SIGINT/SIGTERM when asked for, and the cancellation of the
/// task that awaits `run`. The server stops accepting connections, lets the requests in
/// flight finish and closes idle keep-alive connections; `run` returns once it has. A
/// shutdown that takes longer than `maximumShutdown` (a peer holding a request open) ends
/// in cancellation.
enum GracefulServing {
    static func run(_ app: some ApplicationProtocol & Service, signals: [UnixSignal], logger: Logger,
                    maximumShutdown: Duration = .seconds(10)) async throws {
        var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = maximumShutdown
        let group = ServiceGroup(configuration: configuration)
        // The group runs outside the caller's task, so that the caller's cancellation does
        // not cancel the server: it asks the group to shut down gracefully instead.
        let running = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await running.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
