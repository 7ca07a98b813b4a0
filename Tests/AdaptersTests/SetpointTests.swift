@testable import Adapters
import Foundation
import RunHistory
import Storage
import Testing

/// A sink that keeps what it was sent (a real `SetpointSink`, used where the transport is
/// not the point).
final class RecordingSink: SetpointSink, @unchecked Sendable {
    let name = "record"
    let assets: [String] = []
    private let lock = NSLock()
    private(set) var steps: [Int] = []

    func send(_ setpoints: [Setpoint], step: Int) async throws -> [SetpointReceipt] {
        lock.withLock { steps.append(step) }
        return setpoints.filter { $0.step == step }.map {
            SetpointReceipt(sink: name, asset: $0.asset, step: step, powerKW: $0.powerKW, confirmed: "kept", error: nil)
        }
    }
}

@Suite("Adapters: setpoints from a run")
struct SetpointTests {
    static let times = ["2025-06-01T00:00:00+08:00", "2025-06-01T00:15:00+08:00", "2025-06-01T00:30:00+08:00", "2025-06-01T00:45:00+08:00"]

    static func run() -> RunDetail {
        var d = RunDetail(fields: [("status", "optimal")], parts: [:], firms: [:], internalPrice: [], importPrice: [],
                          scheduleValues: [:], forecastModels: [:])
        d.times = times
        d.scheduleValues = ["f03/f03_bat/charge_kW": [10, 0, 0, 5], "f03/f03_bat/discharge_kW": [0, 20, 0, 0],
                            "f03/f03_bat/soc_kWh": [100, 90, 90, 95], "f03/f03_pv/generation_kW": [0, 100, 200, 50],
                            "f04/f04_batch/power_kW": [3814, 0, 0, 3814], "f03/f03/exchange_kW": [1, 2, 3, 4]]
        return d
    }

    @Test func scheduleBecomesSignedSetpointsPerAsset() throws {
        let sp = try RunSetpoints.from(Self.run())
        func series(_ a: String) -> [Double] { sp.filter { $0.asset == a }.sorted { $0.step < $1.step }.map(\.powerKW) }
        #expect(Set(sp.map(\.asset)) == ["f03_bat", "f03_pv", "f04_batch"])
        #expect(series("f03_bat") == [10, -20, 0, 5])
        #expect(series("f03_pv") == [0, -100, -200, -50])
        #expect(series("f04_batch") == [3814, 0, 0, 3814])
        let t1 = try #require(ISO8601DateFormatter().date(from: Self.times[1]))
        #expect(RunSetpoints.step(at: t1, in: sp) == 1)
        #expect(RunSetpoints.step(at: t1.addingTimeInterval(899), in: sp) == 1)
        #expect(RunSetpoints.step(at: t1.addingTimeInterval(-901), in: sp) == nil)
        #expect(RunSetpoints.step(at: t1.addingTimeInterval(2700), in: sp) == nil)
        var bad = Self.run()
        bad.times[2] = "half past"
        #expect(throws: StoreError.self) { try RunSetpoints.from(bad) }
    }

    @Test func followerSendsEachStepOnceAtItsStartAndStopsAfterTheLast() async throws {
        let sp = try RunSetpoints.from(Self.run())
        let start = try #require(ISO8601DateFormatter().date(from: Self.times[0]))
        for (from, expected) in [(-300.0, [0, 1, 2, 3]), (1900, [2, 3])] {
            let sink = RecordingSink()
            // The follower looks every minute of a clock that moves only while it waits.
            let clock = SteppingClock(start.addingTimeInterval(from))
            let receipts = ReceiptLog()
            try await SetpointFollower.follow(sp, sinks: [sink], pollSeconds: 60, clock: clock) { _, r in receipts.add(r) }
            #expect(sink.steps == expected)
            #expect(receipts.all.filter { $0.asset == "f03_bat" }.map(\.powerKW) == expected.map { [10, -20, 0, 5][$0] })
            #expect(clock.now >= start.addingTimeInterval(3600), "returned only after the horizon")
        }
    }
}

final class ReceiptLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var all: [SetpointReceipt] = []
    func add(_ r: [SetpointReceipt]) { lock.lock(); all += r; lock.unlock() }
}

/// A clock whose time passes only while its one user sleeps on it.
final class SteppingClock: AdapterClock, @unchecked Sendable {
    private let lock = NSLock()
    private var time: Date
    init(_ start: Date) { time = start }
    var now: Date { lock.withLock { time } }
    func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        lock.withLock { time = time.addingTimeInterval(seconds) }
    }
}
