import ArgumentParser
import FlexDispatch
import Foundation
import LinearAlgebra
import Logging
import RunHistory

@main
struct FlexDispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flexdispatch",
        abstract: "Day-ahead energy dispatch for industrial parks, on its own sparse interior-point LP solver.",
        discussion: """
        Exit codes: 0 a verdict was reached (optimal, infeasible, unbounded); \
        1 no verdict (iteration or time limit, numerical trouble); 2 input error.
        """,
        version: FlexDispatchVersion.string,
        subcommands: [RunCommand.self, PlanCommand.self, OperateCommand.self, SimulateCommand.self, RunsCommand.self, ReplayCommand.self, FeedsCommand.self, PublishCommand.self, VTNCommand.self, CEMCommand.self, SecretCommand.self, SignalsCommand.self, GenerateCommand.self, ForecastCommand.self, LPCommand.self]
    )

    /// The documented exit status of an error: a command-line usage error (an unknown
    /// option, a value out of range, ArgumentParser's 64) is an input error, 2; help and
    /// version stay 0, every other code is the command's own.
    static func exitStatus(for error: any Error) -> Int32 {
        let code = exitCode(for: error)
        return code == .validationFailure ? 2 : code.rawValue
    }

    static func main() async {
        HeapReuse.keepLargeBlocks()
        // Dense kernels run on one thread; an LP solve sets its own count (`--threads`,
        // `operate`'s `solver.threads`).
        BLASThreads.set(1)
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let status = exitStatus(for: error)
            if status == exitCode(for: error).rawValue { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(status)
        }
    }
}

/// Logging through swift-log to standard error, set up once per process.
enum CLILogging {
    /// A static let runs once even when commands start on several threads at once (tests
    /// run commands in parallel; bootstrapping twice traps).
    private static let bootstrapped: Void = LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }

    static func logger(_ label: String, verbose: Bool = false) -> Logger {
        _ = bootstrapped
        var logger = Logger(label: label)
        logger.logLevel = verbose ? .debug : .info
        return logger
    }
}
