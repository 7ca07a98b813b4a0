import Foundation
import Measurements
import Storage
import TestSupport
import Testing

@Suite("Measurement store: SQLite and PostgreSQL")
struct MeasurementStoreTests {
    /// Duplicates are kept once, a revised value replaces the old one only when asked,
    /// status shows the newest value and the last logged rejection, ranges are half-open.
    func exercise(_ store: any MeasurementStore) throws {
        let t0 = Date(timeIntervalSince1970: 1_780_000_000)
        let ms = (0..<5).map { StoredMeasurement(series: "f01_load", time: t0.addingTimeInterval(Double($0) * 900), value: Double($0),
                                                 unit: "kW", source: "test") }
        #expect(try store.ingest(ms) == 5)
        #expect(try store.ingest(Array(ms.prefix(2))) == 0)
        var revised = ms[1]
        revised.value = 10
        #expect(try store.ingest([revised]) == 0)
        #expect(try store.measurements(series: "f01_load", from: t0, to: t0.addingTimeInterval(1800)).map(\.value) == [0, 1])
        #expect(try store.ingest([revised], replacing: true) == 1)
        try store.logEvent(source: "test", series: "f01_load", kind: "rejected", message: "value -1 kW is outside [0, 10]")
        try store.logEvent(source: "test", series: "silent_meter", kind: "error", message: "no answer")
        let status = try store.feedStatus()
        #expect(status.count == 2 && status[0].series == "f01_load" && status[0].count == 5 && status[0].lastValue == 4
                && status[0].lastEvent == "value -1 kW is outside [0, 10]", "\(status)")
        #expect(status[1].series == "silent_meter" && status[1].count == 0 && status[1].lastEvent == "no answer")
        let window = try store.measurements(series: "f01_load", from: t0.addingTimeInterval(900), to: t0.addingTimeInterval(3600))
        #expect(window.map(\.value) == [10, 2, 3] && window[0].time == t0.addingTimeInterval(900))
        // The newest value strictly before an instant, however old; none before the first.
        #expect(try store.latest(series: "f01_load", before: t0.addingTimeInterval(2700))?.value == 2)
        #expect(try store.latest(series: "f01_load", before: t0.addingTimeInterval(2701))?.value == 3)
        #expect(try store.latest(series: "f01_load", before: t0.addingTimeInterval(86_400 * 30))?.time == t0.addingTimeInterval(3600))
        #expect(try store.latest(series: "f01_load", before: t0) == nil)
        #expect(try store.latest(series: "silent_meter", before: t0.addingTimeInterval(86_400)) == nil)
    }

    @Test func sqliteStoresMeasurements() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fd-measurements-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db.sqlite").path
        try exercise(try SQLiteMeasurementStore(path: path))
        // The same database file, opened again, holds them.
        #expect(try MeasurementStores.open(path).feedStatus().first?.count == 5)
    }

    @Test(.requires("MeasurementStoreTests/postgresStoresMeasurements", PostgresTestServer.requirement))
    func postgresStoresMeasurements() throws {
        try exercise(MeasurementStores.store(on: try PostgresTestServer.freshDatabase().database))
    }
}
