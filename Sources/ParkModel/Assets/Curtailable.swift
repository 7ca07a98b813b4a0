import DataFiles
import LinearProgramming

/// Load a firm may shed (spec "Curtailable load"): up to maxKW of its load in any step,
/// at most maxEnergyKWh over the horizon, at costPerKWh. Only firms have curtailable
/// load; the sum shed by all of a firm's curtailable assets never exceeds its load.
public struct Curtailable: AssetKind {
    public var maxKW: Double
    public var costPerKWh: Double
    /// nil: no limit on the energy shed over the horizon.
    public var maxEnergyKWh: Double?

    public init(maxKW: Double, costPerKWh: Double, maxEnergyKWh: Double? = nil) {
        self.maxKW = maxKW
        self.costPerKWh = costPerKWh
        self.maxEnergyKWh = maxEnergyKWh
    }

    public var typeName: String { "curtailable" }
    public var ownCostPerKWh: Double { costPerKWh }

    public func problems(steps: Int, owner: AssetOwner) -> [FieldProblem] {
        var found = [FieldRules.nonNegative(maxKW, "maxKW"), FieldRules.nonNegative(costPerKWh, "costPerKWh"),
                     maxEnergyKWh.flatMap { FieldRules.nonNegative($0, "maxEnergyKWh") }].compactMap { $0 }
        if case .park = owner {
            found.append(FieldProblem("type", "'curtailable' is not allowed among park assets (it sheds a firm's load)"))
        }
        return found
    }

    public func formulate(id: String, in lp: inout AssetFormulation) -> [AssetVariables] {
        let T = lp.steps, dt = lp.stepHours
        let load = lp.owner.load ?? [Double](repeating: 0, count: T)
        let shed = (0..<T).map { lp.model.addVariable(lower: 0, upper: min(maxKW, load[$0]), cost: costPerKWh * dt, name: "\(id)_shed_\($0)") }
        if let maxEnergyKWh { lp.model.addConstraint(shed.map { ($0, dt) }, lower: -.infinity, upper: maxEnergyKWh, name: "\(id)_energy") }
        return [AssetVariables(.shed, shed)]
    }

    public var costPart: CostPart? { .shedding }

    public func cost(_ values: AssetValues, stepHours dt: Double) -> Double {
        var cost = 0.0
        for v in values[.shed] { cost += costPerKWh * v * dt }
        return cost
    }

    public var progressKind: AssetProgress? { .shed }

    /// The energy that may still be shed.
    public func replanned(_ steps: Range<Int>, of total: Int, stepHours: Double, progress: Double?, notes: inout [String]) -> (any AssetKind)? {
        Curtailable(maxKW: maxKW, costPerKWh: costPerKWh, maxEnergyKWh: maxEnergyKWh.map { max(0, $0 - (progress ?? 0)) })
    }

    public func progress(after steps: Int, start: Double, values: AssetValues, stepHours dt: Double) -> Double? {
        let shed = values[.shed]
        return shed.count >= steps ? shed.prefix(steps).reduce(start) { $0 + $1 * dt } : nil
    }
}

extension Curtailable {
    /// Sheds as planned, at most the load its owner has left and what its energy limit leaves.
    public func realise(_ step: PlannedStep, progress: Double?, shedAllowanceKW: inout Double) -> RealisedStep {
        let done = progress ?? 0, dt = step.stepHours
        let left = maxEnergyKWh.map { max(0, $0 - done) / dt } ?? .infinity
        let shed = min(max(0, step.value(.shed)), maxKW, shedAllowanceKW, left)
        shedAllowanceKW -= shed
        return RealisedStep(netConsumptionKW: -shed, progress: done + shed * dt, cost: costPerKWh * shed * dt)
    }
}

extension Curtailable: AssetFileReading {
    static var typeNames: [String] { ["curtailable"] }

    static func read(_ o: inout JSONObject, type: String, context: AssetReadingContext) -> Curtailable {
        let maxKW = o.number("maxKW"), cost = o.number("costPerKWh")
        let maxEnergy = o.number("maxEnergyKWh", required: false)
        return Curtailable(maxKW: maxKW ?? 0, costPerKWh: cost ?? 0, maxEnergyKWh: maxEnergy)
    }
}
