import DataFiles
import Foundation
import Storage

/// The run history's statements (its tables are created by `DatabaseSchema`).
enum RunSchema {
    static let insertRun = """
        INSERT INTO runs (scenario, scenario_hash, scenario_dir, started_at, finished_at, program_version, solver_settings, status,
          objective, value_of_cluster, park_residual, lp_rows, lp_columns, lp_nonzeros, iterations, solve_seconds, output_dir,
          result_digest, step_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let insertPart = "INSERT INTO run_parts VALUES (?, ?, ?)"
    static let insertPrice = "INSERT INTO run_prices VALUES (?, ?, ?, ?, ?, ?)"
    static let insertFirm = "INSERT INTO run_firms VALUES (?, ?, ?, ?, ?, ?)"
    static let insertSchedule = "INSERT INTO run_schedule VALUES (?, ?, ?, ?, ?, ?, ?)"
    static let insertForecast = "INSERT INTO run_forecasts VALUES (?, ?, ?, ?, ?, ?, ?)"
    static let insertForecastValue = "INSERT INTO run_forecast_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    static let insertConflict = "INSERT INTO run_conflicts VALUES (?, ?, ?)"
    static let insertRevision = "INSERT INTO run_revisions VALUES (?, ?, ?, ?, ?, ?)"
    static let selectRevision = "SELECT replaces, plan_at, first_step, start_state, notes FROM run_revisions WHERE run_id = ?"
    static let selectRevisedBy = "SELECT run_id FROM run_revisions WHERE replaces = ? ORDER BY run_id"
    static let selectLatestHolding = """
        SELECT r.id FROM runs r JOIN run_prices p ON p.run_id = r.id
        WHERE r.scenario = ? AND r.status = 'optimal' AND p.time = ? ORDER BY r.id DESC LIMIT 1
        """

    static let selectLatestOptimal = "SELECT id FROM runs WHERE status = 'optimal' ORDER BY id DESC LIMIT 1"
    static let selectLatestOptimalOfScenario = "SELECT id FROM runs WHERE status = 'optimal' AND scenario = ? ORDER BY id DESC LIMIT 1"

    /// A revision from its row's values.
    static func revision(replaces: Int64?, planAt: String, firstStep: Int64, startState: String, notes: String) -> RunRecord.Revision {
        RunRecord.Revision(replaces: replaces, planAt: planAt, firstStep: Int(firstStep), startState: startState,
                           notes: notes.isEmpty ? [] : notes.components(separatedBy: "\n"))
    }
    static let listRuns = """
        SELECT id, scenario, started_at, status, objective, value_of_cluster, solve_seconds, scenario_hash
        FROM runs ORDER BY id DESC LIMIT ?
        """

    /// The rows of one run, as (SQL, argument rows) pairs in insertion order, so that both
    /// stores execute the same statements.
    static func rows(_ r: RunRecord, id: Int64) -> [(sql: String, rows: [[SQLValue]])] {
        var out: [(String, [[SQLValue]])] = []
        out.append((insertPart, r.parts.sorted { $0.key < $1.key }.map { [.int(id), .text($0.key), .real($0.value)] }))
        out.append((insertPrice, r.prices.map { [.int(id), .int(Int64($0.step)), .text($0.time), .optionalReal($0.internalPrice),
                                                 .real($0.importPrice), .real($0.exportPrice)] }))
        out.append((insertFirm, r.firms.map { [.int(id), .text($0.id), .text($0.name), .optionalReal($0.settlement),
                                               .optionalReal($0.standaloneCost), .optionalText($0.note)] }))
        out.append((insertSchedule, r.schedule.map { [.int(id), .int(Int64($0.step)), .text(r.times[$0.step]), .text($0.owner),
                                                      .text($0.asset), .text($0.variable), .real($0.value)] }))
        out.append((insertForecast, r.forecasts.map { [.int(id), .text($0.series), .text($0.role), .text($0.model),
                                                       .text($0.historyFile), .int(Int64($0.historyHours)), .optionalReal($0.maeAgainstActual)] }))
        out.append((insertForecastValue, r.forecasts.flatMap { f in
            (0..<f.p50.count).map { t in
                [.int(id), .text(f.series), .int(Int64(t)), .text(r.times[t]), .real(f.p10[t]), .real(f.p50[t]), .real(f.p90[t]),
                 .optionalReal(f.actual?[t])] as [SQLValue]
            }
        }))
        out.append((insertConflict, r.conflicts.enumerated().map { [.int(id), .int(Int64($0.offset)), .text($0.element)] }))
        out.append((insertRevision, r.revision.map { v in
            [[.int(id), v.replaces.map { .int($0) } ?? .null, .text(v.planAt), .int(Int64(v.firstStep)), .text(v.startState),
              .text(v.notes.joined(separator: "\n"))]]
        } ?? []))
        return out
    }

    static func runValues(_ r: RunRecord) -> [SQLValue] {
        let iso = ISO8601Formatting.string
        return [.text(r.scenario), .text(r.scenarioHash), .text(r.scenarioDirectory), .text(iso(r.startedAt)), .text(iso(r.finishedAt)),
                .text(r.programVersion), .text(r.solverSettings), .text(r.status), .optionalReal(r.objective),
                .optionalReal(r.valueOfCluster), .optionalReal(r.parkResidual), .int(Int64(r.rows)), .int(Int64(r.columns)),
                .int(Int64(r.nonzeros)), .int(Int64(r.iterations)), .real(r.solveSeconds), .text(r.outputDirectory),
                .text(r.resultDigest), .real(r.stepSeconds)]
    }
}
