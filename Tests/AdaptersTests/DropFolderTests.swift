@testable import Adapters
import Foundation
import Measurements
import RunHistory
import Testing
import TestSupport

@Suite("Adapters: validation and the files drop folder")
struct DropFolderTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28T20:26:40Z
    static func iso(_ offset: Double) -> String { ISO8601DateFormatter().string(from: now.addingTimeInterval(offset)) }
    let validator = MeasurementValidator([
        SeriesSpec(name: "f01_load", unit: "kW", min: 0, max: 5000, maxAgeSeconds: 86400, maxFutureSeconds: 300),
        SeriesSpec(name: "f01_soc", unit: "%", min: 0, max: 100),
    ])

    @Test func validationAcceptsConvertsAndRejectsWithReasons() {
        func check(_ s: RawSample) -> String {
            switch validator.validate(s, source: "t", now: Self.now) {
            case .success(let m): return "ok \(m.value) \(m.unit)"
            case .failure(let r): return r.reason
            }
        }
        #expect(check(RawSample(series: "f01_load", time: Self.now, value: 1500, unit: "W")) == "ok 1.5 kW")
        #expect(check(RawSample(series: "f01_load", time: Self.now, value: 1.2, unit: "MW")) == "ok 1200.0 kW")
        #expect(check(RawSample(series: "f01_soc", time: Self.now, value: 0.5, unit: "pu")) == "ok 50.0 %")
        #expect(check(RawSample(series: "f01_load", time: Self.now, value: 7000, unit: nil)).contains("outside [0.0, 5000.0]"))
        #expect(check(RawSample(series: "f01_load", time: Self.now, value: .nan, unit: nil)).contains("not a finite number"))
        #expect(check(RawSample(series: "f01_load", time: Self.now, value: 5, unit: "kWh")).contains("does not convert to kW"))
        #expect(check(RawSample(series: "f01_load", time: Self.now.addingTimeInterval(3600), value: 5, unit: nil)).contains("in the future"))
        #expect(check(RawSample(series: "f01_load", time: Self.now.addingTimeInterval(-2 * 86400), value: 5, unit: nil)).contains("older than"))
        #expect(check(RawSample(series: "nobody", time: Self.now, value: 5, unit: nil)) == "unknown series 'nobody'")
        #expect(check(RawSample(series: "f01_load", time: Self.now, value: nil, unit: nil)) == "no value")
    }

    @Test func codecReadsLongWideAndJSONAndNamesTheBadLine() throws {
        let map = ["meter1": FeedConfig.ColumnMapping(series: "f01_load", unit: "W")]
        let long = try DropFolderCodec.decode(Data("time,series,value,unit\n\(Self.iso(0)),f01_load,3,kW\n".utf8), name: "a.csv", columns: map)
        #expect(long == [RawSample(series: "f01_load", time: Self.now, value: 3, unit: "kW")])
        let wide = try DropFolderCodec.decode(Data("time,meter1,f01_soc\n\(Self.iso(0)),2500,\n".utf8), name: "b.csv", columns: map)
        #expect(wide == [RawSample(series: "f01_load", time: Self.now, value: 2500, unit: "W"),
                         RawSample(series: "f01_soc", time: Self.now, value: nil, unit: nil)])
        let json = try DropFolderCodec.decode(Data(#"[{"time": "\#(Self.iso(0))", "series": "meter1", "value": 10}]"#.utf8), name: "c.json", columns: map)
        #expect(json == [RawSample(series: "f01_load", time: Self.now, value: 10, unit: "W")])
        // A CT ratio: the raw value times the mapping's scale, before unit conversion.
        let ct = ["meter1": FeedConfig.ColumnMapping(series: "f01_load", unit: "kW", scale: 40)]
        #expect(try DropFolderCodec.decode(Data("time,meter1\n\(Self.iso(0)),2.5\n".utf8), name: "g.csv", columns: ct)
                == [RawSample(series: "f01_load", time: Self.now, value: 100, unit: "kW")])
        #expect(throws: DropFolderCodec.FileError(line: 3, message: "'yesterday' is not an ISO-8601 time with Z or an offset")) {
            try DropFolderCodec.decode(Data("time,f01_load\n\(Self.iso(0)),1\nyesterday,2\n".utf8), name: "d.csv", columns: [:])
        }
        #expect(throws: DropFolderCodec.FileError(line: 2, message: "'abc' is not a number")) {
            try DropFolderCodec.decode(Data("time,f01_load\n\(Self.iso(0)),abc\n".utf8), name: "e.csv", columns: [:])
        }
        #expect(throws: DropFolderCodec.FileError.self) { try DropFolderCodec.decode(Data("[{".utf8), name: "f.json", columns: [:]) }
    }

    /// Files are ingested once, moved aside; bad files are rejected with their reason;
    /// duplicates are not stored twice; what was accepted survives reopening the store.
    @Test func dropFolderIngestsOnceAndKeepsEverythingAccepted() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fd-drop-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = root.appendingPathComponent("store.sqlite").path
        let feed = FeedConfig.FilesFeed(name: "erp", folder: folder.path, pollSeconds: 1, columns: [:])
        let adapter = DropFolderAdapter(feed: feed, validator: validator)
        try "time,f01_load\n\(Self.iso(-900)),100\n\(Self.iso(0)),120\n\(Self.iso(60)),-5\n".write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try "time,f01_load\n\(Self.iso(0)),120\n".write(to: folder.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        try "not,a,valid\nfile".write(to: folder.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        try "time,f01_load\n".write(to: folder.appendingPathComponent("d.csv.part"), atomically: true, encoding: .utf8)
        let store = try SQLiteMeasurementStore(path: db)
        let o = try adapter.ingestOnce(into: store, now: Self.now)
        #expect(o == DropFolderAdapter.Outcome(files: 3, rejectedFiles: 1, accepted: 2, duplicates: 1, rejectedSamples: 1))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["d.csv.part", "processed", "rejected"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/rejected").sorted() == ["c.csv", "c.csv.error.txt"])
        #expect(try adapter.ingestOnce(into: store, now: Self.now).files == 0)
        let reopened = try SQLiteMeasurementStore(path: db)
        let values = try reopened.measurements(series: "f01_load", from: Self.now.addingTimeInterval(-3600), to: Self.now.addingTimeInterval(3600))
        #expect(values.map(\.value) == [100, 120])
        let status = try reopened.feedStatus()
        #expect(status.count == 1 && status[0].count == 2 && status[0].lastValue == 120)
        #expect(status[0].lastEvent?.contains("outside [0.0, 5000.0]") == true)
    }

    /// A file larger than one part is stored part by part with the same outcome as in one
    /// piece, logs its first 20 rejections one by one and the rest as one count, and a
    /// structural error on its last line keeps every part before it out of the store.
    @Test func aLargeFileIsReadInPartsAndRejectedWholeOnABadLine() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fd-drop-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let feed = FeedConfig.FilesFeed(name: "erp", folder: folder.path, pollSeconds: 1, columns: [:])
        let adapter = DropFolderAdapter(feed: feed, validator: validator, chunkSamples: 7)
        // 60 rows a minute apart, every fourth out of range: 45 accepted, 15 rejected.
        var rows = (0..<60).map { "\(Self.iso(Double(-60 * $0))),f01_load,\($0 % 4 == 0 ? -1 : $0),kW" }
        let text = "time,series,value,unit\n" + rows.joined(separator: "\n") + "\n"
        var parts: [[RawSample]] = []
        try DropFolderCodec.decode(Data(text.utf8), name: "a.csv", columns: [:], chunk: 7) { parts.append($0) }
        #expect(parts.map(\.count) == [7, 7, 7, 7, 7, 7, 7, 7, 4])
        #expect(parts.flatMap { $0 } == (try DropFolderCodec.decode(Data(text.utf8), name: "a.csv", columns: [:])))

        rows = (0..<60).map { "\(Self.iso(Double(-60 * $0))),f01_load,\($0 % 2 == 0 ? -1 : $0),kW" }
        try ("time,series,value,unit\n" + rows.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try ("time,series,value,unit\n" + rows.joined(separator: "\n") + "\n\(Self.iso(1)),f01_load\n")
            .write(to: folder.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        let store = RecordingStore(try SQLiteMeasurementStore(path: root.appendingPathComponent("store.sqlite").path))
        let o = try adapter.ingestOnce(into: store, now: Self.now)
        #expect(o == DropFolderAdapter.Outcome(files: 2, rejectedFiles: 1, accepted: 30, duplicates: 0, rejectedSamples: 30))
        let rejected = store.events.filter { $0.kind == "rejected" }
        #expect(rejected.count == MeasurementValidator.rejectionsLogged + 1)
        #expect(rejected.last?.message == "a.csv: and 10 more rejected sample(s)")
        let file = store.events.filter { $0.kind == "rejected-file" }
        #expect(file.count == 1 && file[0].message.contains("b.csv: line 62: 2 fields, the header has 4"))
        let values = try store.measurements(series: "f01_load", from: Self.now.addingTimeInterval(-7200), to: Self.now.addingTimeInterval(60))
        #expect(values.count == 30 && values.allSatisfy { $0.value > 0 })
    }
}
