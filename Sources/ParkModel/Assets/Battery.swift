import DataFiles
import LinearProgramming

/// A battery (spec "Battery"): charge and discharge power, a state of charge that follows
/// them with the two efficiencies, a floor, a final minimum, and a degradation cost per
/// kWh discharged.
public struct Battery: AssetKind {
    public var energyKWh: Double
    public var chargeKW: Double
    public var dischargeKW: Double
    public var chargeEfficiency: Double
    public var dischargeEfficiency: Double
    public var socInitialKWh: Double
    public var socMinKWh: Double
    public var socFinalMinKWh: Double
    public var degradationCostPerKWh: Double

    /// A battery; `socFinalMinKWh` defaults to the initial state of charge, as in scenario.json.
    public init(energyKWh: Double, chargeKW: Double, dischargeKW: Double, chargeEfficiency: Double = 1,
                dischargeEfficiency: Double = 1, socInitialKWh: Double, socMinKWh: Double = 0,
                socFinalMinKWh: Double? = nil, degradationCostPerKWh: Double = 0) {
        self.energyKWh = energyKWh
        self.chargeKW = chargeKW
        self.dischargeKW = dischargeKW
        self.chargeEfficiency = chargeEfficiency
        self.dischargeEfficiency = dischargeEfficiency
        self.socInitialKWh = socInitialKWh
        self.socMinKWh = socMinKWh
        self.socFinalMinKWh = socFinalMinKWh ?? socInitialKWh
        self.degradationCostPerKWh = degradationCostPerKWh
    }

    public var typeName: String { "battery" }

    public func problems(steps: Int, owner: AssetOwner) -> [FieldProblem] {
        let efficiencies = ScenarioBounds.efficiencyMinimum...1
        var found = [
            FieldRules.nonNegative(energyKWh, "energyKWh"), FieldRules.nonNegative(chargeKW, "chargeKW"),
            FieldRules.nonNegative(dischargeKW, "dischargeKW"),
            FieldRules.within(chargeEfficiency, efficiencies, "chargeEfficiency"),
            FieldRules.within(dischargeEfficiency, efficiencies, "dischargeEfficiency"),
            FieldRules.nonNegative(socInitialKWh, "socInitialKWh"), FieldRules.nonNegative(socMinKWh, "socMinKWh"),
            FieldRules.nonNegative(socFinalMinKWh, "socFinalMinKWh"),
            FieldRules.nonNegative(degradationCostPerKWh, "degradationCostPerKWh"),
        ].compactMap { $0 }
        if socMinKWh > socInitialKWh {
            found.append(FieldProblem("socMinKWh", "(\(format(socMinKWh))) must not exceed 'socInitialKWh' (\(format(socInitialKWh)))",
                                     comparedWith: ["socInitialKWh"]))
        }
        if socInitialKWh > energyKWh {
            found.append(FieldProblem("socInitialKWh", "(\(format(socInitialKWh))) must not exceed 'energyKWh' (\(format(energyKWh)))",
                                     comparedWith: ["energyKWh"]))
        }
        if socFinalMinKWh > energyKWh {
            found.append(FieldProblem("socFinalMinKWh", "(\(format(socFinalMinKWh))) must not exceed 'energyKWh' (\(format(energyKWh)))",
                                     comparedWith: ["energyKWh"]))
        }
        return found
    }

    public func formulate(id: String, in lp: inout AssetFormulation) -> [AssetVariables] {
        let T = lp.steps, dt = lp.stepHours
        var ch: [Int] = [], dis: [Int] = [], soc: [Int] = []
        for t in 0..<T {
            ch.append(lp.model.addVariable(lower: 0, upper: chargeKW, name: "\(id)_charge_\(t)"))
            dis.append(lp.model.addVariable(lower: 0, upper: dischargeKW, cost: degradationCostPerKWh * dt, name: "\(id)_discharge_\(t)"))
            let soft = t == T - 1 && socFinalMinKWh > socMinKWh
                ? lp.breachVariable(.finalStateOfCharge, asset: id, value: socFinalMinKWh, upper: socFinalMinKWh - socMinKWh) { $0.stateOfChargePerKWh } : nil
            let lower = t == T - 1 && soft == nil ? max(socMinKWh, socFinalMinKWh) : socMinKWh
            soc.append(lp.model.addVariable(lower: lower, upper: energyKWh, name: "\(id)_soc_\(t)"))
            if let soft {
                // Soft final minimum: soc[T−1] + shortfall ≥ socFinalMinKWh.
                lp.model.addConstraint([(soc[t], 1), (soft, 1)], lower: socFinalMinKWh, upper: .infinity, name: "\(id)_soc_final")
            }
            // soc[t] = soc[t−1] + ηc·ch[t]·Δ − dis[t]·Δ/ηd, soc[−1] = socInitialKWh.
            var terms: [(variable: Int, value: Double)] = [(soc[t], 1), (ch[t], -chargeEfficiency * dt), (dis[t], dt / dischargeEfficiency)]
            if t > 0 { terms.append((soc[t - 1], -1)) }
            let rhs = t == 0 ? socInitialKWh : 0
            lp.model.addConstraint(terms, lower: rhs, upper: rhs, name: "\(id)_soc_\(t)")
        }
        return [AssetVariables(.charge, ch), AssetVariables(.discharge, dis), AssetVariables(.stateOfCharge, soc)]
    }

