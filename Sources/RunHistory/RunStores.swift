import Foundation

/// Opens the run history a `--db` value names: a `postgres://` or `postgresql://` URL, or
/// a SQLite file path.
public enum RunStores {
    public static func open(_ location: String) throws -> any RunStore {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try PostgresRunStore(url: location)
        }
        return try SQLiteRunStore(path: location)
    }

    /// `<parent of the output folder>/flexdispatch.sqlite` (out/flexdispatch.sqlite by default).
    public static func defaultPath(outputDirectory: String) -> String {
        let parent = URL(fileURLWithPath: outputDirectory).deletingLastPathComponent().path
        return (parent as NSString).appendingPathComponent("flexdispatch.sqlite")
    }

    /// Where a store lives, without secrets.
    public static func describe(_ store: any RunStore) -> String {
        if let s = store as? SQLiteRunStore { return s.path }
        if let p = store as? PostgresRunStore { return p.redactedURL }
        return "\(type(of: store))"
    }
}
