import Foundation
import Storage

/// Opens the run history a `--db` value names (`Database.open(_:)`).
public enum RunStores {
    public static func open(_ location: String) throws(StoreError) -> any RunStore {
        store(on: try Database.open(location))
    }

    /// The run history of an open database.
    public static func store(on database: Database) -> any RunStore {
        switch database {
        case .sqlite(let d): SQLiteRunStore(database: d)
        case .postgres(let d): PostgresRunStore(database: d)
        }
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
