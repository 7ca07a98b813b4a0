import ArgumentParser
import Foundation
@testable import FlexDispatchCLI

/// Runs a flexdispatch command line in-process and returns its exit code.
func runCommandLine(_ args: [String]) -> Int32 {
    do {
        var command = try FlexDispatch.parseAsRoot(args)
        try command.run()
        return 0
    } catch let code as ExitCode {
        return code.rawValue
    } catch {
        return FlexDispatch.exitStatus(for: error)
    }
}

/// Runs a long command line (a server, a listener) on a thread of its own, so that the
/// async test awaiting it leaves the cooperative threads to the servers it talks to.
func runCommandLineOffPool(_ args: [String]) async -> Int32 {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: runCommandLine(args)) }
    }
}
