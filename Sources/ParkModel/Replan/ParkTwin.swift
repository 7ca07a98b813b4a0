import DataFiles
import Foundation

/// The real park of a simulation: it carries out a plan's setpoints step by step against
/// what actually happens (the realised loads and renewables of `actual`), with the park
/// model's own physics, and settles the realised flows with the model's own prices.
///
/// Per step, from a plan solved for that step: each battery charges and discharges as
/// planned, less what would take its state of charge outside [socMinKWh, energyKWh]; a
/// shiftable process draws as planned until its energy is delivered; an electrolyzer as
/// planned; a curtailable asset sheds as planned, at most the realised load (and what its
/// energy limit leaves); PV and wind produce what is available less the curtailment the
/// plan chose. The grid covers the rest: import I = max(0, net), export E = max(0, −net).
/// The realised cost is the dispatch objective at these flows — energy, carbon, the peak
/// charge on the realised peak, degradation, shedding, curtailment, and every limit
/// breached at the scenario's breach prices — plus the imbalance: |net − nominated net| ·
/// Δ · `imbalancePrice` against the nominated (day-ahead) schedule. Every realised day is
/// a feasible point of the soft-limit LP of `actual`, so the hindsight optimum is never
/// above it.
///
/// Each asset type carries out its own step (``AssetKind/realise(_:progress:shedAllowanceKW:)``)
/// and settles its own commitments (``AssetKind/shortfallCost(progress:prices:)``); a type
/// that implements neither contributes nothing.
public struct ParkTwin: Sendable {
    /// The realised day: the park with its actual series.
    public let actual: Scenario
    /// The state now (complete: every asset's progress, the peak and carbon so far).
    public private(set) var state: ParkState
    /// The next step to carry out.
    public private(set) var step = 0
    /// Realised grid import and export (kW) and each firm's exchange, per step carried out.
    public private(set) var imports: [Double] = []
    public private(set) var exports: [Double] = []
    public private(set) var exchange: [String: [Double]] = [:]
    /// The energy all batteries hold at the end of each step carried out (kWh).
    public private(set) var storedKWh: [Double] = []
    /// Money so far by part: energy, carbon, degradation, shedding, curtailment, breach.
    public private(set) var parts: [String: Double] = [:]
    let prices: ResolvedBreachPrices

    public init(actual: Scenario, state: ParkState? = nil) {
        self.actual = actual
        self.state = (state ?? .initial(actual)).filled(from: .initial(actual))
        prices = actual.park.breachPrices.resolved(for: actual)
    }

    /// Carries out `count` steps of `plan` from its step `first` (the twin's current step),
    /// a solved plan for the scenario `planned` (its forecasts: the curtailment of PV and
    /// wind is the plan's available power less what it uses).
    public mutating func apply(_ plan: DispatchRun, of planned: Scenario, from first: Int = 0, steps count: Int) {
        let values = plan.series(steps: planned.steps).assets
        let plannedKinds = Dictionary(planned.allAssets.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        for j in first..<min(first + count, planned.steps, first + actual.steps - step) {
            carryOut(step: step, values: { id, role in values[id]?[role]?[j] ?? 0 },
                     plannedAvailable: { id in plannedKinds[id]?.availableKW(step: j) })
            step += 1
        }
    }

    /// One step: every asset, then the firms' exchange and the grid.
    mutating func carryOut(step t: Int, values: (String, ScheduleVariable) -> Double, plannedAvailable: (String) -> Double?) {
        let dt = actual.stepHours
        func net(_ list: [Asset], load: Double?) -> Double {
            var n = 0.0
            var shedLeft = load ?? 0
            for a in list { n += realise(a, t: t, values: values, plannedAvailable: plannedAvailable, load: &shedLeft) }
            return n
        }
        var parkNet = net(actual.park.assets, load: nil)
        for f in actual.firms {
            let y = f.load[t] + net(f.assets, load: f.load[t])
            exchange[f.id, default: []].append(y)
            parkNet += y
            add("breach", max(0, abs(y) - f.connectionKW) * dt * prices.connectionPerKWh)
        }
        let i = max(0, parkNet), e = max(0, -parkNet)
        imports.append(i)
        exports.append(e)
        let park = actual.park
        let intensity = park.carbonIntensity?[t] ?? 0
        add("energy", dt * (park.importPrice[t] * i - park.exportPrice[t] * e))
        add("carbon", dt * park.carbonPricePerKg * intensity * i)
        let importLimit = min(park.importMaxKW, park.importLimit?[t] ?? park.importMaxKW)
        let exportLimit = min(park.exportMaxKW, park.exportLimit?[t] ?? park.exportMaxKW)
        add("breach", (max(0, i - importLimit) + max(0, e - exportLimit)) * dt * prices.connectionPerKWh)
        state.peakKW = max(state.peakKW ?? park.existingPeakKW, i)
        storedKWh.append(actual.allAssets.reduce(0) { $0 + ($1.kind.storageCapacityKWh != nil ? state[.stateOfCharge, $1.id] ?? 0 : 0) })
        if park.carbonCapKg != nil { state.carbonKg = (state.carbonKg ?? 0) + intensity * i * dt }
    }

    /// Carries out one asset's step with its own physics (``AssetKind/realise(_:progress:shedAllowanceKW:)``),
    /// records its progress and cost; returns its contribution to its owner's net consumption.
    mutating func realise(_ a: Asset, t: Int, values: (String, ScheduleVariable) -> Double, plannedAvailable: (String) -> Double?,
                          load shedLeft: inout Double) -> Double {
        let kind = a.kind, id = a.id
        let progress = kind.progressKind.map { state[$0, id] ?? kind.initialProgress }
        let stepHours = actual.stepHours, available = plannedAvailable(id)
        let r = withoutActuallyEscaping(values) { values in
            kind.realise(PlannedStep(step: t, stepHours: stepHours, value: { values(id, $0) }, plannedAvailableKW: available),
                         progress: progress, shedAllowanceKW: &shedLeft)
        }
        if let k = kind.progressKind, let p = r.progress { state[k, id] = p }
        if let part = kind.costPart { add(part.rawValue, r.cost) }
        return r.netConsumptionKW
    }

    mutating func add(_ part: String, _ v: Double) { parts[part, default: 0] += v }

    /// The realised cost of the steps carried out, by part, with the horizon's limits
    /// settled as at its end: the peak charge on the realised peak, the final states of
    /// charge, the energy and hydrogen still missing, the carbon over the cap — and the
    /// imbalance against `nominated` (the planned net import per step) at `imbalancePrice` per kWh.
    public func settlement(nominated: [Double]? = nil, imbalancePrice: Double = 0) -> [String: Double] {
        var out = parts
        let park = actual.park, dt = actual.stepHours
        if park.peakChargePerKW > 0 { out["peak"] = park.peakChargePerKW * max(park.existingPeakKW, imports.max() ?? 0) }
        var breach = out["breach"] ?? 0
        for a in actual.allAssets {
            breach += a.kind.shortfallCost(progress: a.kind.progressKind.flatMap { state[$0, a.id] }, prices: prices)
        }
        if let cap = park.carbonCapKg { breach += max(0, (state.carbonKg ?? 0) - cap) * prices.carbonPerKg }
        out["breach"] = breach
        if let nominated {
            var imbalance = 0.0
            for t in imports.indices where t < nominated.count { imbalance += abs(imports[t] - exports[t] - nominated[t]) * dt }
            out["imbalance"] = imbalance * imbalancePrice
        }
        return out
    }
}
