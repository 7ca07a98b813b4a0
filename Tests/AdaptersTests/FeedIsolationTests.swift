@testable import Adapters
import Foundation
import Measurements
import RunHistory
import Testing
import TestSupport

/// Feeds as a firm that wants to write another firm's data meets them: each feed writes only
/// the series it is allowed, the topic's mapping decides the series, and a second value for
/// a time already stored is a recorded conflict.
@Suite("Adapters: a feed writes only its own series", .serialized)
struct FeedIsolationTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let t = ISO8601DateFormatter().string(from: now)
    static let specs = [SeriesSpec(name: "f03_load", unit: "kW", min: 0, max: 5000, maxAgeSeconds: 86400),
                        SeriesSpec(name: "f04_load", unit: "kW", min: 0, max: 5000, maxAgeSeconds: 86400)]

    static func temporary() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-iso-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("drop"), withIntermediateDirectories: true)
        return dir
    }

    static func f03Folder(_ dir: URL) -> DropFolderAdapter {
        let feed = FeedConfig.FilesFeed(name: "f03-erp", folder: dir.appendingPathComponent("drop").path, pollSeconds: 1, columns: [:],
                                        allowed: ["f03_load"])
        return DropFolderAdapter(feed: feed, validator: MeasurementValidator(specs, allowed: feed.allowed))
    }

    /// f03's drop folder carries a line for f04's load: refused, logged against the feed, and
    /// f04's series stays empty and untouched in `feeds status`.
    @Test func aDropFolderCannotWriteAnotherFirmsSeries() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path)
        try "time,series,value\n\(Self.t),f03_load,120\n\(Self.t),f04_load,4321\n"
            .write(to: dir.appendingPathComponent("drop/a.csv"), atomically: true, encoding: .utf8)
        let o = try Self.f03Folder(dir).ingestOnce(into: store, now: Self.now)
        #expect(o.accepted == 1 && o.rejectedSamples == 1)
        #expect(try store.measurements(series: "f04_load", from: .distantPast, to: .distantFuture).isEmpty)
        #expect(try store.measurements(series: "f03_load", from: .distantPast, to: .distantFuture).map(\.value) == [120])
        #expect(try store.feedStatus().allSatisfy { $0.series != "f04_load" && $0.lastEvent?.contains("f04") != true })
    }

    /// A topic mapped to f03's load takes no payload naming f04's; a payload without a series
    /// takes the mapping's.
    @Test func theTopicsMappingDecidesTheSeries() throws {
        let topics = ["park/f03/meter": FeedConfig.ColumnMapping(series: "f03_load", unit: "kW")]
        #expect { _ = try MQTTPayloadCodec.decode(topic: "park/f03/meter", payload: Data(#"{"series": "f04_load", "time": "\#(Self.t)", "value": 9}"#.utf8),
                                                  topics: topics) } throws: { "\($0)".contains("mapped to 'f03_load'") }
        let own = try MQTTPayloadCodec.decode(topic: "park/f03/meter", payload: Data(#"{"time": "\#(Self.t)", "value": 9}"#.utf8), topics: topics)
        #expect(own.map(\.series) == ["f03_load"])
    }

    /// Two sources for one series and time: the first value stands, the second is a conflict
    /// logged against the series naming both sources; an equal value is a plain duplicate.
    @Test func aSecondValueForATimeIsARecordedConflict() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path)
        let validator = MeasurementValidator(Self.specs)
        let sample = RawSample(series: "f03_load", time: Self.now, value: 120, unit: nil)
        #expect(try validator.ingest([sample], source: "mqtt:f03-gw", into: store, now: Self.now).inserted == 1)
        var other = sample
        other.value = 4000
        let second = try validator.ingest([other], source: "files:f03-erp", into: store, now: Self.now)
        #expect(second.inserted == 0 && second.duplicates == 1)
        #expect(try store.measurements(series: "f03_load", from: .distantPast, to: .distantFuture).map(\.value) == [120])
        let event = try store.feedStatus().first { $0.series == "f03_load" }?.lastEvent ?? ""
        #expect(event.contains("4000") && event.contains("files:f03-erp") && event.contains("mqtt:f03-gw") && event.contains("stands"), "\(event)")
        // The same value again is a duplicate, no conflict.
        _ = try validator.ingest([sample], source: "files:f03-erp", into: store, now: Self.now)
        #expect(try store.feedStatus().first { $0.series == "f03_load" }?.lastEvent == event)
    }

    /// A symbolic link out of the folder is not followed (its target's text appears nowhere),
    /// a name of 250 characters does not stop the pass, and a file of many bad rows is logged
    /// as its first rejections and one count.
    @Test func theDropFolderStaysInsideItselfAndSummarises() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = RecordingStore(try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path))
        let drop = dir.appendingPathComponent("drop")
        try "root:SECRET-LINE:0\n".write(to: dir.appendingPathComponent("shadow.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: drop.appendingPathComponent("a.csv").path, withDestinationPath: dir.appendingPathComponent("shadow.csv").path)
        let long = String(repeating: "x", count: 246) + ".csv"
        try "not a header\n".write(to: drop.appendingPathComponent(long), atomically: true, encoding: .utf8)
        let rows = (0..<500).map { _ in "\(Self.t),-1" }.joined(separator: "\n")
        try "time,f03_load\n\(rows)\n".write(to: drop.appendingPathComponent("m.csv"), atomically: true, encoding: .utf8)
        try "time,f03_load\n\(Self.t),7\n".write(to: drop.appendingPathComponent("z.csv"), atomically: true, encoding: .utf8)
        let o = try Self.f03Folder(dir).ingestOnce(into: store, now: Self.now)
        #expect(o.files == 4 && o.rejectedFiles == 2 && o.accepted == 1 && o.rejectedSamples == 500)
        let rejected = try FileManager.default.contentsOfDirectory(atPath: drop.appendingPathComponent("rejected").path)
        #expect(rejected.contains("a.csv") && rejected.contains(long) && rejected.count == 4, "\(rejected)")
        for name in rejected where name.hasSuffix(".error.txt") {
            let text = try String(contentsOf: drop.appendingPathComponent("rejected/\(name)"), encoding: .utf8)
            #expect(!text.contains("SECRET"))
        }
        #expect(try String(contentsOf: dir.appendingPathComponent("shadow.csv"), encoding: .utf8).contains("SECRET"))
        #expect(try store.measurements(series: "f03_load", from: .distantPast, to: .distantFuture).map(\.value) == [7])
        let events = store.events.filter { $0.series == "f03_load" }
        #expect(events.count == MeasurementValidator.rejectionsLogged + 1 && events.last?.message.contains("and 480 more") == true, "\(events.count)")
    }

    /// A `processed/` that is a symbolic link into another firm's folder stops the pass before
    /// anything is read or moved.
    @Test func aLinkedProcessedFolderIsRefused() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path)
        let other = dir.appendingPathComponent("f04-drop")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("drop/processed").path, withDestinationPath: other.path)
        try "time,series,value\n\(Self.t),f04_load,4321\n".write(to: dir.appendingPathComponent("drop/a.csv"), atomically: true, encoding: .utf8)
        #expect { _ = try Self.f03Folder(dir).ingestOnce(into: store, now: Self.now) } throws: { "\($0)".contains("not a folder") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("drop/a.csv").path))
    }

    /// Of overlapping topic filters the most specific decides, on every run: a wildcard
    /// without a series cannot let the payload choose one.
    @Test func theMostSpecificTopicFilterDecides() throws {
        let topics = ["park/#": FeedConfig.ColumnMapping(series: "", unit: "kW"),
                      "park/+/meter": FeedConfig.ColumnMapping(series: "f04_load", unit: "kW"),
                      "park/f03/meter": FeedConfig.ColumnMapping(series: "f03_load", unit: "kW")]
        for _ in 0..<20 {
            #expect { _ = try MQTTPayloadCodec.decode(topic: "park/f03/meter", payload: Data(#"{"series": "f04_load", "time": "\#(Self.t)", "value": 1}"#.utf8),
                                                      topics: topics) } throws: { "\($0)".contains("mapped to 'f03_load'") }
        }
    }

    /// A newline in a file's name cannot forge a log line or a feed event: it is escaped.
    @Test func aFileNameCannotForgeALogLine() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = RecordingStore(try SQLiteMeasurementStore(path: dir.appendingPathComponent("park.sqlite").path))
        let name = "a\n2026-12-06T00:00:00Z info forged.csv"
        try "no header\n".write(to: dir.appendingPathComponent("drop").appendingPathComponent(name), atomically: true, encoding: .utf8)
        #expect(try Self.f03Folder(dir).ingestOnce(into: store, now: Self.now).rejectedFiles == 1)
        let event = try #require(store.events.first { $0.kind == "rejected-file" })
        #expect(!event.message.contains("\n") && event.message.contains("a\\n2026"), "\(event.message)")
    }

    /// Configuration: a feed that may write nothing, an allow-list naming an undeclared
    /// series and an MQTT password that is not a string are errors; a password without TLS is
    /// a warning.
    @Test func feedConfigurationOfAllowListsAndPasswords() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("feeds.json").path
        let series = #"{"name": "f03_load", "unit": "kW"}"#
        func read(_ feeds: String) throws -> FeedConfig {
            try #"{"series": [\#(series)], "feeds": [\#(feeds)]}"#.write(toFile: path, atomically: true, encoding: .utf8)
            return try FeedConfig.read(path: path)
        }
        #expect { _ = try read(#"{"type": "files", "name": "erp", "folder": "x"}"#) } throws: { "\($0)".contains("names no series") }
        #expect { _ = try read(#"{"type": "files", "name": "erp", "folder": "x", "series": ["f04_load"]}"#) } throws: { "\($0)".contains("'f04_load' is not declared") }
        #expect(try read(#"{"type": "files", "name": "erp", "folder": "x", "series": ["f03_load"]}"#).files[0].allowed == ["f03_load"])
        #expect { _ = try read(#"{"type": "mqtt", "name": "gw", "password": 1234, "topics": {"t": {"series": "f03_load"}}}"#) } throws: {
            "\($0)".contains("feeds[0].password: must be a string")
        }
        let plain = try read(#"{"type": "mqtt", "name": "gw", "username": "u", "password": "p", "topics": {"t": {"series": "f03_load"}}}"#)
        #expect(plain.warnings.contains { $0.contains("plain TCP") })
        #expect(plain.mqtt[0].allowed == ["f03_load"])
    }
}

