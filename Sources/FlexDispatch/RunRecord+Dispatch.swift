import Foundation
import LinearProgramming
import ParkModel
import RunHistory

extension RunRecord {
    /// The run history's record of a solved scenario: its metadata, result and tables.
    public init(scenario s: Scenario, run r: DispatchRun, scenarioHash: String, scenarioDirectory: String,
                startedAt: Date, finishedAt: Date, programVersion: String, settings: SolverSettings,
                outputDirectory: String, resultDigest: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        self.init(
            scenario: s.name, scenarioHash: scenarioHash, scenarioDirectory: scenarioDirectory, startedAt: startedAt,
            finishedAt: finishedAt, programVersion: programVersion,
            solverSettings: (try? encoder.encode(settings)).map { String(decoding: $0, as: UTF8.self) } ?? "{}",
            status: r.status.rawValue, objective: r.objective, valueOfCluster: r.valueOfCluster, parkResidual: r.parkResidual,
            rows: r.rows, columns: r.columns, nonzeros: r.nonzeros, iterations: r.iterations, solveSeconds: r.solveSeconds,
            outputDirectory: outputDirectory, resultDigest: resultDigest, parts: r.parts,
            prices: (0..<s.steps).map { t in
                (t, s.times[t], r.internalPrice.indices.contains(t) ? r.internalPrice[t] : nil, s.park.importPrice[t], s.park.exportPrice[t])
            },
            firms: s.firms.map { f in (f.id, f.name, r.settlement[f.id], r.standaloneCost[f.id] ?? nil, r.standaloneNote[f.id]) },
            schedule: r.schedule.map { ($0.step, $0.owner, $0.asset, $0.variable.rawValue, $0.value) },
            forecasts: s.forecasts.map {
                Forecast(series: $0.series, role: $0.role, model: $0.model, historyFile: $0.historyFile, historyHours: $0.historyHours,
                         maeAgainstActual: $0.maeAgainstActual, p10: $0.p10, p50: $0.p50, p90: $0.p90, actual: $0.actual)
            },
            times: s.times, stepSeconds: Double(s.stepMinutes * 60), conflicts: r.conflicts)
    }
}
