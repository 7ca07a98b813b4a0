import Foundation
import NIOConcurrencyHelpers
import RunHistory

/// The plan the park's CEM instructs from: one stored run's setpoints, replaced by a newer
/// optimal run's while `follow` runs (the re-plans `flexdispatch operate` records). A newer
/// run that begins later (tomorrow's day-ahead plan, recorded today) waits until it begins
/// while the plan in force still holds the present, so that today's remaining steps are
/// still instructed. Pass
/// `plan(for:)` as the `S2CEMServer`'s plan; its sessions' refreshes then instruct the
/// new plan's power from the step in effect.
///
/// ```swift
/// let source = S2PlanSource(run: id, setpoints: try RunSetpoints.from(detail))
/// let cem = S2CEMServer(resources: resources, plan: { source.plan(for: $0) }, store: store, port: 8003)
/// Task { await source.follow(runs, scenario: "ordos-park", pollSeconds: 30, onAdopted: { _, _ in }, onError: { _ in }) }
/// ```
public final class S2PlanSource: Sendable {
    private struct State {
        var run: Int64
        var setpoints: [Setpoint]
        /// A newer run waiting for its first step, and when that begins.
        var waiting: (run: Int64, begins: Date)?
    }

    private let state: NIOLockedValueBox<State>

    public init(run: Int64, setpoints: [Setpoint]) {
        state = NIOLockedValueBox(State(run: run, setpoints: setpoints))
    }

    /// The run instructed from now.
    public var run: Int64 { state.withLockedValue { $0.run } }

    /// The planned power of `asset` (W) per step of the run in force; nil when the run
    /// plans nothing for it.
    public func plan(for asset: String) -> S2Plan? {
        S2Plan.from(state.withLockedValue { $0.setpoints }, asset: asset)
    }

    /// Takes the newest optimal run of `scenario` in `store` when it is not the one in force,
    /// unless it begins after `now` while the run in force holds `now`; returns the run
    /// adopted, or nil when nothing changed.
    public func adoptNewest(from store: any RunStore, scenario: String?, at now: Date) throws -> Int64? {
        guard let id = try RunSetpoints.newestPlan(in: store, scenario: scenario), id != run else { return nil }
        if let w = state.withLockedValue({ $0.waiting }), w.run == id, now < w.begins, holdsNow(now) { return nil }
        guard let detail = try store.show(id) else { return nil }
        let setpoints = try RunSetpoints.from(detail)
        if let begins = setpoints.map(\.time).min(), now < begins, holdsNow(now) {
            state.withLockedValue { $0.waiting = (id, begins) }
            return nil
        }
        state.withLockedValue { $0 = State(run: id, setpoints: setpoints) }
        return id
    }

    /// Whether the run in force has a step holding `now`.
    private func holdsNow(_ now: Date) -> Bool {
        RunSetpoints.step(at: now, in: state.withLockedValue { $0.setpoints }) != nil
    }

    /// Every `pollSeconds` of `clock`, adopts a newer optimal run (`adoptNewest`);
    /// `onAdopted` hears the run adopted and the one it replaced, a failed look goes to
    /// `onError` and the next look tries again. Returns when the task is cancelled.
    public func follow(_ store: any RunStore, scenario: String?, pollSeconds: Double, clock: any AdapterClock = WallClock(),
                       onAdopted: @escaping @Sendable (_ run: Int64, _ replaced: Int64) -> Void,
                       onError: @escaping @Sendable (any Error) -> Void) async {
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: pollSeconds) } catch { return }
            do {
                let replaced = run
                if let id = try adoptNewest(from: store, scenario: scenario, at: clock.now) { onAdopted(id, replaced) }
            } catch {
                onError(error)
            }
        }
    }
}
