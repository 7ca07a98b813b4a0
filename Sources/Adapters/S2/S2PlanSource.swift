import Foundation
import NIOConcurrencyHelpers
import RunHistory

/// The plan the park's CEM instructs from: one stored run's setpoints, replaced by a newer
/// optimal run's while `follow` runs (the re-plans `flexdispatch operate` records). Pass
/// `plan(for:)` as the `S2CEMServer`'s plan; its sessions' refreshes then instruct the
/// new plan's power from the step in effect.
///
/// ```swift
/// let source = S2PlanSource(run: id, setpoints: try RunSetpoints.from(detail))
/// let cem = S2CEMServer(resources: resources, plan: { source.plan(for: $0) }, store: store, port: 8003)
/// Task { await source.follow(runs, scenario: "ordos-park", pollSeconds: 30, onAdopted: { _, _ in }, onError: { _ in }) }
/// ```
public final class S2PlanSource: Sendable {
    private let state: NIOLockedValueBox<(run: Int64, setpoints: [Setpoint])>

    public init(run: Int64, setpoints: [Setpoint]) {
        state = NIOLockedValueBox((run, setpoints))
    }

    /// The run instructed from now.
    public var run: Int64 { state.withLockedValue { $0.run } }

    /// The planned power of `asset` (W) per step of the run in force; nil when the run
    /// plans nothing for it.
    public func plan(for asset: String) -> S2Plan? {
        S2Plan.from(state.withLockedValue { $0.setpoints }, asset: asset)
    }

    /// Takes the newest optimal run of `scenario` in `store` when it is not the one in force;
    /// returns it, or nil when nothing changed.
    public func adoptNewest(from store: any RunStore, scenario: String?) throws -> Int64? {
        guard let id = try RunSetpoints.newestPlan(in: store, scenario: scenario), id != run,
              let detail = try store.show(id) else { return nil }
        let setpoints = try RunSetpoints.from(detail)
        state.withLockedValue { $0 = (id, setpoints) }
        return id
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
                if let id = try adoptNewest(from: store, scenario: scenario) { onAdopted(id, replaced) }
            } catch {
                onError(error)
            }
        }
    }
}