/// The same through a real broker: f03's gateway publishes on its own topics a payload that
/// names f04's load, and one that names no series; only f03's reading is stored.
@Suite("Adapters: an MQTT feed writes only its own series")
struct FeedIsolationMQTTTests {
    @Test(.requires("FeedIsolationMQTTTests/aPayloadCannotNameAnotherFirmsSeries", .mqttPeer))
    func aPayloadCannotNameAnotherFirmsSeries() async throws {
        let broker = try Broker()
        defer { broker.stop() }
        var settings = MQTTClient.Settings()
        settings.port = broker.port
        settings.clientID = "fd-iso-\(UUID().uuidString.prefix(8))"
        let specs = [SeriesSpec(name: "f03_load", unit: "kW", min: 0, maxAgeSeconds: 1e10), SeriesSpec(name: "f04_load", unit: "kW", min: 0, maxAgeSeconds: 1e10)]
        // One topic mapped to f03's load; a wildcard whose payloads carry their series, allowed f03's only.
        let feed = FeedConfig.MQTTFeed(name: "f03-gw", settings: settings,
                                       topics: ["park/f03/meter": .init(series: "f03_load", unit: "kW"), "park/f03/raw/#": .init(series: "", unit: "kW")],
                                       setpointPrefix: nil, allowed: ["f03_load"])
        let config = FeedConfig(series: specs, files: [], mqtt: [feed])
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("fd-iso-mqtt-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: db) }
        let store = try SQLiteMeasurementStore(path: db)
        try await FeedService(config: config, store: store).runOnce()   // subscribes; the broker keeps the session
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: """
            [("park/f03/meter", {"series": "f04_load", "time": "2025-06-01T09:00:00+08:00", "value": 4321}),
             ("park/f03/raw/x", {"series": "f04_load", "time": "2025-06-01T09:00:00+08:00", "value": 4321}),
             ("park/f03/meter", {"time": "2025-06-01T09:00:00+08:00", "value": 42})]
            """), port: broker.port)
        let second = try FeedService(config: config, store: store)
        try await second.runOnce()
        #expect(second.stats.accepted == 1 && second.stats.malformed == 1 && second.stats.rejected == 1, "\(second.stats)")
        #expect(try store.measurements(series: "f04_load", from: .distantPast, to: .distantFuture).isEmpty)
        #expect(try store.measurements(series: "f03_load", from: .distantPast, to: .distantFuture).map(\.value) == [42])
    }
}