    public var costPart: CostPart? { .degradation }

    public func cost(_ values: AssetValues, stepHours dt: Double) -> Double {
        var cost = 0.0
        for v in values[.discharge] { cost += degradationCostPerKWh * v * dt }
        return cost
    }

    public func infeasibility(steps: Int, stepHours dt: Double) -> String? {
        let most = min(energyKWh, socInitialKWh + chargeEfficiency * chargeKW * Double(steps) * dt)
        guard socFinalMinKWh > most * (1 + 1e-9) + 1e-9 else { return nil }
        return "socFinalMinKWh \(Diagnosis.fmt(socFinalMinKWh)) cannot be reached (at most \(Diagnosis.fmt(most)) kWh)"
    }

    public var storageCapacityKWh: Double? { energyKWh }

    public var progressKind: AssetProgress? { .stateOfCharge }
    public var initialProgress: Double { socInitialKWh }

    /// Starts from the state of charge given, clamped into [socMinKWh, energyKWh].
    public func replanned(_ steps: Range<Int>, of total: Int, stepHours: Double, progress: Double?, notes: inout [String]) -> (any AssetKind)? {
        var b = self
        let given = progress ?? socInitialKWh
        b.socInitialKWh = min(max(given, socMinKWh), energyKWh)
        if b.socInitialKWh != given {
            notes.append("state of charge \(format(given)) kWh lies outside [socMinKWh \(format(socMinKWh)), energyKWh \(format(energyKWh))]; clamped to \(format(b.socInitialKWh)) kWh")
        }
        return b
    }

    public func progress(after steps: Int, start: Double, values: AssetValues, stepHours: Double) -> Double? {
        let soc = values[.stateOfCharge]
        return steps == 0 ? start : soc.count >= steps ? soc[steps - 1] : nil
    }
}

extension Battery {
    public func plannedStartProgress(given progress: Double) -> Double { socInitialKWh }

    /// Charges and discharges as planned, less what would take the state of charge outside
    /// [socMinKWh, energyKWh].
    public func realise(_ step: PlannedStep, progress: Double?, shedAllowanceKW: inout Double) -> RealisedStep {
        let dt = step.stepHours
        let soc = progress ?? socInitialKWh
        var ch = max(0, step.value(.charge)), dis = max(0, step.value(.discharge))
        // Less charge when it would overfill, less discharge when it would go below the floor.
        ch = min(ch, max(0, (energyKWh - soc) / (chargeEfficiency * dt) + dis / (chargeEfficiency * dischargeEfficiency)))
        dis = min(dis, max(0, (soc + chargeEfficiency * ch * dt - socMinKWh) * dischargeEfficiency / dt))
        let next = min(max(soc + (chargeEfficiency * ch - dis / dischargeEfficiency) * dt, socMinKWh), energyKWh)
        return RealisedStep(netConsumptionKW: ch - dis, progress: next, cost: degradationCostPerKWh * dis * dt)
    }

    public func shortfallCost(progress: Double?, prices: ResolvedBreachPrices) -> Double {
        guard socFinalMinKWh > socMinKWh else { return 0 }
        return max(0, socFinalMinKWh - (progress ?? 0)) * prices.stateOfChargePerKWh
    }

    public func unmetCommitment(progress: Double?) -> String? {
        (progress ?? 0) < socFinalMinKWh - 1e-6 * max(1, socFinalMinKWh) ? "ends below socFinalMinKWh" : nil
    }
}

extension Battery: AssetFileReading {
    static var typeNames: [String] { ["battery"] }

    static func read(_ o: inout JSONObject, type: String, context: AssetReadingContext) -> Battery {
        let energy = o.number("energyKWh"), charge = o.number("chargeKW"), discharge = o.number("dischargeKW")
        let etaC = o.number("chargeEfficiency", default: 1), etaD = o.number("dischargeEfficiency", default: 1)
        let initial = o.number("socInitialKWh")
        let socMin = o.number("socMinKWh", default: 0)
        let final = o.number("socFinalMinKWh", required: false)
        let degradation = o.number("degradationCostPerKWh", default: 0)
        return Battery(energyKWh: energy ?? 0, chargeKW: charge ?? 0, dischargeKW: discharge ?? 0, chargeEfficiency: etaC ?? 1,
                       dischargeEfficiency: etaD ?? 1, socInitialKWh: initial ?? 0, socMinKWh: socMin ?? 0,
                       socFinalMinKWh: final, degradationCostPerKWh: degradation ?? 0)
    }
}
