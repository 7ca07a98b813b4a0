import Adapters
import ArgumentParser
import Logging
import RunHistory

/// The plan a server (`vtn serve`, `cem serve`) starts from: a run id, or `latest`, the
/// newest optimal run (of `--scenario`), followed as new plans are recorded.
struct FollowedRunOptions: ParsableArguments {
    @Argument(help: "Run id (see `flexdispatch runs list`), or 'latest': the newest optimal run (of --scenario), followed as new plans are recorded.")
    var run: String
    @Option(help: "With 'latest': only this scenario's runs (its name in scenario.json).") var scenario: String?
    @Option(help: "With 'latest': seconds between two looks for a newer plan in the run history.") var pollSeconds: Double = 30

    /// Whether newer plans replace the one served.
    var follows: Bool { run == "latest" }

    /// The run to start from; says why on the log and exits 2 when the choice is not one.
    func resolve(in runs: any RunStore, db: String, logger: Logger) throws -> Int64 {
        guard follows || Int64(run) != nil else {
            logger.error("'\(run)': give a run id or 'latest'")
            throw ExitCode(2)
        }
        guard pollSeconds >= 1, pollSeconds <= 86_400 else {
            logger.error("--poll-seconds must lie within 1…86400, got \(pollSeconds)")
            throw ExitCode(2)
        }
        if scenario != nil && !follows {
            logger.error("--scenario goes with 'latest'")
            throw ExitCode(2)
        }
        guard let id = follows ? try RunSetpoints.newestPlan(in: runs, scenario: scenario) : Int64(run) else {
            logger.error("no optimal run\(scenario.map { " of '\($0)'" } ?? "") in \(db)")
            throw ExitCode(2)
        }
        return id
    }
}
