/// The schema of FlexDispatch's database, the same in SQLite and PostgreSQL (only the id
/// column's type differs): the run history (`runs` and the `run_*` tables, keyed by
/// `run_id`), the measurements and feed events, and the servers' documents. Values are in
/// the scenario's units (kW, kWh, currency per kWh); times are ISO-8601 strings.
public enum DatabaseSchema {
    /// The SQL dialect a migration is written for.
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
        ]), ("v5-run-revisions", [
            // A re-plan: the run it replaces, the instant and the scenario step it starts
            // from, the park state it started from (ParkState JSON) and its notes (one per line).
            """
            CREATE TABLE run_revisions (run_id BIGINT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE, replaces BIGINT,
              plan_at TEXT NOT NULL, first_step BIGINT NOT NULL, start_state TEXT NOT NULL, notes TEXT NOT NULL)
            """,
            "CREATE INDEX run_revisions_by_replaced ON run_revisions (replaces)",
        ])]
    }
}
