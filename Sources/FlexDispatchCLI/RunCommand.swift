import ArgumentParser
import FlexDispatch
import Foundation
import Logging
import RunHistory

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Forecast what the scenario leaves out, solve the park's day-ahead dispatch, and write summary.json, "
            + "schedule.csv, forecasts.csv, report.html and manifest.json (with the inputs), recorded in the run history.",
        discussion: """
        Exit codes: 0 a verdict (optimal, or infeasible with its explanation); 1 no verdict (iteration or time \
        limit, numerical trouble) or the outputs or the run history could not be written; 2 input errors (every \
        one is printed with its file, line or JSON path, firm, asset and field). \
        For schedulers (cron, systemd timers): --quiet prints errors only, --json prints one JSON object with \
        runID, status, objective, valueOfCluster, output and seconds (and breaches with --soft).
        """
    )

    @Argument(help: "Scenario folder (scenario.json + timeseries.csv [+ history/]).")
    var scenario: String
    @Option(help: "Output folder (default: out/<scenario name>). An existing one is replaced only when it is a previous FlexDispatch output (it has a run's manifest.json); never when it is or holds an input of the run.")
    var out: String?
    @Flag(help: "Replace --out even when it is not a previous FlexDispatch output (never an input of the run).")
    var force = false
    @Option(help: "Run history: a SQLite file (default: <output folder's parent>/flexdispatch.sqlite) or postgres://user:pass@host:port/db.")
    var db: String?
    @Flag(help: "Do not record the run in the run history.")
    var noDb = false
    @Option(help: "Also write the park LP as free MPS to this file.")
    var writeMps: String?
    @Flag(help: "Dispatch on the time-series file's own values of series flagged \"forecast\": true (perfect foresight), not on their forecasts.")
    var actuals = false
    @Flag(help: "Soft limits: the park's import and export limits, the firms' connections, final states of charge, shiftable energy, hydrogen demand and the carbon cap may be breached at the scenario's breach prices (park.breachPrices, docs/park-model.md), so that a plan always comes out; the breaches are reported.")
    var soft = false
    @Flag(help: "Print nothing but errors.")
    var quiet = false
    @Flag(help: "Print one JSON object with the outcome (implies --quiet).")
    var json = false
    @OptionGroup var solver: SolverOptions

    func run() throws {
        var options = DailyBatch.Options()
        options.settings = try solver.settings()
        options.outputDirectory = out
        options.force = force
        options.forecastFlagged = !actuals
        options.limits = soft ? .soft : .hard
        options.writeMPS = writeMps
        options.alsoWritten = [db].compactMap { $0 }
        if !noDb { options.openStore = { [db] dir in try RunStores.open(db ?? RunStores.defaultPath(outputDirectory: dir)) } }
        try Self.execute(scenario: scenario, options: options, quiet: quiet, json: json, logger: CLILogging.logger("flexdispatch.run"))
    }

    /// Runs the batch with `options` and prints its outcome: the body of `run` and `plan`.
    static func execute(scenario: String, options: DailyBatch.Options, quiet: Bool, json: Bool, logger: Logger) throws {
        let silent = quiet || json
        let clock = Date()
        let outcome: DailyBatch.Outcome
        do {
            outcome = try DailyBatch.run(scenarioDirectory: scenario, options: options) { event in
                switch event {
                case .forecastNote(let text): logger.notice("\(text)")
                case .planNote(let text): logger.notice("\(text)")
                case .stage(let text): if !silent { logger.info("\(text) (\(String(format: "%.2f", Date().timeIntervalSince(clock))) s)") }
                case .iteration(let r):
                    if !silent && r.iteration % 5 == 0 { logger.info("  iteration \(r.iteration): objective \(r.primalObjective), mu \(r.mu)") }
                }
            }
        } catch { try fail(error, logger) }
        let result = outcome.run, s = outcome.scenario, dir = outcome.outputDirectory
        let soft = options.limits == .soft
        if !silent {
            let recorded = outcome.written.runID.map { "; run \($0) in \(outcome.written.store ?? "")" } ?? ""
            let files = "summary.json, schedule.csv, report.html, manifest.json" + (outcome.revision == nil ? "" : ", state.json")
            logger.info("\(result.status.rawValue); wrote \(dir)/: \(files)\(recorded) (\(String(format: "%.2f", Date().timeIntervalSince(clock))) s)")
        }
        if json {
            var o: [String: Any] = ["status": result.status.rawValue, "output": dir, "seconds": Date().timeIntervalSince(clock)]
            o["runID"] = outcome.written.runID.map { NSNumber(value: $0) } ?? NSNull()
            o["objective"] = result.objective ?? NSNull()
            o["valueOfCluster"] = result.valueOfCluster ?? NSNull()
            if soft { o["breaches"] = result.breaches.map(\.description) }
            if let revision = outcome.revision {
                o["firstStep"] = revision.firstStep
                o["steps"] = revision.horizonSteps
                o["replaces"] = revision.replaces.map { NSNumber(value: $0) } ?? NSNull()
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        } else if !quiet, let objective = result.objective {
            if let revision = outcome.revision {
                print("re-plan from step \(revision.firstStep) (\(s.times.first ?? "")), \(revision.horizonSteps) steps"
                      + (revision.replaces.map { ", replacing run \($0)" } ?? ""))
            }
            print("status \(result.status.rawValue), total cost \(String(format: "%.2f", objective)) \(s.currency), value of the cluster \(result.valueOfCluster.map { String(format: "%.2f", $0) } ?? "n/a")")
            if soft { print(result.breaches.isEmpty ? "no limit breached" : "limits breached:") }
            for b in result.breaches { print("  breach: \(b.description), cost \(String(format: "%.2f", b.cost)) \(s.currency)") }
        } else if !quiet {
            print("status \(result.status.rawValue)")
            for c in result.conflicts { print("  conflict: \(c)") }
        }
        if !outcome.isVerdict { throw ExitCode(1) }
    }

    /// Logs a batch failure and exits with its status (2 input, 1 writing).
    private static func fail(_ error: any Error, _ logger: Logger) throws -> Never {
        guard let failure = error as? DailyBatch.Failure else { throw error }
        for line in failure.description.split(separator: "\n", omittingEmptySubsequences: false) { logger.error("\(line)") }
        throw ExitCode(failure.exitStatus)
    }
}
