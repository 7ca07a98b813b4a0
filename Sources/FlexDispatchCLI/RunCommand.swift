import ArgumentParser
import FlexDispatch
import Foundation
import LinearProgramming
import ParkModel
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
        runID, status, objective, valueOfCluster, output and seconds.
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
    @Flag(help: "Print nothing but errors.")
    var quiet = false
    @Flag(help: "Print one JSON object with the outcome (implies --quiet).")
    var json = false
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.run")
        let settings = try solver.settings()
        let silent = quiet || json
        let clock = Date()
        func phase(_ text: String) { if !silent { logger.info("\(text) (\(String(format: "%.2f", Date().timeIntervalSince(clock))) s)") } }
        phase("reading \(scenario)")
        let s: Scenario
        do {
            s = try ScenarioReader.read(directory: scenario, forecastFlagged: !actuals)
        } catch let error as ScenarioError {
            for m in error.messages { logger.error("\(scenario): \(m)") }
            throw ExitCode(2)
        }
        let dir = out ?? "out/\(s.name)"
        let alsoWritten = ([db].compactMap { $0 } + [writeMps].compactMap { $0 }).filter { !$0.hasPrefix("postgres") }
        do { try OutputFolder.check(dir, inputs: RunOutput.protectedInputs(s, scenarioDirectory: scenario, also: alsoWritten), force: force) } catch {
            logger.error("\(error.description)")
            throw ExitCode(2)
        }
        if !s.forecasts.isEmpty {
            let models = Dictionary(grouping: s.forecasts, by: \.model).map { "\($0.key) ×\($0.value.count)" }.sorted()
            phase("forecast \(s.forecasts.count) series from the history: \(models.joined(separator: ", "))")
            for f in s.forecasts { for note in f.notes { logger.notice("\(f.historyFile): series '\(f.series)': \(f.model): \(note)") } }
        }
        phase("building the LP: \(s.firms.count) firms, \(s.steps) steps")
        if let writeMps {
            let lp = try DispatchFormulation(s, scope: .park).model.build()
            try MPSWriter.write(lp, to: writeMps)
            phase("wrote \(writeMps)")
        }
        phase("solving the park and \(s.firms.count) standalone problems")
        let result = try DispatchRun.solve(s, settings: settings, progress: silent ? nil : { r in
            if r.iteration % 5 == 0 { logger.info("  iteration \(r.iteration): objective \(r.primalObjective), mu \(r.mu)") }
        })
        let store: (any RunStore)?
        do {
            store = noDb ? nil : try RunStores.open(db ?? RunStores.defaultPath(outputDirectory: dir))
        } catch {
            logger.error("\(error)")
            throw ExitCode(1)
        }
        let written: RunOutput.Written
        do {
            written = try RunOutput.write(result, scenario: s, scenarioDirectory: scenario, forecastFlagged: !actuals,
                                          settings: settings, startedAt: clock, to: dir, force: force, protected: alsoWritten, store: store)
        } catch let error as OutputFolder.Refusal {
            logger.error("\(error.description)")
            throw ExitCode(2)
        } catch {
            logger.error("\(error)")
            throw ExitCode(1)
        }
        phase("\(result.status.rawValue); wrote \(dir)/: summary.json, schedule.csv, report.html, manifest.json"
              + (written.runID.map { "; run \($0) in \(written.store ?? "")" } ?? ""))
        if json {
            var o: [String: Any] = ["status": result.status.rawValue, "output": dir, "seconds": Date().timeIntervalSince(clock)]
            o["runID"] = written.runID.map { NSNumber(value: $0) } ?? NSNull()
            o["objective"] = result.objective ?? NSNull()
            o["valueOfCluster"] = result.valueOfCluster ?? NSNull()
            print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        } else if !quiet, let objective = result.objective {
            print("status \(result.status.rawValue), total cost \(String(format: "%.2f", objective)) \(s.currency), value of the cluster \(result.valueOfCluster.map { String(format: "%.2f", $0) } ?? "n/a")")
        } else if !quiet {
            print("status \(result.status.rawValue)")
            for c in result.conflicts { print("  conflict: \(c)") }
        }
        if !(result.status == .optimal || result.status == .infeasible) { throw ExitCode(1) }
    }
}
