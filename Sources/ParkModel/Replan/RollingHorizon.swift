import DataFiles
import Foundation

/// A re-plan of a scenario: the same park over the steps from `firstStep` to the end of a
/// rolling horizon, starting from the state the park is in.
///
/// ```swift
/// var state = ParkState()
/// state[.stateOfCharge, "f01_bat"] = 2_310
/// let replan = try scenario.replanned(from: scenario.step(containing: now) ?? 0, state: state.filled(from: planned))
/// let run = try DispatchRun.solve(replan.scenario, limits: .soft)
/// ```
public struct Replan: Sendable {
    /// The scenario over the plan's steps: its series sliced, its assets starting from the state.
    public var scenario: Scenario
    /// The plan's first step, counted in the original scenario's steps.
    public var firstStep: Int
    /// The complete state the plan starts from (after clamping).
    public var state: ParkState
    /// Remarks naming the asset or the park: a state clamped into an asset's limits, a
    /// window that has closed, a cap already used up.
    public var notes: [String]
}

extension Scenario {
    /// The step whose interval [start + k·Δ, start + (k+1)·Δ) holds `instant`; nil outside the horizon.
    public func step(containing instant: Date) -> Int? {
        let offset = instant.timeIntervalSince(start) / Double(stepMinutes * 60)
        guard offset >= 0, offset < Double(steps) else { return nil }
        return min(Int(offset.rounded(.down)), steps - 1)
    }

    /// Where step `k` starts, start + k·Δ (`k` = `steps`: where the horizon ends).
    public func stepStart(_ k: Int) -> Date {
        start.addingTimeInterval(Double(k * stepMinutes * 60))
    }

    /// The scenario re-planned from step `first` over at most `horizonSteps` steps (nil: to
    /// the end of the scenario), starting from `state`, which must give every asset's
    /// progress (``ParkState/missing(for:)``). A state outside an asset's limits is clamped
    /// and named in the notes, never an infeasible plan.
    /// - Throws: ``ScenarioError`` naming each problem of the state, each missing value, or a
    ///   first step outside the horizon.
    public func replanned(from first: Int, horizonSteps: Int? = nil, state: ParkState) throws(ScenarioError) -> Replan {
        guard (0..<steps).contains(first) else {
            throw ScenarioError(messages: ["re-plan: step \(first) lies outside the horizon (steps 0 to \(steps - 1))"])
        }
        if let horizonSteps, horizonSteps < 1 { throw ScenarioError(messages: ["re-plan: the horizon must hold at least one step"]) }
        let found = state.problems(for: self) + state.missing(for: self)
        if !found.isEmpty { throw ScenarioError(messages: found.map { "state: \($0)" }) }
        let range = first..<(first + min(steps - first, horizonSteps ?? steps))
        var notes: [String] = []
        var used = ParkState(peakKW: state.peakKW, carbonKg: state.carbonKg)

        func assets(_ list: [Asset], owner: String) -> [Asset] {
            list.compactMap { a in
                let progress = a.kind.progressKind.flatMap { state[$0, a.id] }
                var remarks: [String] = []
                let kind = a.kind.replanned(range, of: steps, stepHours: stepHours, progress: progress, notes: &remarks)
                notes += remarks.map { "\(owner), asset '\(a.id)': \($0)" }
                if let k = a.kind.progressKind, let progress {
                    // The state as the plan uses it (a clamped state of charge as clamped).
                    used[k, a.id] = kind?.plannedStartProgress(given: progress) ?? progress
                }
                return kind.map { Asset(id: a.id, kind: $0) }
            }
        }

        var s = self
        s.steps = range.count
        s.start = stepStart(first)
        s.times = Array(times[range])
        s.park.importPrice = Array(park.importPrice[range])
        s.park.exportPrice = Array(park.exportPrice[range])
        s.park.carbonIntensity = park.carbonIntensity.map { Array($0[range]) }
        s.park.importLimit = park.importLimit.map { Array($0[range]) }
        s.park.exportLimit = park.exportLimit.map { Array($0[range]) }
        s.park.nomination = park.nomination.map { Array($0[range]) }
        s.park.existingPeakKW = max(park.existingPeakKW, state.peakKW ?? 0)
        if let cap = park.carbonCapKg {
            let emitted = state.carbonKg ?? 0
            s.park.carbonCapKg = max(0, cap - emitted)
            if emitted > cap { notes.append("park: \(format(emitted)) kg emitted already exceed carbonCapKg \(format(cap)); the rest of the horizon may emit none") }
        }
        s.park.assets = assets(park.assets, owner: "park")
        s.firms = firms.map { f in
            var firm = f
            firm.load = Array(f.load[range])
            firm.assets = assets(f.assets, owner: "firm '\(f.id)'")
            return firm
        }
        s.forecasts = forecasts.map { f in
            var g = f
            g.p10 = Array(f.p10[range])
            g.p50 = Array(f.p50[range])
            g.p90 = Array(f.p90[range])
            g.actual = f.actual.map { Array($0[range]) }
            return g
        }
        return Replan(scenario: s, firstStep: first, state: used, notes: notes)
    }
}

extension ParkState {
    /// The state after the first `steps` steps of `run`, a plan of `s` that started from
    /// `start` (nil: the scenario's initial state): what the next plan inherits when the
    /// park followed this one.
    public static func planned(by run: DispatchRun, of s: Scenario, startingFrom start: ParkState? = nil, after steps: Int) -> ParkState {
        let series = run.series(steps: s.steps)
        return planned(values: series.assets, imports: series.imports, of: s, startingFrom: start, after: steps)
    }

    /// The state after the first `steps` steps of a plan of `s` given by its values (per
    /// asset id and role, one per step) and its grid imports, started from `start` (nil:
    /// the scenario's initial state). Assets `s` no longer has keep their state in `start`.
    public static func planned(values: [String: [ScheduleVariable: [Double]]], imports: [Double], of s: Scenario,
                               startingFrom start: ParkState? = nil, after steps: Int) -> ParkState {
        let start = start ?? .initial(s)
        var state = start
        for a in s.allAssets {
            guard let kind = a.kind.progressKind else { continue }
            let from = start[kind, a.id] ?? a.kind.initialProgress
            state[kind, a.id] = a.kind.progress(after: steps, start: from, values: AssetValues(values[a.id] ?? [:]), stepHours: s.stepHours)
        }
        let done = imports.prefix(steps)
        state.peakKW = max(start.peakKW ?? s.park.existingPeakKW, done.max() ?? 0)
        if s.park.carbonCapKg != nil || start.carbonKg != nil {
            let intensity = s.park.carbonIntensity ?? []
            state.carbonKg = zip(done, intensity).reduce(start.carbonKg ?? 0) { $0 + $1.0 * $1.1 * s.stepHours }
        }
        return state
    }
}
