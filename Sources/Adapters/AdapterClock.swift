import Foundation
import NIOConcurrencyHelpers

/// The time the feed service and the setpoint follower run on: what "now" is (stamping
/// polled samples, judging staleness, choosing the step in effect) and how they wait
/// between polls. `WallClock` is the real time; a simulation drives a `SimulatedClock`.
public protocol AdapterClock: Sendable {
    /// The current time.
    var now: Date { get }
    /// Returns once `seconds` of this clock's time have passed; throws `CancellationError`
    /// when the task is cancelled first.
    func sleep(seconds: Double) async throws
}

/// The real time: `Date()` and `Task.sleep`.
public struct WallClock: AdapterClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(seconds: Double) async throws {
        // Clamped to 0…10⁹ s (about 31 years): a NaN or a huge duration cannot trap here.
        try await Task.sleep(nanoseconds: UInt64(min(max(0, seconds.isNaN ? 0 : seconds), 1e9) * 1e9))
    }
}

/// Time that moves only when its owner advances it. Whoever sleeps on it is woken by the
/// `advance` that reaches its deadline, so a simulation decides how much time passes
/// between two polls, independently of how fast the machine runs them. `sleepers` tells how
/// many waits are pending: once every loop of a service sleeps, it has done all it had to
/// do at the current time.
public final class SimulatedClock: AdapterClock, @unchecked Sendable {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        /// Waits that have begun and have not returned yet.
        var open: Set<UInt64> = []
        /// Waits cancelled before they were registered as sleepers.
        var cancelled: Set<UInt64> = []
        var sleepers: [UInt64: Sleeper] = [:]
    }

    private let state: NIOLockedValueBox<State>

    /// A clock standing at `start` until the test advances it.
    public init(start: Date) {
        state = NIOLockedValueBox(State(now: start))
    }

    public var now: Date { state.withLockedValue { $0.now } }

    /// How many waits are pending.
    public var sleepers: Int { state.withLockedValue { $0.sleepers.count } }

    /// The earliest deadline of the pending waits; nil when nobody waits.
    public var nextWakeUp: Date? { state.withLockedValue { $0.sleepers.values.map(\.deadline).min() } }

    /// Moves the time forward by `seconds` and wakes every wait whose deadline it reaches.
    public func advance(by seconds: Double) {
        advance(to: now.addingTimeInterval(seconds))
    }

    /// Moves the time to `time` (never backwards) and wakes every wait whose deadline it reaches.
    public func advance(to time: Date) {
        let due = state.withLockedValue { s -> [CheckedContinuation<Void, any Error>] in
            s.now = max(s.now, time)
            let ids = s.sleepers.filter { $0.value.deadline <= s.now }.map(\.key)
            return ids.compactMap { id in
                s.open.remove(id)
                return s.sleepers.removeValue(forKey: id)?.continuation
            }
        }
        for c in due { c.resume() }
    }

    public func sleep(seconds: Double) async throws {
        let id = state.withLockedValue { s -> UInt64 in
            s.nextID += 1
            s.open.insert(s.nextID)
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLockedValue { s -> Result<Void, any Error>? in
                    if s.cancelled.remove(id) != nil {
                        s.open.remove(id)
                        return .failure(CancellationError())
                    }
                    guard seconds > 0 else {
                        s.open.remove(id)
                        return .success(())
                    }
                    s.sleepers[id] = Sleeper(deadline: s.now.addingTimeInterval(seconds), continuation: c)
                    return nil
                }
                if let outcome { c.resume(with: outcome) }
            }
        } onCancel: {
            let c = state.withLockedValue { s -> CheckedContinuation<Void, any Error>? in
                guard s.open.contains(id) else { return nil }
                if let sleeper = s.sleepers.removeValue(forKey: id) {
                    s.open.remove(id)
                    return sleeper.continuation
                }
                s.cancelled.insert(id)
                return nil
            }
            c?.resume(throwing: CancellationError())
        }
    }
}

/// The real time's rate from another start: `now` is `start` plus the wall-clock time
/// since the clock was made (a rehearsal on a past scenario).
public struct ShiftedClock: AdapterClock {
    let offset: TimeInterval

    public init(start: Date) {
        offset = start.timeIntervalSinceNow
    }

    public var now: Date { Date().addingTimeInterval(offset) }

    public func sleep(seconds: Double) async throws {
        try await WallClock().sleep(seconds: seconds)
    }
}
