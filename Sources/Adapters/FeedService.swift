import Foundation
import Logging
import Measurements
import NIOConcurrencyHelpers
import RunHistory

/// Runs a feeds configuration as a service: one polling task per Modbus/SunSpec device (on
/// its own schedule, backing off while the device fails), one task per drop folder, MQTT
/// clients on their own threads, and a single writer that validates and stores everything
/// received every `flushSeconds` in one transaction per source. Polls, folder scans and
/// flushes wait on the service's `AdapterClock`, which also stamps polled samples and judges
/// staleness (`WallClock` by default). Device errors are logged as feed events against
/// every series the device feeds (so `feeds status` shows them) — once when they start,
/// once when they clear. Stopping flushes what is buffered.
public final class FeedService: @unchecked Sendable {
    /// Counts since the service started: polls and their errors, samples accepted, duplicate, rejected and malformed, store flushes.
    public struct Stats: Sendable, Equatable {
        public var polls = 0, pollErrors = 0, accepted = 0, duplicates = 0, rejected = 0, malformed = 0, flushes = 0
        public init() {}
    }

    public let config: FeedConfig
    let store: any MeasurementStore
    let validator: MeasurementValidator
    public let sunSpec: [SunSpecSource]
    let files: [DropFolderAdapter]
    let mqtt: [(client: MQTTClient, source: MQTTSource, validator: MeasurementValidator)]
    let logger = Logger(label: "flexdispatch.feeds")
    private let pending = NIOLockedValueBox(Pending())
    private let counters = NIOLockedValueBox(Stats())

    private struct Pending {
        var samples: [(source: String, samples: [RawSample])] = []
        var events: [(source: String, series: String, kind: String, message: String)] = []
    }

    /// Stamps polled samples, judges staleness and times the polls; a simulation passes a
    /// `SimulatedClock` and advances it.
    let clock: any AdapterClock

    /// `transports` replaces the TCP client of the named Modbus feeds (tests, simulations).
    public init(config: FeedConfig, store: any MeasurementStore, transports: [String: any ModbusTransport] = [:],
                clock: any AdapterClock = WallClock()) throws {
        self.config = config
        self.clock = clock
        self.store = store
        validator = MeasurementValidator(config.series)
        sunSpec = config.modbus.filter { !$0.points.isEmpty }.map { SunSpecSource(feed: $0, transport: transports[$0.name]) }
        files = config.files.map { DropFolderAdapter(feed: $0, validator: MeasurementValidator(config.series, allowed: $0.allowed)) }
        var mqtt: [(MQTTClient, MQTTSource, MeasurementValidator)] = []
        for f in config.mqtt {
            let client = try MQTTClient(f.settings)
            mqtt.append((client, MQTTSource(name: f.name, client: client, topics: f.topics), MeasurementValidator(config.series, allowed: f.allowed)))
        }
        self.mqtt = mqtt
    }

    public var stats: Stats { counters.withLockedValue { $0 } }

    /// True when every MQTT feed's client is connected and the broker has answered its
    /// subscriptions: what is published from then on is received.
    public var mqttSubscribed: Bool { mqtt.allSatisfy { $0.client.isSubscribed } }

    /// How many MQTT samples and undecodable payloads wait for the next flush.
    public var mqttWaiting: Int { mqtt.reduce(0) { $0 + $1.source.waiting } }

    /// Runs until `shouldStop` returns true (checked by every loop each time it wakes: every
    /// `flushSeconds` of the clock's time at the latest) or the task is cancelled; a store
    /// failure ends it with the error.
    public func run(flushSeconds: Double = 0.25, shouldStop: @escaping @Sendable () -> Bool) async throws {
        try await withTaskExecutorPreference(FeedExecutor.shared) {
            try await runLoops(flushSeconds: flushSeconds, shouldStop: shouldStop)
        }
    }

    /// Starts `run` on the feed executor's threads — so that a cooperative pool busy with
    /// other work cannot even delay its start — and returns the task.
    public func start(flushSeconds: Double = 0.25, shouldStop: @escaping @Sendable () -> Bool) -> Task<Void, any Error> {
        Task(executorPreference: FeedExecutor.shared) { try await self.run(flushSeconds: flushSeconds, shouldStop: shouldStop) }
    }

