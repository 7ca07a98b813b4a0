import DataFiles
import LinearProgramming

/// An electrolyzer (spec "Electrolyzer"): up to maxKW in any step, making kgPerKWh of
/// hydrogen per kWh, and at least demandKg over the horizon.
public struct Electrolyzer: AssetKind {
    public var maxKW: Double
    public var kgPerKWh: Double
    public var demandKg: Double

    public init(maxKW: Double, kgPerKWh: Double, demandKg: Double) {
        self.maxKW = maxKW
        self.kgPerKWh = kgPerKWh
        self.demandKg = demandKg
    }

    public var typeName: String { "electrolyzer" }
    public var reportGroup: ReportGroup { .electrolyzer }

    public func problems(steps: Int, owner: AssetOwner) -> [FieldProblem] {
        [FieldRules.nonNegative(maxKW, "maxKW"), FieldRules.nonNegative(kgPerKWh, "kgPerKWh"),
         FieldRules.nonNegative(demandKg, "demandKg")].compactMap { $0 }
    }

    public func formulate(id: String, in lp: inout AssetFormulation) -> [AssetVariables] {
        let T = lp.steps, dt = lp.stepHours
        let p = (0..<T).map { lp.model.addVariable(lower: 0, upper: maxKW, name: "\(id)_power_\($0)") }
        // Soft: the hydrogen not made is a shortfall ≥ 0.
        let shortfall = demandKg > 0 ? lp.breachVariable(.hydrogenDemand, asset: id, value: demandKg) { [kgPerKWh] in $0.hydrogenPerKg(kgPerKWh: kgPerKWh) } : nil
        lp.model.addConstraint(p.map { ($0, kgPerKWh * dt) } + (shortfall.map { [($0, 1)] } ?? []), lower: demandKg, upper: .infinity,
                               name: "\(id)_hydrogen")
        return [AssetVariables(.consumption, p)]
    }

    public func infeasibility(steps: Int, stepHours dt: Double) -> String? {
        let most = kgPerKWh * maxKW * Double(steps) * dt
        guard demandKg > most * (1 + 1e-9) + 1e-9 else { return nil }
        return "electrolyzer demandKg \(Diagnosis.fmt(demandKg)) exceeds kgPerKWh x maxKW x horizon = \(Diagnosis.fmt(most)) kg"
    }

    public func flexibility(steps: Int) -> (window: Range<Int>, maxKW: Double)? { (0..<steps, maxKW) }

    public var progressKind: AssetProgress? { .hydrogen }

    /// The hydrogen still to make, less what can be made after the plan's last step.
    public func replanned(_ steps: Range<Int>, of total: Int, stepHours: Double, progress: Double?,
                          notes: inout [String]) -> (any AssetKind)? {
        let later = kgPerKWh * maxKW * Double(max(0, total - steps.upperBound)) * stepHours
        return Electrolyzer(maxKW: maxKW, kgPerKWh: kgPerKWh, demandKg: max(0, demandKg - (progress ?? 0) - later))
    }

    public func progress(after steps: Int, start: Double, values: AssetValues, stepHours dt: Double) -> Double? {
        let p = values[.consumption]
        return p.count >= steps ? p.prefix(steps).reduce(start) { $0 + kgPerKWh * $1 * dt } : nil
    }
}

extension Electrolyzer {
    /// Draws as planned, up to its rating.
    public func realise(_ step: PlannedStep, progress: Double?, shedAllowanceKW: inout Double) -> RealisedStep {
        let p = min(max(0, step.value(.consumption)), maxKW)
        return RealisedStep(netConsumptionKW: p, progress: (progress ?? 0) + kgPerKWh * p * step.stepHours, cost: 0)
    }

    public func shortfallCost(progress: Double?, prices: ResolvedBreachPrices) -> Double {
        max(0, demandKg - (progress ?? 0)) * prices.hydrogenPerKg(kgPerKWh: kgPerKWh)
    }

    public func unmetCommitment(progress: Double?) -> String? {
        (progress ?? 0) < demandKg - 1e-6 * max(1, demandKg) ? "hydrogen demand not met" : nil
    }
}

extension Electrolyzer: AssetFileReading {
    static var typeNames: [String] { ["electrolyzer"] }

    static func read(_ o: inout JSONObject, type: String, context: AssetReadingContext) -> Electrolyzer {
        let maxKW = o.number("maxKW"), kg = o.number("kgPerKWh"), demand = o.number("demandKg")
        return Electrolyzer(maxKW: maxKW ?? 0, kgPerKWh: kg ?? 0, demandKg: demand ?? 0)
    }
}
