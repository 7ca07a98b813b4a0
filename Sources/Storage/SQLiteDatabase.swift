import Foundation
import GRDB

/// FlexDispatch's database in an embedded SQLite file (GRDB): the schema created and
/// migrated by `DatabaseMigrator` (``DatabaseSchema``), WAL journal (a `DatabasePool`).
/// The run history, the measurement store and the servers' documents all keep their
/// tables here. Sendable: its only state is immutable and GRDB's `DatabasePool`, which
/// serialises writes itself.
public final class SQLiteDatabase: Sendable {
    package let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating it and its folder when missing) and migrates the database at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)  // concurrent runs wait for each other's write
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            for step in DatabaseSchema.migrations(.sqlite) {
                migrator.registerMigration(step.name) { db in for sql in step.sql { try db.execute(sql: sql) } }
            }
            try migrator.migrate(pool)
        } catch {
            throw StoreError("\(path): cannot open the database (\(error))")
        }
    }

    /// The journal mode in effect ("wal").
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    package static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { v -> (any DatabaseValueConvertible)? in
            switch v {
            case .int(let i): return i
            case .real(let d): return d
            case .text(let s): return s
            case .null: return nil
            }
        })
    }

    /// A cell as text, as `runs show` prints it.
    package static func text(_ v: DatabaseValue) -> String {
        switch v.storage {
        case .null: return "null"
        case .int64(let i): return String(i)
        case .double(let d): return "\(d)"
        case .string(let s): return s
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }
}
