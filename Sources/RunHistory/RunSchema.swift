import DataFiles
import Foundation

/// The run-history schema, the same in SQLite and PostgreSQL (only the id column's type
/// differs). Every table is keyed by `run_id`; values are in the scenario's units (kW,
/// kWh, currency per kWh) and times are the scenario's own ISO-8601 strings.
public enum RunSchema {
    public enum Dialect: Sendable { case sqlite, postgres }

    /// Migration steps in order; each runs once per database.
    public static func migrations(_ dialect: Dialect) -> [(name: String, sql: [String])] {
        let id = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let run = "run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE"
        let real = "DOUBLE PRECISION"
        return [("v1-runs", [
            """
            CREATE TABLE runs (id \(id), scenario TEXT NOT NULL, scenario_hash TEXT NOT NULL, scenario_dir TEXT NOT NULL,
              started_at TEXT NOT NULL, finished_at TEXT NOT NULL, program_version TEXT NOT NULL, solver_settings TEXT NOT NULL,
              status TEXT NOT NULL, objective \(real), value_of_cluster \(real), park_residual \(real), lp_rows BIGINT NOT NULL,
              lp_columns BIGINT NOT NULL, lp_nonzeros BIGINT NOT NULL, iterations BIGINT NOT NULL, solve_seconds \(real) NOT NULL,
              output_dir TEXT NOT NULL, result_digest TEXT NOT NULL)
            """,
            "CREATE INDEX runs_by_scenario ON runs (scenario, started_at)",
            "CREATE TABLE run_parts (\(run), part TEXT NOT NULL, cost \(real) NOT NULL, PRIMARY KEY (run_id, part))",
            """
            CREATE TABLE run_prices (\(run), step BIGINT NOT NULL, time TEXT NOT NULL, internal_price \(real),
              import_price \(real) NOT NULL, export_price \(real) NOT NULL, PRIMARY KEY (run_id, step))
            """,
            """
            CREATE TABLE run_firms (\(run), firm_id TEXT NOT NULL, name TEXT NOT NULL, settlement \(real),
              standalone_cost \(real), note TEXT, PRIMARY KEY (run_id, firm_id))
            """,
            """
            CREATE TABLE run_schedule (\(run), step BIGINT NOT NULL, time TEXT NOT NULL, owner TEXT NOT NULL, asset TEXT NOT NULL,
              variable TEXT NOT NULL, value \(real) NOT NULL, PRIMARY KEY (run_id, owner, asset, variable, step))
            """,
            """
            CREATE TABLE run_forecasts (\(run), series TEXT NOT NULL, role TEXT NOT NULL, model TEXT NOT NULL,
              history_file TEXT NOT NULL, history_hours BIGINT NOT NULL, mae_vs_actual \(real), PRIMARY KEY (run_id, series))
            """,
            """
            CREATE TABLE run_forecast_values (\(run), series TEXT NOT NULL, step BIGINT NOT NULL, time TEXT NOT NULL,
              p10 \(real) NOT NULL, p50 \(real) NOT NULL, p90 \(real) NOT NULL, actual \(real), PRIMARY KEY (run_id, series, step))
            """,
            "CREATE TABLE run_conflicts (\(run), seq BIGINT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (run_id, seq))",
        ]), ("v2-measurements", [
            // Measurements from the adapters: one value per series and instant (a repeated
            // sample is a duplicate, not an update); times as UTC ISO-8601 with milliseconds.
            """
            CREATE TABLE measurements (series TEXT NOT NULL, time TEXT NOT NULL, value \(real) NOT NULL, unit TEXT NOT NULL,
              source TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (series, time))
            """,
            """
            CREATE TABLE feed_events (id \(id), at TEXT NOT NULL, source TEXT NOT NULL, series TEXT NOT NULL, kind TEXT NOT NULL,
              message TEXT NOT NULL)
            """,
            "CREATE INDEX feed_events_by_series ON feed_events (series, at)",
        ]), ("v3-documents", [
            // Servers' objects (the VTN's), one JSON document per object (`DocumentStore`).
            "CREATE TABLE documents (collection TEXT NOT NULL, id TEXT NOT NULL, seq BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (collection, id))",
        ]), ("v4-run-step", [
            // A run's step length, so that its steps meet the clock without guessing (runs
            // recorded before have NULL: their step is read from their first two times).
            "ALTER TABLE runs ADD COLUMN step_seconds \(real)",
        ])]
    }

    static let insertRun = """
        INSERT INTO runs (scenario, scenario_hash, scenario_dir, started_at, finished_at, program_version, solver_settings, status,
          objective, value_of_cluster, park_residual, lp_rows, lp_columns, lp_nonzeros, iterations, solve_seconds, output_dir,
          result_digest, step_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// On a (series, time) already present: nothing, or (a revised forecast) the new value.
    static func onConflict(replacing: Bool) -> String {
        replacing ? "ON CONFLICT (series, time) DO UPDATE SET value = excluded.value, unit = excluded.unit, source = excluded.source, "
            + "received_at = excluded.received_at" : "ON CONFLICT (series, time) DO NOTHING"
    }
    static let insertFeedEvent = "INSERT INTO feed_events (at, source, series, kind, message) VALUES (?, ?, ?, ?, ?)"
    /// Per series with values: the newest, the count, the last event; then series that
    /// only have events (a device that never answered), with an empty time and count 0.
    static let feedStatus = """
        SELECT * FROM (
          SELECT m.series, m.time, m.value, m.unit, m.source, m.received_at, c.n,
            (SELECT e.message FROM feed_events e WHERE e.series = m.series ORDER BY e.id DESC LIMIT 1) AS last_event,
            (SELECT e.at FROM feed_events e WHERE e.series = m.series ORDER BY e.id DESC LIMIT 1) AS last_event_at
          FROM measurements m JOIN (SELECT series, MAX(time) AS t, COUNT(*) AS n FROM measurements GROUP BY series) c
            ON c.series = m.series AND c.t = m.time
          UNION ALL
          SELECT e.series, '' AS time, CAST(0 AS DOUBLE PRECISION) AS value, '' AS unit, e.source, '' AS received_at,
            CAST(0 AS BIGINT) AS n, e.message AS last_event, e.at AS last_event_at
          FROM feed_events e
          WHERE e.id IN (SELECT MAX(id) FROM feed_events GROUP BY series) AND e.series <> '*'
            AND NOT EXISTS (SELECT 1 FROM measurements m WHERE m.series = e.series)
        ) status ORDER BY series
        """
    static let insertPart = "INSERT INTO run_parts VALUES (?, ?, ?)"
    static let insertPrice = "INSERT INTO run_prices VALUES (?, ?, ?, ?, ?, ?)"
    static let insertFirm = "INSERT INTO run_firms VALUES (?, ?, ?, ?, ?, ?)"
    static let insertSchedule = "INSERT INTO run_schedule VALUES (?, ?, ?, ?, ?, ?, ?)"
    static let insertForecast = "INSERT INTO run_forecasts VALUES (?, ?, ?, ?, ?, ?, ?)"
    static let insertForecastValue = "INSERT INTO run_forecast_values VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    static let insertConflict = "INSERT INTO run_conflicts VALUES (?, ?, ?)"
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

/// A value bound to a statement, independent of the database library.
enum SQLValue: Sendable {
    case int(Int64), real(Double), text(String), null

    static func optionalReal(_ v: Double?) -> SQLValue { v.map { .real($0) } ?? .null }
    static func optionalText(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
}
