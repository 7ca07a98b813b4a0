import DataFiles
import Foundation
import PostgresNIO
import Storage

/// The run history in PostgreSQL (`PostgreSQLDatabase`), for deployments where several
/// machines or people share it: every run stored in one transaction with multi-row inserts.
public final class PostgresRunStore: RunStore, @unchecked Sendable {
    /// The database the runs are kept in.
    public let database: PostgreSQLDatabase
    /// The URL without its password.
    public var redactedURL: String { database.redactedURL }

    /// The run history of an open database.
    public init(database: PostgreSQLDatabase) { self.database = database }

    /// Connects to `postgres://user[:password]@host[:port]/database`.
    public convenience init(url: String) throws(StoreError) { self.init(database: try PostgreSQLDatabase(url: url)) }

    func execute(_ sql: String, _ values: [SQLValue] = []) throws -> [PostgresRow] { try database.execute(sql, values) }

    public func record(_ run: RunRecord) throws -> Int64 {
        try run.check()
        do {
            return try database.transaction { () throws -> Int64 in
                let rows = try execute(RunSchema.insertRun + " RETURNING id", RunSchema.runValues(run))
                guard let id = try rows.first?.decode(Int64.self) else { throw StoreError("no id returned") }
                for block in RunSchema.rows(run, id: id) where !block.rows.isEmpty {
                    // Multi-row inserts, at most ~30 000 parameters per statement.
                    let width = block.rows[0].count, chunk = max(1, 30_000 / width)
                    let head = block.sql.components(separatedBy: " VALUES ")[0]
                    let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
                    var start = 0
                    while start < block.rows.count {
                        let part = block.rows[start..<min(start + chunk, block.rows.count)]
                        let sql = head + " VALUES " + Array(repeating: tuple, count: part.count).joined(separator: ", ")
                        _ = try execute(sql, part.flatMap { $0 })
                        start += chunk
                    }
                }
                return id
            }
        } catch let e as StoreError {
            throw StoreError("\(redactedURL): cannot record the run (\(e.message))")
        } catch {
            throw StoreError("\(redactedURL): cannot record the run (\(String(reflecting: error)))")
        }
    }

    public func list(limit: Int) throws -> [RunSummary] {
        try execute(RunSchema.listRuns, [.int(Int64(limit))]).map { row in
            let (id, scenario, started, status, objective, value, seconds, hash) =
                try row.decode((Int64, String, String, String, Double?, Double?, Double, String).self)
            return RunSummary(id: id, scenario: scenario, startedAt: started, status: status, objective: objective,
                              valueOfCluster: value, solveSeconds: seconds, scenarioHash: hash)
        }
    }

    public func latestRun(scenario: String, holding time: String) throws -> Int64? {
        try execute(RunSchema.selectLatestHolding, [.text(scenario), .text(time)]).first.map { try $0.decode(Int64.self) }
    }

    public func latestOptimalRun(scenario: String?) throws -> Int64? {
        let rows = try scenario.map { try execute(RunSchema.selectLatestOptimalOfScenario, [.text($0)]) } ?? execute(RunSchema.selectLatestOptimal, [])
        return try rows.first.map { try $0.decode(Int64.self) }
    }

    public func show(_ id: Int64) throws -> RunDetail? {
        let runs = try execute("SELECT * FROM runs WHERE id = ?", [.int(id)])
        guard let run = runs.first else { return nil }
        let fields = run.map { cell -> (name: String, value: String) in
            if cell.bytes == nil { return (cell.columnName, "null") }
            if let i = try? cell.decode(Int64.self) { return (cell.columnName, String(i)) }
            if let d = try? cell.decode(Double.self) { return (cell.columnName, "\(d)") }
            return (cell.columnName, (try? cell.decode(String.self)) ?? "?")
        }
        var detail = RunDetail(fields: fields, parts: [:], firms: [:], internalPrice: [], importPrice: [], scheduleValues: [:],
                               forecastModels: [:])
        for row in try execute("SELECT part, cost FROM run_parts WHERE run_id = ?", [.int(id)]) {
            let (part, cost) = try row.decode((String, Double).self)
            detail.parts[part] = cost
        }
        for row in try execute("SELECT firm_id, settlement, standalone_cost FROM run_firms WHERE run_id = ?", [.int(id)]) {
            let (firm, settlement, standalone) = try row.decode((String, Double?, Double?).self)
            detail.firms[firm] = (settlement, standalone)
        }
        for row in try execute("SELECT internal_price, import_price FROM run_prices WHERE run_id = ? ORDER BY step", [.int(id)]) {
            let (lambda, price) = try row.decode((Double?, Double).self)
            detail.internalPrice.append(lambda)
            detail.importPrice.append(price)
        }
        for row in try execute("""
            SELECT owner || '/' || asset || '/' || variable AS key, value FROM run_schedule WHERE run_id = ? ORDER BY key, step
            """, [.int(id)]) {
            let (key, value) = try row.decode((String, Double).self)
            detail.scheduleValues[key, default: []].append(value)
        }
        for row in try execute("SELECT time FROM run_prices WHERE run_id = ? ORDER BY step", [.int(id)]) {
            detail.times.append(try row.decode(String.self))
        }
        for row in try execute("SELECT series, model FROM run_forecasts WHERE run_id = ?", [.int(id)]) {
            let (series, model) = try row.decode((String, String).self)
            detail.forecastModels[series] = model
        }
        if let row = try execute(RunSchema.selectRevision, [.int(id)]).first {
            let (replaces, at, first, state, notes) = try row.decode((Int64?, String, Int64, String, String).self)
            detail.revision = RunSchema.revision(replaces: replaces, planAt: at, firstStep: first, startState: state, notes: notes)
        }
        for row in try execute(RunSchema.selectRevisedBy, [.int(id)]) { detail.revisedBy.append(try row.decode(Int64.self)) }
        return detail
    }
}
