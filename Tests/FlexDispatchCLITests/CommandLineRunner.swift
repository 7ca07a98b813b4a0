import Adapters
import ArgumentParser
import Foundation
@testable import FlexDispatchCLI

/// Runs a flexdispatch command line in-process and returns its exit code.
func runCommandLine(_ args: [String]) -> Int32 {
    do {
        var command = try FlexDispatchCommand.parseAsRoot(args)
        if let asynchronous = command as? any AsyncParsableCommand {
            try waitFor(CommandBox(asynchronous))
        } else {
            try command.run()
        }
        return 0
    } catch let code as ExitCode {
        return code.rawValue
    } catch {
        return FlexDispatchCommand.exitStatus(for: error)
    }
}

/// Runs a long command line (a server, a listener) on a thread of its own, so that the
/// async test awaiting it leaves the cooperative threads to the servers it talks to.
func runCommandLineOffPool(_ args: [String]) async -> Int32 {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: runCommandLine(args)) }
    }
}

/// An asynchronous command in a box a task can take.
private final class CommandBox: @unchecked Sendable {
    var command: any AsyncParsableCommand
    init(_ command: any AsyncParsableCommand) { self.command = command }
}

/// Runs an asynchronous command from a synchronous test and waits for it. The command
/// starts on the feed executor's threads, not on the cooperative pool the calling test
/// may be holding (blocking every pool thread while the command awaits one would deadlock).
private func waitFor(_ box: CommandBox) throws {
    let outcome = OutcomeBox()
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: FeedExecutor.shared) {
        do { try await box.command.run() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    if let error = outcome.error { throw error }
}

private final class OutcomeBox: @unchecked Sendable { var error: (any Error)? }
