@testable import Adapters
import Foundation
import Measurements
import RunHistory
import Testing
import TestSupport

final class StopSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var on = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return on }
    func set() { lock.lock(); on = true; lock.unlock() }
}

@Suite("Adapters: the feed service polling a SunSpec device", .serialized, .requires("FeedServiceTests", .sunSpecPeer))
struct FeedServiceTests {
    /// Moves `clock` from one wake-up to the next, each time once all `loops` of the service
    /// sleep on it (their work at the current time done), until `condition` holds.
    static func drive(_ clock: SimulatedClock, loops: Int, until what: String, _ condition: () throws -> Bool) async throws {
        for _ in 0..<100_000 {
            try await waitUntil("the feed loops to finish their turn at \(clock.now)") { clock.sleepers == loops }
            if try condition() { return }
            clock.advance(to: try #require(clock.nextWakeUp))
        }
        throw PeerError("\(what): not by \(clock.now) of simulated time")
    }

    /// The service polls on a simulated clock that the test advances: the device's outage and
    /// the poll loop's back-off last as many polls, however long the peer takes to restart.
    @Test func pollsIntoTheStoreThroughADeviceOutageAndLosesNothing() async throws {
        let peer = try SunSpecPeer(arguments: ["--simulate"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-feeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("feeds.sqlite").path
        var settings = ModbusTCPClient.Settings(host: "127.0.0.1", port: peer.port)
        settings.timeoutSeconds = 0.5
        settings.retries = 0
        let config = FeedConfig(series: [SeriesSpec(name: "f01_pv", unit: "kW", min: 0, max: 1000),
                                         SeriesSpec(name: "f01_soc", unit: "%", min: 0, max: 100),
                                         SeriesSpec(name: "f01_hz", unit: "Hz", min: 45, max: 55)],
                                files: [], mqtt: [],
                                modbus: [.init(name: "f01-inverter", settings: settings, unitID: 1, pollSeconds: 0.2,
                                               points: ["103.W": .init(series: "f01_pv", unit: nil), "802.SoC": .init(series: "f01_soc", unit: nil),
                                                        "103.Hz": .init(series: "f01_hz", unit: nil)],
                                               setpoints: [:])])
        let store = try SQLiteMeasurementStore(path: db)
        let clock = SimulatedClock(start: Date(timeIntervalSince1970: 1_748_736_000))
        let service = try FeedService(config: config, store: store, clock: clock)
        let stop = StopSwitch()
        let running = service.start(flushSeconds: 0.1) { stop.isSet }
        // Two loops sleep on the clock: the device's poll loop and the writer.
        func drive(_ what: String, _ condition: () throws -> Bool) async throws {
            try await Self.drive(clock, loops: 2, until: what, condition)
        }

        try await drive("three polls") { service.stats.accepted >= 9 }
        // W arrives in kW (the point's unit is W), SoC in %, Hz as is.
        let pv = try store.measurements(series: "f01_pv", from: .distantPast, to: .distantFuture)
        #expect(pv.allSatisfy { $0.unit == "kW" && $0.source == "modbus:f01-inverter" && $0.value >= 0 && $0.value < 1000 })
        #expect(try store.measurements(series: "f01_hz", from: .distantPast, to: .distantFuture).allSatisfy { abs($0.value - 50) < 1 })

        peer.stop()
        try await drive("a failed poll") { service.stats.pollErrors >= 1 }
        try await drive("the error in feeds status") {
            try store.feedStatus().first { $0.series == "f01_pv" }?.lastEvent?.contains("127.0.0.1:\(peer.port)") == true
        }
        let before = service.stats.accepted
        let again = try SunSpecPeer(port: peer.port, arguments: ["--simulate"])
        defer { again.stop() }
        // The poll loop backs off while the device is away (doubling, at most 60 s).
        try await drive("polls after the device came back") { service.stats.accepted >= before + 6 }
        try await drive("the recovery in feeds status") {
            try store.feedStatus().first { $0.series == "f01_pv" }?.lastEvent == "device answers again"
        }
        stop.set()
        clock.advance(by: 60)   // past every loop's next turn: each sees the stop
        try await running.value

        // Everything the service counted as accepted is in the database when it is opened again.
        let reopened = try SQLiteMeasurementStore(path: db)
        // A device that never answers still shows in feeds status, with its error.
        try store.logEvent(source: "modbus:f09", series: "f09_load", kind: "error", message: "127.0.0.1:1 unit 1: cannot connect")
        let never = try #require(try store.feedStatus().first { $0.series == "f09_load" })
        #expect(never.count == 0 && never.lastEvent?.contains("cannot connect") == true)
        let stored = try ["f01_pv", "f01_soc", "f01_hz"].map { try reopened.measurements(series: $0, from: .distantPast, to: .distantFuture).count }
        #expect(stored.reduce(0, +) == service.stats.accepted)
        #expect(stored[0] == stored[1] && stored[1] == stored[2])
        let status = try reopened.feedStatus()
        #expect(service.stats.rejected == 0 && service.stats.duplicates == 0, "\(status) \(stored)")
    }
}

@Suite("Adapters: feeds run --once with MQTT")
struct FeedServiceOnceTests {
    /// `--once` connects with the feed's persistent session: what was published since the
    /// last run is collected and stored, then the client disconnects.
    @Test(.requires("FeedServiceOnceTests/onceCollectsWhatTheSessionKept", .mqttPeer))
    func onceCollectsWhatTheSessionKept() async throws {
        let broker = try Broker()
        defer { broker.stop() }
        var settings = MQTTClient.Settings()
        settings.port = broker.port
        settings.clientID = "fd-once-\(UUID().uuidString.prefix(8))"
        let config = FeedConfig(series: [SeriesSpec(name: "f01_load", unit: "kW", min: 0, maxAgeSeconds: 1e10)], files: [],
                                mqtt: [.init(name: "gw", settings: settings, topics: ["park/+/meter": .init(series: "f01_load", unit: "kW")],
                                             setpointPrefix: nil)])
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("fd-once-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: db) }
        let store = try SQLiteMeasurementStore(path: db)
        try await FeedService(config: config, store: store).runOnce()   // subscribes; the broker keeps the session
        _ = try Paho.run(Paho.publish.replacingOccurrences(of: "MESSAGES", with: """
            [("park/f01/meter", {"time": "2025-06-01T09:00:00+08:00", "value": 42})]
            """), port: broker.port)
        let second = try FeedService(config: config, store: store)
        try await second.runOnce()
        #expect(second.stats.accepted == 1)
        #expect(try store.measurements(series: "f01_load", from: .distantPast, to: .distantFuture).map(\.value) == [42])
    }
}
