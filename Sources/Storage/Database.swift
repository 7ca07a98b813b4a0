/// The database a `--db` value names: a `postgres://` or `postgresql://` URL, or an SQLite
/// file path. The run history, the measurement store and the documents open on it.
public enum Database: Sendable {
    case sqlite(SQLiteDatabase)
    case postgres(PostgreSQLDatabase)

    /// Opens (and migrates) the database at `location`.
    public static func open(_ location: String) throws(StoreError) -> Database {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return .postgres(try PostgreSQLDatabase(url: location))
        }
        return .sqlite(try SQLiteDatabase(path: location))
    }

    /// Where the database is, without secrets.
    public var location: String {
        switch self {
        case .sqlite(let d): d.path
        case .postgres(let d): d.redactedURL
        }
    }

    /// The servers' documents, kept in this database.
    public var documents: any DocumentStore {
        switch self {
        case .sqlite(let d): d
        case .postgres(let d): d
        }
    }
}