    func runLoops(flushSeconds: Double, shouldStop: @escaping @Sendable () -> Bool) async throws {
        for (client, _, _) in mqtt { try client.start() }
        defer { for (client, _, _) in mqtt { client.stop() } }
        logger.info("feeds: \(files.count) file feed(s), \(mqtt.count) MQTT feed(s), \(sunSpec.count) Modbus device(s), \(config.series.count) series")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for source in sunSpec {
                group.addTask(executorPreference: FeedExecutor.shared) { await self.pollLoop(source, shouldStop: shouldStop) }
            }
            for adapter in files {
                group.addTask(executorPreference: FeedExecutor.shared) { await self.filesLoop(adapter, shouldStop: shouldStop) }
            }
            while !shouldStop() && !Task.isCancelled {
                try await clock.sleep(seconds: flushSeconds)
                try flush()
            }
            group.cancelAll()
            try await group.waitForAll()
        }
        try flush()
        logger.info("feeds: stopped")
    }

    /// Polls every device and folder once, collects what the MQTT brokers kept for our
    /// sessions, stores; for `feeds run --once`. A broker sends a session's queued messages
    /// right after accepting the connection, before it answers the client's subscriptions:
    /// once every client is subscribed they are in. A broker that has not answered within
    /// `mqttSeconds` (real seconds) is given up on with a warning.
    public func runOnce(mqttSeconds: Double = 10) async throws {
        try await withTaskExecutorPreference(FeedExecutor.shared) {
            for (client, _, _) in mqtt { try client.start() }
            defer { for (client, _, _) in mqtt { client.stop() } }
            let end = Date().addingTimeInterval(mqttSeconds)
            while !mqttSubscribed && Date() < end { try await Task.sleep(nanoseconds: 20_000_000) }
            if !mqttSubscribed { logger.warning("feeds: MQTT not subscribed after \(mqttSeconds) s; storing what arrived") }
            for source in sunSpec { await pollOnce(source, lastError: nil) }
            for adapter in files { await ingestFolder(adapter) }
            try flush()
        }
    }

    func pollLoop(_ source: SunSpecSource, shouldStop: @escaping @Sendable () -> Bool) async {
        var lastError: String?
        var wait = source.feed.pollSeconds
        var next = clock.now
        while !shouldStop() && !Task.isCancelled {
            lastError = await pollOnce(source, lastError: lastError)
            wait = lastError == nil ? source.feed.pollSeconds : min(max(wait * 2, source.feed.pollSeconds), 60)
            let now = clock.now
            next = max(next.addingTimeInterval(wait), now)
            try? await clock.sleep(seconds: next.timeIntervalSince(now))
        }
    }

    /// One poll; returns the error message (nil when it worked). A new error, and the
    /// recovery from one, become feed events.
    @discardableResult
    func pollOnce(_ source: SunSpecSource, lastError: String?) async -> String? {
        let series = Set(source.feed.points.values.map(\.series)).sorted()
        let origin = "modbus:\(source.name)"
        do {
            let samples = try await source.poll(now: clock.now)
            pending.withLockedValue { p in
                p.samples.append((origin, samples))
                if lastError != nil { for s in series { p.events.append((origin, s, "recovered", "device answers again")) } }
            }
            counters.withLockedValue { $0.polls += 1 }
            return nil
        } catch {
            let message = "\(source.feed.settings.host):\(source.feed.settings.port) unit \(source.feed.unitID): \(error)"
            counters.withLockedValue { $0.polls += 1; $0.pollErrors += 1 }
            if message != lastError {
                logger.warning("\(source.name): \(message)")
                pending.withLockedValue { p in for s in series { p.events.append((origin, s, "error", message)) } }
            }
            return message
        }
    }

    func filesLoop(_ adapter: DropFolderAdapter, shouldStop: @escaping @Sendable () -> Bool) async {
        while !shouldStop() && !Task.isCancelled {
            await ingestFolder(adapter)
            try? await clock.sleep(seconds: adapter.feed.pollSeconds)
        }
    }

    /// Folders ingest in their own transaction per file (the file moves only after it).
    func ingestFolder(_ adapter: DropFolderAdapter) async {
        do {
            let o = try adapter.ingestOnce(into: store, now: clock.now)
            if o.files > 0 {
                logger.info("\(adapter.feed.name): \(o.files) file(s), \(o.accepted) new samples, \(o.duplicates) duplicates, \(o.rejectedSamples) rejected samples, \(o.rejectedFiles) rejected files")
            }
            counters.withLockedValue { $0.accepted += o.accepted; $0.duplicates += o.duplicates; $0.rejected += o.rejectedSamples }
        } catch {
            logger.error("\(adapter.feed.name): \(error)")
        }
    }

    /// Validates and stores what the sources delivered since the last flush.
    public func flush() throws {
        for (_, source, validator) in mqtt {
            let o = try MQTTIngest.drain(source, validator: validator, into: store, now: clock.now)
            if o != MQTTIngest.Outcome() {
                logger.info("\(source.name): \(o.accepted) new samples, \(o.duplicates) duplicates, \(o.rejected) rejected, \(o.malformed) malformed payloads")
            }
            counters.withLockedValue { $0.accepted += o.accepted; $0.duplicates += o.duplicates; $0.rejected += o.rejected; $0.malformed += o.malformed }
        }
        let batch = pending.withLockedValue { p -> Pending in
            defer { p = Pending() }
            return p
        }
        for e in batch.events { try store.logEvent(source: e.source, series: e.series, kind: e.kind, message: e.message) }
        var bySource: [String: [RawSample]] = [:]
        for (source, samples) in batch.samples { bySource[source, default: []] += samples }
        for (source, samples) in bySource.sorted(by: { $0.key < $1.key }) {
            let r = try validator.ingest(samples, source: source, into: store, now: clock.now)
            counters.withLockedValue { $0.accepted += r.inserted; $0.duplicates += r.duplicates; $0.rejected += r.rejected }
        }
        counters.withLockedValue { $0.flushes += 1 }
    }
}
