import Storage

/// Opens the measurement store a `--db` value names (`Database.open(_:)`).
public enum MeasurementStores {
    public static func open(_ location: String) throws(StoreError) -> any MeasurementStore {
        store(on: try Database.open(location))
    }

    /// The measurement store of an open database.
    public static func store(on database: Database) -> any MeasurementStore {
        switch database {
        case .sqlite(let d): SQLiteMeasurementStore(database: d)
        case .postgres(let d): PostgresMeasurementStore(database: d)
        }
    }
}
