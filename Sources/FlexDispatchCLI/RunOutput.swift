import Foundation
import LinearProgramming
import ParkModel
import Reporting
import RunHistory

/// Writes a run's outputs atomically — into a temporary sibling folder, renamed at the end —
/// and records the run in the run history before the rename.
enum RunOutput {
    struct Written {
        var runID: Int64?
        var store: String?
    }

    static func write(_ r: DispatchRun, scenario s: Scenario, scenarioDirectory: String, forecastFlagged: Bool,
                      settings: SolverSettings, startedAt: Date, to dir: String, store: (any RunStore)?) throws -> Written {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: dir)
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tmp-\(UUID().uuidString)")
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: staging) }
        try summary(r, s).write(to: staging.appendingPathComponent("summary.json"))
        var csv = "time,step,owner,asset,variable,value\n"
        for e in r.schedule { csv += "\(s.times[e.step]),\(e.step),\(e.owner),\(e.asset),\(e.variable),\(e.value)\n" }
        try Data(csv.utf8).write(to: staging.appendingPathComponent("schedule.csv"))
        if !s.forecasts.isEmpty { try Data(forecastsCSV(s).utf8).write(to: staging.appendingPathComponent("forecasts.csv")) }
        try Data(RunReport.html(scenario: s, run: r).utf8).write(to: staging.appendingPathComponent("report.html"))
        // The inputs, copied so that the run can be replayed even after the scenario changes.
        let inputs = try InputFiles.collect(scenarioDirectory)
        try InputFiles.copy(inputs, from: scenarioDirectory, to: staging.appendingPathComponent("inputs"))
        var manifest = RunManifest(scenario: s, run: r, scenarioDirectory: scenarioDirectory, inputs: inputs,
                                   forecastFlagged: forecastFlagged, settings: settings, createdAt: startedAt)
        var written = Written()
        if let store {
            let record = RunRecord(scenario: s, run: r, scenarioHash: manifest.inputsDigest, scenarioDirectory: scenarioDirectory,
                                   startedAt: startedAt, finishedAt: Date(), programVersion: FlexDispatchVersion.string,
                                   settings: settings, outputDirectory: dir, resultDigest: manifest.result.digest)
            manifest.runID = try store.record(record)
            written = Written(runID: manifest.runID, store: RunStores.describe(store))
        }
        try manifest.write(to: staging.appendingPathComponent("manifest.json").path)
        if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
        try fm.moveItem(at: staging, to: target)
        return written
    }

    static func summary(_ r: DispatchRun, _ s: Scenario) throws -> Data {
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
        }
        return try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
    }

    static func forecastsCSV(_ s: Scenario) -> String {
        var csv = "time,step,series,model,p10,p50,p90,actual\n"
        for f in s.forecasts {
            for k in 0..<s.steps {
                csv += "\(s.times[k]),\(k),\(f.series),\(f.model),\(f.p10[k]),\(f.p50[k]),\(f.p90[k]),\(f.actual.map { "\($0[k])" } ?? "")\n"
            }
        }
        return csv
    }
}
