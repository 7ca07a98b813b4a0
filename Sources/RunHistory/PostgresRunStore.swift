import DataFiles
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The run history in PostgreSQL, for deployments where several machines or people share
/// it: the same schema as SQLite (`RunSchema`), migrations recorded in a
/// `flexdispatch_migrations` table, every run stored in one transaction with multi-row
/// inserts. Reached with postgres-nio over one connection per store; statements and
/// transactions on it take `serial`, so that threads sharing the store never interleave
/// inside one another's transaction (hence Sendable).
public final class PostgresRunStore: RunStore, MeasurementStore, @unchecked Sendable {
    let serial = NSRecursiveLock()
    let group: MultiThreadedEventLoopGroup
    let connection: PostgresConnection
    let logger = Logger(label: "flexdispatch.runs.postgres")
    public let redactedURL: String

    /// `postgres://user[:password]@host[:port]/database`.
    public init(url: String) throws {
        guard let u = URLComponents(string: url), let host = u.host, let user = u.user, !u.path.dropFirst().isEmpty else {
            throw RunStoreError("'\(url)': expected postgres://user[:password]@host[:port]/database")
        }
        redactedURL = "postgres://\(user)@\(host):\(u.port ?? 5432)\(u.path)"
        let configuration = PostgresConnection.Configuration(host: host, port: u.port ?? 5432, username: user, password: u.password,
                                                             database: String(u.path.dropFirst()), tls: .disable)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            connection = try PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw RunStoreError("\(redactedURL): cannot connect (\(String(reflecting: error)))")
        }
        do { try migrate() } catch {
            throw RunStoreError("\(redactedURL): cannot create the schema (\(String(reflecting: error)))")
        }
    }

    deinit {
        try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    func execute(_ sql: String, _ values: [SQLValue] = []) throws -> [PostgresRow] {
        serial.lock()
        defer { serial.unlock() }
        var binds = PostgresBindings(capacity: values.count)
        for v in values {
            switch v {
            case .int(let i): binds.append(i)
            case .real(let d): binds.append(d)
            case .text(let s): binds.append(s)
            case .null: binds.appendNull()
            }
        }
        return try connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds), logger: logger).wait().rows
    }

    /// `?` placeholders → `$1, $2, …`.
    static func numbered(_ sql: String) -> String {
        var out = "", n = 0
        for c in sql { if c == "?" { n += 1; out += "$\(n)" } else { out.append(c) } }
        return out
    }

    func migrate() throws {
        _ = try execute("CREATE TABLE IF NOT EXISTS flexdispatch_migrations (name TEXT PRIMARY KEY)")
        _ = try execute("SELECT pg_advisory_lock(4242)")
        defer { _ = try? execute("SELECT pg_advisory_unlock(4242)") }
        let done = Set(try execute("SELECT name FROM flexdispatch_migrations").map { try $0.decode(String.self) })
        for step in RunSchema.migrations(.postgres) where !done.contains(step.name) {
            _ = try execute("BEGIN")
            do {
                for sql in step.sql { _ = try execute(sql) }
                _ = try execute("INSERT INTO flexdispatch_migrations VALUES (?)", [.text(step.name)])
                _ = try execute("COMMIT")
            } catch {
                _ = try? execute("ROLLBACK")
                throw error
            }
        }
    }

    public func record(_ run: RunRecord) throws -> Int64 {
        try run.check()
        serial.lock()
        defer { serial.unlock() }
        do {
            _ = try execute("BEGIN")
            do {
                let rows = try execute(RunSchema.insertRun + " RETURNING id", RunSchema.runValues(run))
                guard let id = try rows.first?.decode(Int64.self) else { throw RunStoreError("no id returned") }
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
                _ = try execute("COMMIT")
                return id
            } catch {
                _ = try? execute("ROLLBACK")
                throw error
            }
        } catch let e as RunStoreError {
            throw RunStoreError("\(redactedURL): cannot record the run (\(e.message))")
        } catch {
            throw RunStoreError("\(redactedURL): cannot record the run (\(String(reflecting: error)))")
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
        return detail
    }

    // MARK: Measurements

    public func ingest(_ m: [StoredMeasurement], replacing: Bool) throws -> Int {
        guard !m.isEmpty else { return 0 }
        let now = ISO8601Formatting.string(Date())
        var inserted = 0
        let head = "INSERT INTO measurements VALUES "
        let chunk = 4000
        var start = 0
        while start < m.count {
            let part = m[start..<min(start + chunk, m.count)]
            let sql = head + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: part.count).joined(separator: ", ")
                + " " + RunSchema.onConflict(replacing: replacing) + " RETURNING 1"
            do { inserted += try execute(sql, part.flatMap { MeasurementRows.values($0, receivedAt: now) }).count } catch {
                throw RunStoreError("\(redactedURL): cannot store measurements (\(String(reflecting: error)))")
            }
            start += chunk
        }
        return inserted
    }

    public func logEvent(source: String, series: String, kind: String, message: String) throws {
        _ = try execute(RunSchema.insertFeedEvent, [.text(ISO8601Formatting.string(Date())), .text(source), .text(series), .text(kind),
                                                    .text(message)])
    }

    public func feedStatus() throws -> [FeedStatus] {
        try execute(RunSchema.feedStatus).map { row in
            let (series, time, value, unit, source, received, n, event, eventAt) =
                try row.decode((String, String, Double, String, String, String, Int64, String?, String?).self)
            return FeedStatus(series: series, lastTime: time, lastValue: value, unit: unit, source: source, receivedAt: received,
                              count: Int(n), lastEvent: event, lastEventAt: eventAt)
        }
    }

    public func measurements(series: String, from: Date, to: Date) throws -> [StoredMeasurement] {
        try execute("SELECT series, time, value, unit, source FROM measurements WHERE series = ? AND time >= ? AND time < ? ORDER BY time",
                    [.text(series), .text(ISO8601Formatting.string(from)), .text(ISO8601Formatting.string(to))]).compactMap { row in
            let (series, time, value, unit, source) = try row.decode((String, String, Double, String, String).self)
            guard let t = MeasurementRows.date(time) else { return nil }
            return StoredMeasurement(series: series, time: t, value: value, unit: unit, source: source)
        }
    }
}
