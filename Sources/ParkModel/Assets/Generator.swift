import DataFiles
import LinearProgramming

/// PV or wind (spec "Generator"): available power capacityKW · profile[t], of which the
/// dispatch may curtail any part at curtailmentCostPerKWh.
public struct Generator: AssetKind {
    /// What the generator converts; its raw value is the asset's `type` in scenario.json.
    public enum Source: String, Sendable, CaseIterable { case pv, wind }

    public var source: Source
    public var capacityKW: Double
    /// Available power per unit of capacity, per step, in [0, 1].
    public var profile: [Double]
    public var curtailmentCostPerKWh: Double

    public init(_ source: Source, capacityKW: Double, profile: [Double], curtailmentCostPerKWh: Double = 0) {
        self.source = source
        self.capacityKW = capacityKW
        self.profile = profile
        self.curtailmentCostPerKWh = curtailmentCostPerKWh
    }

    public var typeName: String { source.rawValue }
    public var ownCostPerKWh: Double { curtailmentCostPerKWh }
    public var reportGroup: ReportGroup { source == .wind ? .wind : .pv }

    public func withSeries(_ series: (String) -> [Double]?) -> any AssetKind {
        guard let v = series("profile") else { return self }
        var g = self
        g.profile = v
        return g
    }

    public func problems(steps: Int, owner: AssetOwner) -> [FieldProblem] {
        [FieldRules.nonNegative(capacityKW, "capacityKW"), FieldRules.nonNegative(curtailmentCostPerKWh, "curtailmentCostPerKWh")]
            .compactMap { $0 }
            + FieldRules.series(profile, "profile", steps: steps,
                                rule: ({ $0 >= 0 && $0 <= 1 }, { "must be in [0, 1], got \($1) at step \($0)" }))
    }

    public func formulate(id: String, in lp: inout AssetFormulation) -> [AssetVariables] {
        let T = lp.steps, dt = lp.stepHours
        let g = (0..<T).map {
            lp.model.addVariable(lower: 0, upper: capacityKW * profile[$0], cost: -curtailmentCostPerKWh * dt, name: "\(id)_gen_\($0)")
        }
        // The cost of curtailing all available power is constant; the variables' negative
        // cost takes back what is generated.
        lp.model.objectiveOffset += (0..<T).reduce(0) { $0 + curtailmentCostPerKWh * capacityKW * profile[$1] * dt }
        return [AssetVariables(.generation, g)]
    }

    public var costPart: CostPart? { .curtailment }

    /// The profile over the plan's steps.
    public func replanned(_ steps: Range<Int>, of total: Int, stepHours: Double, progress: Double?, notes: inout [String]) -> (any AssetKind)? {
        var g = self
        g.profile = Array(profile[steps])
        return g
    }

    public func cost(_ values: AssetValues, stepHours dt: Double) -> Double {
        let g = values[.generation]
        var cost = 0.0
        for t in g.indices { cost += curtailmentCostPerKWh * (capacityKW * profile[t] - g[t]) * dt }
        return cost
    }
}

extension Generator {
    public func availableKW(step: Int) -> Double? { capacityKW * profile[step] }

    /// Produces what is available less the curtailment the plan chose (the planned
    /// available power less the planned generation).
    public func realise(_ step: PlannedStep, progress: Double?, shedAllowanceKW: inout Double) -> RealisedStep {
        let available = capacityKW * profile[step.step]
        let curtailed = max(0, (step.plannedAvailableKW ?? available) - step.value(.generation))
        let produced = max(0, available - curtailed)
        return RealisedStep(netConsumptionKW: -produced, progress: nil,
                            cost: curtailmentCostPerKWh * (available - produced) * step.stepHours)
    }
}

extension Generator: AssetFileReading {
    static var typeNames: [String] { Source.allCases.map(\.rawValue) }

    static func read(_ o: inout JSONObject, type: String, context: AssetReadingContext) -> Generator {
        let capacity = o.number("capacityKW")
        let profile = context.series.values(&o, "profile")
        let cost = o.number("curtailmentCostPerKWh", default: 0)
        _ = o.bool("forecast")  // handled by ForecastPlan before the series are resolved
        return Generator(Source(rawValue: type) ?? .pv, capacityKW: capacity ?? 0, profile: profile ?? [], curtailmentCostPerKWh: cost ?? 0)
    }
}
