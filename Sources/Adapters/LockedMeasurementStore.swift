import Foundation
import Measurements
import RunHistory

/// Any measurement store made safe to share between concurrent handlers (the VTN's report
/// handlers, the CEM's sessions): calls are serialised by a lock.
public final class LockedMeasurementStore: MeasurementStore, @unchecked Sendable {
    let store: any MeasurementStore
    let lock = NSLock()

    public init(_ store: any MeasurementStore) { self.store = store }

    public func ingest(_ m: [StoredMeasurement], replacing: Bool) throws -> Int {
        try lock.withLock { try store.ingest(m, replacing: replacing) }
    }
    public func logEvent(source: String, series: String, kind: String, message: String) throws {
        try lock.withLock { try store.logEvent(source: source, series: series, kind: kind, message: message) }
    }
    public func feedStatus() throws -> [FeedStatus] { try lock.withLock { try store.feedStatus() } }
    public func measurements(series: String, from: Date, to: Date) throws -> [StoredMeasurement] {
        try lock.withLock { try store.measurements(series: series, from: from, to: to) }
    }
    public func latest(series: String, before: Date) throws -> StoredMeasurement? {
        try lock.withLock { try store.latest(series: series, before: before) }
    }
}
