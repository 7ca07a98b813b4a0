import ArgumentParser
import FlexDispatch
import Foundation

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run a recorded run from its manifest and its copied inputs; say whether objective and settlements match.",
        discussion: """
        Checks every copied input against the SHA-256 in the manifest, re-solves with the recorded solver settings \
        (--threads may differ: results must not depend on it) and compares status, objective, value of the cluster, \
        and each firm's settlement and standalone cost to a relative 1e-9. \
        Exit codes: 0 match; 1 mismatch (each difference is printed); 2 unreadable manifest or changed inputs.
        """
    )

    @Argument(help: "manifest.json of a run (its inputs/ folder beside it).")
    var manifest: String
    @Option(parsing: .unconditional, help: "Threads for BLAS and CHOLMOD (default: as recorded).")
    var threads: Int?
    @Flag(help: "Print one JSON object: match, differences, objective.")
    var json = false

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.replay")
        let outcome: Replay.Outcome
        do { outcome = try Replay.run(manifest: manifest, threads: threads) } catch let failure as Replay.Failure {
            for message in failure.messages { logger.error("\(message)") }
            throw ExitCode(2)
        }
        let m = outcome.manifest, now = outcome.result, differences = outcome.differences
        if json {
            let o: [String: Any] = ["match": outcome.matches, "differences": differences,
                                    "objective": now.objective ?? NSNull(), "recordedObjective": m.result.objective ?? NSNull(),
                                    "digestMatches": outcome.digestMatches]
            print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("replayed \(m.scenario) (run \(m.runID.map(String.init) ?? "not recorded"), \(m.createdAt), version \(m.programVersion)) "
                  + "with \(outcome.settings.threads) thread(s)")
            if m.programVersion != FlexDispatchVersion.string {
                print("recorded by version \(m.programVersion), replayed by \(FlexDispatchVersion.string): a different solver "
                      + "may differ within its tolerances (1e-8 relative), more than the 1e-9 compared here")
            }
            print("objective recorded \(m.result.objective.map { String(format: "%.9f", $0) } ?? "n/a"), "
                  + "now \(now.objective.map { String(format: "%.9f", $0) } ?? "n/a")")
            print("result digest \(outcome.digestMatches ? "identical" : "differs (compare the figures)")")
            print(differences.isEmpty ? "MATCH: status, objective, value of the cluster, \(m.result.settlement.count) settlements and standalone costs agree to 1e-9"
                  : "MISMATCH:\n" + differences.map { "  " + $0 }.joined(separator: "\n"))
        }
        if !differences.isEmpty { throw ExitCode(1) }
    }
}
