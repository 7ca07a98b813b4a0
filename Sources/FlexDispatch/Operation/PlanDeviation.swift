import DataFiles
import Foundation
import ParkModel
import RunHistory

/// How far the park has drifted from the plan in force: each battery's measured state of
/// charge against the one the plan expects at the same instant. The plan's state of charge
/// is known at the end of each step (`soc_kWh` in the schedule) and where it starts (the
/// revision's start state at the revision's instant, or the asset's initial state at the
/// first step's start); in between it moves at the step's rate, as the constant power of a
/// step makes it.
public enum PlanDeviation {
    /// A battery off its plan by more than the threshold.
    public struct Jump: Sendable, Equatable, CustomStringConvertible {
        public var asset: String
        public var measuredKWh: Double
        public var plannedKWh: Double
        public var capacityKWh: Double

        /// The gap in percent of the battery's capacity.
        public var percent: Double { abs(measuredKWh - plannedKWh) / capacityKWh * 100 }

        public var description: String {
            "\(asset) holds \(String(format: "%.1f", measuredKWh)) kWh, the plan expected \(String(format: "%.1f", plannedKWh)) kWh "
                + "(\(String(format: "%.1f", percent)) % of its \(String(format: "%g", capacityKWh)) kWh)"
        }
    }

    /// The state of charge (kWh) `plan` expects `asset` to hold at `at`; nil when the plan
    /// does not schedule the asset's state of charge or `at` is outside its steps.
    public static func plannedStateOfCharge(_ plan: RunDetail, asset: String, initialKWh: Double, at: Date) -> Double? {
        planned(plan, asset: asset, initialKWh: initialKWh, revisionState: revisionState(plan), at: at)
    }

    /// The state a re-plan started from; nil for a plan that is no re-plan.
    static func revisionState(_ plan: RunDetail) -> ParkState? {
        plan.revision.flatMap { try? JSONDecoder().decode(ParkState.self, from: Data($0.startState.utf8)) }
    }

    static func planned(_ plan: RunDetail, asset: String, initialKWh: Double, revisionState: ParkState?, at: Date) -> Double? {
        guard let axis = try? plan.timeAxis(),
              let key = plan.scheduleValues.keys.first(where: { $0.hasSuffix("/\(asset)/\(ScheduleVariable.stateOfCharge.rawValue)") }),
              let ends = plan.scheduleValues[key] else { return nil }
        let offset = at.timeIntervalSince(axis.start) / axis.stepSeconds
        guard offset >= 0, offset < Double(min(axis.count, ends.count)) else { return nil }
        let k = Int(offset.rounded(.down))
        guard k == 0 else { return ends[k - 1] + (offset - Double(k)) * (ends[k] - ends[k - 1]) }
        // The first step starts from the revision's state at its instant (which may lie
        // inside the step), or from the asset's initial state.
        let end = axis.start.addingTimeInterval(axis.stepSeconds)
        var start = initialKWh, from = axis.start
        if let revision = plan.revision, let v = revisionState?[.stateOfCharge, asset] {
            start = v
            if let planAt = TimeParser.instant(revision.planAt), planAt > axis.start, planAt < end {
                from = planAt
            }
        }
        // The step's power is held from that instant on: the plan's change over the whole step
        // (the re-plan takes its state as the step's start), at the step's rate.
        guard at > from else { return start }
        return start + at.timeIntervalSince(from) / axis.stepSeconds * (ends[0] - start)
    }

    /// The batteries of `scenario` whose measured state of charge in `measured` is further
    /// from `plan`'s than `thresholdPercent` of their capacity at `at`, the largest gap first.
    public static func jumps(_ plan: RunDetail, scenario: Scenario, measured: ParkState, at: Date, thresholdPercent: Double) -> [Jump] {
        var out: [Jump] = []
        let started = revisionState(plan)
        for a in scenario.allAssets {
            guard let capacity = a.kind.storageCapacityKWh, capacity > 0, let m = measured[.stateOfCharge, a.id],
                  let p = planned(plan, asset: a.id, initialKWh: a.kind.initialProgress, revisionState: started, at: at) else { continue }
            let jump = Jump(asset: a.id, measuredKWh: m, plannedKWh: p, capacityKWh: capacity)
            if jump.percent > thresholdPercent { out.append(jump) }
        }
        return out.sorted { $0.percent > $1.percent }
    }
}
