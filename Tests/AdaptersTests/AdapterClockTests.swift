import Adapters
import Foundation
import NIOConcurrencyHelpers
import Testing
import TestSupport

@Suite("Adapters: the simulated clock")
struct AdapterClockTests {
    static let t0 = Date(timeIntervalSince1970: 1_748_736_000)

    /// Sleepers wake when an advance reaches their deadline, not before; time never goes back.
    @Test func sleepersWakeWhenTheirDeadlineIsReached() async throws {
        let clock = SimulatedClock(start: Self.t0)
        let woke = NIOLockedValueBox<[String]>([])
        let a = Task { try await clock.sleep(seconds: 10); woke.withLockedValue { $0.append("a") } }
        let b = Task { try await clock.sleep(seconds: 30); woke.withLockedValue { $0.append("b") } }
        try await waitUntil("both tasks asleep") { clock.sleepers == 2 }
        #expect(clock.nextWakeUp == Self.t0.addingTimeInterval(10))
        clock.advance(by: 9.5)
        #expect(clock.sleepers == 2)
        clock.advance(by: 0.5)
        try await a.value
        #expect(woke.withLockedValue { $0 } == ["a"])
        #expect(clock.sleepers == 1 && clock.nextWakeUp == Self.t0.addingTimeInterval(30))
        clock.advance(to: Self.t0)
        #expect(clock.now == Self.t0.addingTimeInterval(10))
        clock.advance(to: Self.t0.addingTimeInterval(30))
        try await b.value
        #expect(woke.withLockedValue { $0 } == ["a", "b"] && clock.sleepers == 0 && clock.nextWakeUp == nil)
        try await clock.sleep(seconds: 0)   // nothing to wait for
    }

    /// A cancelled task stops waiting, whether it was cancelled while asleep or before.
    @Test func cancellationEndsTheWait() async throws {
        let clock = SimulatedClock(start: Self.t0)
        let asleep = Task { try await clock.sleep(seconds: 60) }
        try await waitUntil("the task asleep") { clock.sleepers == 1 }
        asleep.cancel()
        await #expect(throws: CancellationError.self) { try await asleep.value }
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(seconds: 60)
        }
        await #expect(throws: CancellationError.self) { try await early.value }
        #expect(clock.sleepers == 0 && clock.now == Self.t0)
    }
}
