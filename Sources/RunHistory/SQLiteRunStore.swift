import DataFiles
import Foundation
import GRDB
import Storage

/// The run history in an SQLite database (`SQLiteDatabase`): every run stored in one transaction.
public final class SQLiteRunStore: RunStore, Sendable {
    /// The database the runs are kept in.
    public let database: SQLiteDatabase
    /// The database file.
    public var path: String { database.path }
    var pool: DatabasePool { database.pool }

    /// The run history of an open database.
    public init(database: SQLiteDatabase) { self.database = database }

    /// Opens (creating it when missing) the database at `path`.
    public convenience init(path: String) throws(StoreError) { self.init(database: try SQLiteDatabase(path: path)) }

    /// The journal mode in effect ("wal").
    public func journalMode() throws -> String { try database.journalMode() }

    public func record(_ run: RunRecord) throws -> Int64 {
        try run.check()
        do {
            return try pool.write { db in
                try db.execute(sql: RunSchema.insertRun, arguments: SQLiteDatabase.arguments(RunSchema.runValues(run)))
                let id = db.lastInsertedRowID
                for block in RunSchema.rows(run, id: id) where !block.rows.isEmpty {
                    let statement = try db.makeStatement(sql: block.sql)
                    for row in block.rows { try statement.execute(arguments: SQLiteDatabase.arguments(row)) }
                }
                return id
            }
        } catch {
            throw StoreError("\(path): cannot record the run (\(error))")
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

    public func latestRun(scenario: String, holding time: String) throws -> Int64? {
        try pool.read { db in try Int64.fetchOne(db, sql: RunSchema.selectLatestHolding, arguments: [scenario, time]) }
    }

    public func latestOptimalRun(scenario: String?) throws -> Int64? {
        try pool.read { db in
            if let scenario { return try Int64.fetchOne(db, sql: RunSchema.selectLatestOptimalOfScenario, arguments: [scenario]) }
            return try Int64.fetchOne(db, sql: RunSchema.selectLatestOptimal)
        }
    }

    public func show(_ id: Int64) throws -> RunDetail? {
        try pool.read { db in
            guard let run = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else { return nil }
            let fields = zip(run.columnNames, run.databaseValues).map { ($0.0, SQLiteDatabase.text($0.1)) }
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
            if let row = try Row.fetchOne(db, sql: RunSchema.selectRevision, arguments: [id]) {
                detail.revision = RunSchema.revision(replaces: row["replaces"], planAt: row["plan_at"], firstStep: row["first_step"],
                                                     startState: row["start_state"], notes: row["notes"])
            }
            detail.revisedBy = try Int64.fetchAll(db, sql: RunSchema.selectRevisedBy, arguments: [id])
            return detail
        }
    }
}
