import DataFiles
import LinearProgramming

/// A shiftable process (spec "Shiftable load"): a fixed energy to place inside a window
/// of steps, at most maxKW in any step.
public struct Shiftable: AssetKind {
    public var energyKWh: Double
    public var maxKW: Double
    /// The first step of the window.
    public var windowStart: Int
    /// The step after the window's last (end exclusive); at most the horizon's step count.
    public var windowEnd: Int

    public init(energyKWh: Double, maxKW: Double, windowStart: Int, windowEnd: Int) {
        self.energyKWh = energyKWh
        self.maxKW = maxKW
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }

    public var typeName: String { "shiftable" }
    public var reportGroup: ReportGroup { .shiftableLoad }

    public func problems(steps: Int, owner: AssetOwner) -> [FieldProblem] {
        var found = [FieldRules.nonNegative(energyKWh, "energyKWh"), FieldRules.nonNegative(maxKW, "maxKW")].compactMap { $0 }
        for (field, step) in [("windowStart", windowStart), ("windowEnd", windowEnd)] where !(0...steps).contains(step) {
            found.append(FieldProblem(field, "(step \(step)) lies outside the horizon (steps 0 to \(steps))"))
        }
        if windowStart >= windowEnd {
            found.append(FieldProblem("windowEnd", "must be after 'windowStart' (the window is empty)", comparedWith: ["windowStart"]))
        }
        return found
    }

    public func formulate(id: String, in lp: inout AssetFormulation) -> [AssetVariables] {
        let T = lp.steps, dt = lp.stepHours
        let window = windowStart..<windowEnd
        let p = (0..<T).map { t in lp.model.addVariable(lower: 0, upper: window.contains(t) ? maxKW : 0, name: "\(id)_power_\(t)") }
        // Soft: the energy not delivered is a shortfall in [0, energyKWh].
        let shortfall = energyKWh > 0 ? lp.breachVariable(.shiftableEnergy, asset: id, value: energyKWh, upper: energyKWh) { $0.shiftablePerKWh } : nil
        lp.model.addConstraint(p.map { ($0, dt) } + (shortfall.map { [($0, 1)] } ?? []), lower: energyKWh, upper: energyKWh, name: "\(id)_energy")
        return [AssetVariables(.consumption, p)]
    }

    public func infeasibility(steps: Int, stepHours dt: Double) -> String? {
        let most = maxKW * Double(windowEnd - windowStart) * dt
        guard energyKWh > most * (1 + 1e-9) + 1e-9 else { return nil }
        return "shiftable energyKWh \(Diagnosis.fmt(energyKWh)) exceeds maxKW x window = \(Diagnosis.fmt(most)) kWh"
    }

    public func flexibility(steps: Int) -> (window: Range<Int>, maxKW: Double)? { (windowStart..<windowEnd, maxKW) }

    public var progressKind: AssetProgress? { .delivered }

    /// The energy still to deliver in what is left of the window; nil once the window has
    /// closed (with a note when energy was left undelivered) or before it opens. A window
    /// that runs past the plan's last step asks of the plan only what cannot fit after it.
    public func replanned(_ steps: Range<Int>, of total: Int, stepHours: Double, progress: Double?, notes: inout [String]) -> (any AssetKind)? {
        let delivered = progress ?? 0
        let remaining = max(0, energyKWh - delivered)
        if delivered > energyKWh * (1 + 1e-9) + 1e-9 {
            notes.append("delivered \(format(delivered)) kWh, more than energyKWh \(format(energyKWh)); nothing left to place")
        }
        guard windowStart < steps.upperBound else { return nil }  // opens after the plan's horizon
        let start = max(windowStart, steps.lowerBound) - steps.lowerBound
        let end = min(windowEnd, steps.upperBound) - steps.lowerBound
        guard end > start else {
            if remaining > 1e-9 * max(1, energyKWh) {
                notes.append("its window has closed with \(format(remaining)) kWh of energyKWh \(format(energyKWh)) not delivered")
            }
            return nil
        }
        let later = Double(max(0, windowEnd - max(steps.upperBound, windowStart)))
        let due = max(0, remaining - maxKW * later * stepHours)
        return Shiftable(energyKWh: due, maxKW: maxKW, windowStart: start, windowEnd: end)
    }

    public func progress(after steps: Int, start: Double, values: AssetValues, stepHours dt: Double) -> Double? {
        let p = values[.consumption]
        return p.count >= steps ? p.prefix(steps).reduce(start) { $0 + $1 * dt } : nil
    }
}

extension Shiftable {
    /// Draws as planned inside its window until its energy is delivered.
    public func realise(_ step: PlannedStep, progress: Double?, shedAllowanceKW: inout Double) -> RealisedStep {
        let delivered = progress ?? 0, dt = step.stepHours
        let p = (windowStart..<windowEnd).contains(step.step)
            ? min(max(0, step.value(.consumption)), maxKW, max(0, energyKWh - delivered) / dt) : 0
        return RealisedStep(netConsumptionKW: p, progress: delivered + p * dt, cost: 0)
    }

    public func shortfallCost(progress: Double?, prices: ResolvedBreachPrices) -> Double {
        max(0, energyKWh - (progress ?? 0)) * prices.shiftablePerKWh
    }

    public func unmetCommitment(progress: Double?) -> String? {
        (progress ?? 0) < energyKWh - 1e-6 * max(1, energyKWh) ? "energy not delivered in full" : nil
    }
}

extension Shiftable: AssetFileReading {
    static var typeNames: [String] { ["shiftable"] }

    static func read(_ o: inout JSONObject, type: String, context: AssetReadingContext) -> Shiftable {
        let energy = o.number("energyKWh"), maxKW = o.number("maxKW")
        let ws = context.horizon.step(&o, "windowStart"), we = context.horizon.step(&o, "windowEnd")
        return Shiftable(energyKWh: energy ?? 0, maxKW: maxKW ?? 0, windowStart: ws ?? 0, windowEnd: we ?? 0)
    }
}
