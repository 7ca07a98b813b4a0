import ArgumentParser
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
        return FlexDispatch.exitCode(for: error).rawValue
    }
}
