import DataFiles
import Foundation
import PostgresNIO
import Storage

/// Measurements and feed events in PostgreSQL (`PostgreSQLDatabase`), inserted in
/// multi-row statements.
public final class PostgresMeasurementStore: MeasurementStore, @unchecked Sendable {
    /// The database the measurements are kept in.
    public let database: PostgreSQLDatabase
    /// The URL without its password.
    public var redactedURL: String { database.redactedURL }

    /// The measurement store of an open database.
    public init(database: PostgreSQLDatabase) { self.database = database }

    /// Connects to `postgres://user[:password]@host[:port]/database`.
    public convenience init(url: String) throws(StoreError) { self.init(database: try PostgreSQLDatabase(url: url)) }

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
                + " " + MeasurementSchema.onConflict(replacing: replacing) + " RETURNING 1"
            do { inserted += try database.execute(sql, part.flatMap { MeasurementRows.values($0, receivedAt: now) }).count } catch {
                throw StoreError("\(redactedURL): cannot store measurements (\(String(reflecting: error)))")
            }
            start += chunk
        }
        return inserted
    }

    public func logEvent(source: String, series: String, kind: String, message: String) throws {
        _ = try database.execute(MeasurementSchema.insertFeedEvent, [.text(ISO8601Formatting.string(Date())), .text(source), .text(series),
                                                                    .text(kind), .text(message)])
    }

    public func feedStatus() throws -> [FeedStatus] {
        try database.execute(MeasurementSchema.feedStatus).map { row in
            let (series, time, value, unit, source, received, n, event, eventAt) =
                try row.decode((String, String, Double, String, String, String, Int64, String?, String?).self)
            return FeedStatus(series: series, lastTime: time, lastValue: value, unit: unit, source: source, receivedAt: received,
                              count: Int(n), lastEvent: event, lastEventAt: eventAt)
        }
    }

    public func measurements(series: String, from: Date, to: Date) throws -> [StoredMeasurement] {
        try database.execute("SELECT series, time, value, unit, source FROM measurements WHERE series = ? AND time >= ? AND time < ? ORDER BY time",
                             [.text(series), .text(ISO8601Formatting.string(from)), .text(ISO8601Formatting.string(to))]).compactMap { row in
            let (series, time, value, unit, source) = try row.decode((String, String, Double, String, String).self)
            guard let t = MeasurementRows.date(time) else { return nil }
            return StoredMeasurement(series: series, time: t, value: value, unit: unit, source: source)
        }
    }

    public func latest(series: String, before: Date) throws -> StoredMeasurement? {
        try database.execute("SELECT series, time, value, unit, source FROM measurements WHERE series = ? AND time < ? ORDER BY time DESC LIMIT 1",
                             [.text(series), .text(ISO8601Formatting.string(before))]).compactMap { row -> StoredMeasurement? in
            let (series, time, value, unit, source) = try row.decode((String, String, Double, String, String).self)
            guard let t = MeasurementRows.date(time) else { return nil }
            return StoredMeasurement(series: series, time: t, value: value, unit: unit, source: source)
        }.first
    }
}
