import DataFiles
import Foundation
import Storage

/// A measurement as the store keeps it (the adapters' `Measurement`, flattened).
public struct StoredMeasurement: Sendable, Equatable {
    public var series: String
    public var time: Date
    public var value: Double
    public var unit: String
    public var source: String

    public init(series: String, time: Date, value: Double, unit: String, source: String) {
        self.series = series
        self.time = time
        self.value = value
        self.unit = unit
        self.source = source
    }
}

/// Per series: the newest value and when it arrived, how many values there are, and the
/// last rejection or error an adapter logged for it.
public struct FeedStatus: Sendable, Equatable {
    public var series: String
    public var lastTime: String
    public var lastValue: Double
    public var unit: String
    public var source: String
    public var receivedAt: String
    public var count: Int
    public var lastEvent: String?
    public var lastEventAt: String?
}

/// Where adapters put what they receive: the database the run history is in (same file or
/// server), so that the batch and the forecasts read from the same store.
public protocol MeasurementStore {
    /// Stores the measurements in one transaction; a (series, time) already present is a
    /// duplicate and kept as it was — or, with `replacing` (forecasts, which are revised),
    /// overwritten. Returns how many were new (or revised).
    func ingest(_ m: [StoredMeasurement], replacing: Bool) throws -> Int
    /// Logs a rejected sample or an adapter error against a series.
    func logEvent(source: String, series: String, kind: String, message: String) throws
    func feedStatus() throws -> [FeedStatus]
    /// The values of one series in [from, to), oldest first.
    func measurements(series: String, from: Date, to: Date) throws -> [StoredMeasurement]
    /// The newest value of one series before `before`, however old; nil when it has none.
    func latest(series: String, before: Date) throws -> StoredMeasurement?
}

extension MeasurementStore {
    /// Stores measurements; a (series, time) already present is kept as it was.
    public func ingest(_ m: [StoredMeasurement]) throws -> Int { try ingest(m, replacing: false) }
}

enum MeasurementRows {
    static func values(_ m: StoredMeasurement, receivedAt: String) -> [SQLValue] {
        [.text(m.series), .text(ISO8601Formatting.string(m.time)), .real(m.value), .text(m.unit), .text(m.source), .text(receivedAt)]
    }

    static func date(_ s: String) -> Date? { ISO8601Formatting.date(s) }
}
