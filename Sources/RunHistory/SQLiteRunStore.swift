import DataFiles
import Foundation
import GRDB

/// The run history in an embedded SQLite database (GRDB): schema created and migrated by
/// `DatabaseMigrator`, WAL journal (a `DatabasePool`), every run stored in one transaction.
/// Sendable: its only state is immutable and GRDB's `DatabasePool`, which serialises writes itself.
public final class SQLiteRunStore: RunStore, MeasurementStore, Sendable {
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)  // concurrent runs wait for each other's write
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            for step in RunSchema.migrations(.sqlite) {
                migrator.registerMigration(step.name) { db in for sql in step.sql { try db.execute(sql: sql) } }
            }
            try migrator.migrate(pool)
        } catch {
            throw RunStoreError("\(path): cannot open the run history (\(error))")
        }
    }

    /// The journal mode in effect ("wal").
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { v -> (any DatabaseValueConvertible)? in
            switch v {
            case .int(let i): return i
            case .real(let d): return d
            case .text(let s): return s
            case .null: return nil
            }
        })
    }

    public func record(_ run: RunRecord) throws -> Int64 {
        try run.check()
        do {
            return try pool.write { db in
                try db.execute(sql: RunSchema.insertRun, arguments: Self.arguments(RunSchema.runValues(run)))
                let id = db.lastInsertedRowID
                for block in RunSchema.rows(run, id: id) where !block.rows.isEmpty {
                    let statement = try db.makeStatement(sql: block.sql)
                    for row in block.rows { try statement.execute(arguments: Self.arguments(row)) }
                }
                return id
            }
        } catch {
            throw RunStoreError("\(path): cannot record the run (\(error))")
        }
    }

    public func list(limit: Int) throws -> [RunSummary] {
        try pool.read { db in
            try Row.fetchAll(db, sql: RunSchema.listRuns, arguments: [limit]).map { row in
                RunSummary(id: row["id"], scenario: row["scenario"], startedAt: row["started_at"], status: row["status"],
                           objective: row["objective"], valueOfCluster: row["value_of_cluster"], solveSeconds: row["solve_seconds"],
                           scenarioHash: row["scenario_hash"])
            }
        }
    }

    public func show(_ id: Int64) throws -> RunDetail? {
        try pool.read { db in
            guard let run = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else { return nil }
            let fields = zip(run.columnNames, run.databaseValues).map { ($0.0, Self.text($0.1)) }
            var detail = RunDetail(fields: fields, parts: [:], firms: [:], internalPrice: [], importPrice: [], scheduleValues: [:],
                                   forecastModels: [:])
            for row in try Row.fetchAll(db, sql: "SELECT part, cost FROM run_parts WHERE run_id = ?", arguments: [id]) {
                detail.parts[row["part"]] = row["cost"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT firm_id, settlement, standalone_cost FROM run_firms WHERE run_id = ?",
                                        arguments: [id]) {
                detail.firms[row["firm_id"]] = (row["settlement"], row["standalone_cost"])
            }
            for row in try Row.fetchAll(db, sql: "SELECT internal_price, import_price FROM run_prices WHERE run_id = ? ORDER BY step",
                                        arguments: [id]) {
                detail.internalPrice.append(row["internal_price"])
                detail.importPrice.append(row["import_price"])
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT owner || '/' || asset || '/' || variable AS key, step, value FROM run_schedule WHERE run_id = ? ORDER BY key, step
                """, arguments: [id]) {
                detail.scheduleValues[row["key"], default: []].append(row["value"])
            }
            detail.times = try String.fetchAll(db, sql: "SELECT time FROM run_prices WHERE run_id = ? ORDER BY step", arguments: [id])
            for row in try Row.fetchAll(db, sql: "SELECT series, model FROM run_forecasts WHERE run_id = ?", arguments: [id]) {
                detail.forecastModels[row["series"]] = row["model"]
            }
            return detail
        }
    }

    static func text(_ v: DatabaseValue) -> String {
        switch v.storage {
        case .null: return "null"
        case .int64(let i): return String(i)
        case .double(let d): return "\(d)"
        case .string(let s): return s
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }

    // MARK: Measurements

    public func ingest(_ m: [StoredMeasurement], replacing: Bool) throws -> Int {
        let now = ISO8601Formatting.string(Date())
        do {
            return try pool.write { db in
                let statement = try db.makeStatement(sql: "INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?) " + RunSchema.onConflict(replacing: replacing))
                var inserted = 0
                for x in m {
                    try statement.execute(arguments: Self.arguments(MeasurementRows.values(x, receivedAt: now)))
                    inserted += db.changesCount
                }
                return inserted
            }
        } catch {
            throw RunStoreError("\(path): cannot store measurements (\(error))")
        }
    }

    public func logEvent(source: String, series: String, kind: String, message: String) throws {
        try pool.write { db in
            try db.execute(sql: RunSchema.insertFeedEvent, arguments: [ISO8601Formatting.string(Date()), source, series, kind, message])
        }
    }

    public func feedStatus() throws -> [FeedStatus] {
        try pool.read { db in
            try Row.fetchAll(db, sql: RunSchema.feedStatus).map { r in
                FeedStatus(series: r["series"], lastTime: r["time"], lastValue: r["value"], unit: r["unit"], source: r["source"],
                           receivedAt: r["received_at"], count: r["n"], lastEvent: r["last_event"], lastEventAt: r["last_event_at"])
            }
        }
    }

    public func measurements(series: String, from: Date, to: Date) throws -> [StoredMeasurement] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM measurements WHERE series = ? AND time >= ? AND time < ? ORDER BY time",
                             arguments: [series, ISO8601Formatting.string(from), ISO8601Formatting.string(to)]).compactMap { r in
                guard let t = MeasurementRows.date(r["time"]) else { return nil }
                return StoredMeasurement(series: r["series"], time: t, value: r["value"], unit: r["unit"], source: r["source"])
            }
        }
    }
}
