import DataFiles
import Foundation
import GRDB
import Storage

/// Measurements and feed events in an SQLite database (`SQLiteDatabase`).
public final class SQLiteMeasurementStore: MeasurementStore, Sendable {
    /// The database the measurements are kept in.
    public let database: SQLiteDatabase
    /// The database file.
    public var path: String { database.path }

    /// The measurement store of an open database.
    public init(database: SQLiteDatabase) { self.database = database }

    /// Opens (creating it when missing) the database at `path`.
    public convenience init(path: String) throws(StoreError) { self.init(database: try SQLiteDatabase(path: path)) }

    public func ingest(_ m: [StoredMeasurement], replacing: Bool) throws -> Int {
        let now = ISO8601Formatting.string(Date())
        do {
            return try database.pool.write { db in
                let statement = try db.makeStatement(sql: "INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?) "
                                                     + MeasurementSchema.onConflict(replacing: replacing))
                var inserted = 0
                for x in m {
                    try statement.execute(arguments: SQLiteDatabase.arguments(MeasurementRows.values(x, receivedAt: now)))
                    inserted += db.changesCount
                }
                return inserted
            }
        } catch {
            throw StoreError("\(path): cannot store measurements (\(error))")
        }
    }

    public func logEvent(source: String, series: String, kind: String, message: String) throws {
        try database.pool.write { db in
            try db.execute(sql: MeasurementSchema.insertFeedEvent, arguments: [ISO8601Formatting.string(Date()), source, series, kind, message])
        }
    }

    public func feedStatus() throws -> [FeedStatus] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: MeasurementSchema.feedStatus).map { r in
                FeedStatus(series: r["series"], lastTime: r["time"], lastValue: r["value"], unit: r["unit"], source: r["source"],
                           receivedAt: r["received_at"], count: r["n"], lastEvent: r["last_event"], lastEventAt: r["last_event_at"])
            }
        }
    }

    public func measurements(series: String, from: Date, to: Date) throws -> [StoredMeasurement] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM measurements WHERE series = ? AND time >= ? AND time < ? ORDER BY time",
                             arguments: [series, ISO8601Formatting.string(from), ISO8601Formatting.string(to)]).compactMap { r in
                guard let t = MeasurementRows.date(r["time"]) else { return nil }
                return StoredMeasurement(series: r["series"], time: t, value: r["value"], unit: r["unit"], source: r["source"])
            }
        }
    }

    public func latest(series: String, before: Date) throws -> StoredMeasurement? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM measurements WHERE series = ? AND time < ? ORDER BY time DESC LIMIT 1",
                             arguments: [series, ISO8601Formatting.string(before)]).flatMap { r in
                guard let t = MeasurementRows.date(r["time"]) else { return nil }
                return StoredMeasurement(series: r["series"], time: t, value: r["value"], unit: r["unit"], source: r["source"])
            }
        }
    }
}
