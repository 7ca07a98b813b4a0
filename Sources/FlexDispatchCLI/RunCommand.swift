import ArgumentParser
import Foundation
import LinearProgramming
import ParkModel

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Solve a park scenario's day-ahead dispatch and write summary.json and schedule.csv.",
        discussion: "Exit 0 for a verdict (optimal or infeasible), 2 for input errors, 1 otherwise."
    )

    @Argument(help: "Scenario folder (scenario.json + timeseries.csv).")
    var scenario: String
    @Option(help: "Output folder (default: out/<scenario name>).")
    var out: String?
    @Option(help: "Also write the park LP as free MPS to this file.")
    var writeMps: String?
    @Flag(help: "Dispatch on the time-series file's own values of series flagged \"forecast\": true (perfect foresight), not on their forecasts.")
    var actuals = false
    @Flag(help: "Print nothing but errors.")
    var quiet = false
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.run")
        let settings = try solver.settings()
        let clock = Date()
        func phase(_ text: String) { if !quiet { logger.info("\(text) (\(String(format: "%.2f", Date().timeIntervalSince(clock))) s)") } }
        phase("reading \(scenario)")
        let s: Scenario
        do {
            s = try ScenarioReader.read(directory: scenario, forecastFlagged: !actuals)
        } catch let error as ScenarioError {
            for m in error.messages { logger.error("\(scenario): \(m)") }
            throw ExitCode(2)
        }
        if !s.forecasts.isEmpty {
            let models = Dictionary(grouping: s.forecasts, by: \.model).map { "\($0.key) ×\($0.value.count)" }.sorted()
            phase("forecast \(s.forecasts.count) series from the history: \(models.joined(separator: ", "))")
        }
        phase("building the LP: \(s.firms.count) firms, \(s.steps) steps")
        if let writeMps {
            let lp = try DispatchFormulation(s, scope: .park).model.build()
            try MPSWriter.write(lp, to: writeMps)
            phase("wrote \(writeMps)")
        }
        phase("solving")
        let result = try DispatchRun.solve(s, settings: settings, progress: quiet ? nil : { r in
            if r.iteration % 5 == 0 { logger.info("  iteration \(r.iteration): objective \(r.primalObjective), mu \(r.mu)") }
        })
        let dir = out ?? "out/\(s.name)"
        try RunOutput.write(result, scenario: s, to: dir)
        phase("\(result.status.rawValue); wrote \(dir)/summary.json and schedule.csv")
        if !quiet, let objective = result.objective {
            print("status \(result.status.rawValue), total cost \(String(format: "%.2f", objective)) \(s.currency), value of the cluster \(result.valueOfCluster.map { String(format: "%.2f", $0) } ?? "n/a")")
        } else if !quiet {
            print("status \(result.status.rawValue)")
            for c in result.conflicts { print("  conflict: \(c)") }
        }
        if !(result.status == .optimal || result.status == .infeasible) { throw ExitCode(1) }
    }
}

/// Writes a run's outputs atomically: into a temporary sibling folder, renamed at the end.
enum RunOutput {
    static func write(_ r: DispatchRun, scenario s: Scenario, to dir: String) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: dir)
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tmp-\(UUID().uuidString)")
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        var summary: [String: Any] = [
            "scenario": s.name, "currency": s.currency, "status": r.status.rawValue, "solveSeconds": r.solveSeconds,
            "iterations": r.iterations, "lp": ["rows": r.rows, "columns": r.columns, "nonzeros": r.nonzeros],
            "parts": r.parts, "internalPrice": r.internalPrice, "settlement": r.settlement,
            "internalPriceNote": "dual of the park balance / step hours; the interior point's limit (centre of the optimal dual face)",
        ]
        summary["objective"] = r.objective ?? NSNull()
        summary["parkResidual"] = r.parkResidual ?? NSNull()
        summary["valueOfCluster"] = r.valueOfCluster ?? NSNull()
        summary["standaloneCost"] = r.standaloneCost.mapValues { $0 as Any? ?? NSNull() }
        if !r.standaloneNote.isEmpty { summary["standaloneNote"] = r.standaloneNote }
        if !r.conflicts.isEmpty { summary["conflicts"] = r.conflicts }
        if !s.forecasts.isEmpty {
            summary["forecasts"] = s.forecasts.map { f -> [String: Any] in
                var o: [String: Any] = ["series": f.series, "role": f.role, "model": f.model, "historyFile": f.historyFile,
                                        "historyHours": f.historyHours]
                o["maeAgainstActual"] = f.maeAgainstActual ?? NSNull()
                return o
            }
            var csv = "time,step,series,model,p10,p50,p90,actual\n"
            for f in s.forecasts {
                for k in 0..<s.steps {
                    csv += "\(s.times[k]),\(k),\(f.series),\(f.model),\(f.p10[k]),\(f.p50[k]),\(f.p90[k]),\(f.actual.map { "\($0[k])" } ?? "")\n"
                }
            }
            try Data(csv.utf8).write(to: staging.appendingPathComponent("forecasts.csv"))
        }
        let json = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
        try json.write(to: staging.appendingPathComponent("summary.json"))
        var csv = "time,step,owner,asset,variable,value\n"
        for e in r.schedule {
            csv += "\(s.times[e.step]),\(e.step),\(e.owner),\(e.asset),\(e.variable),\(e.value)\n"
        }
        try Data(csv.utf8).write(to: staging.appendingPathComponent("schedule.csv"))
        if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
        try fm.moveItem(at: staging, to: target)
    }
}
