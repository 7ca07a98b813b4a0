import Foundation

/// Whether the limits that can be breached in reality hold as hard constraints (v1: a plan
/// that cannot meet them is infeasible) or are soft, each breach priced, so that every
/// solve yields a plan and says what it breaches.
///
/// Soft limits: the park's import and export limits (with the `importLimit`/`exportLimit`
/// series), each firm's connection, a battery's final state of charge, a shiftable
/// process's energy, an electrolyzer's hydrogen demand and the carbon cap. Every other
/// constraint stays hard; none of them can make a soft plan infeasible.
public enum LimitMode: String, Sendable, Codable, CaseIterable {
    case hard, soft
}

/// A limit the soft mode relaxes.
public enum LimitKind: String, Sendable, Codable, CaseIterable {
    /// The park's import limit at a step (`importMaxKW`, `importLimit`), or a standalone firm's import.
    case parkImport = "park_import"
    /// The park's export limit at a step (`exportMaxKW`, `exportLimit`), or a standalone firm's export.
    case parkExport = "park_export"
    /// A firm's connection limit (`connectionKW`) at a step, either direction.
    case firmConnection = "firm_connection"
    /// A battery's `socFinalMinKWh`.
    case finalStateOfCharge = "final_soc"
    /// A shiftable process's `energyKWh`.
    case shiftableEnergy = "shiftable_energy"
    /// An electrolyzer's `demandKg`.
    case hydrogenDemand = "hydrogen_demand"
    /// The park's `carbonCapKg`.
    case carbonCap = "carbon_cap"

    /// The unit a breach of this limit is measured in.
    public var unit: String {
        switch self {
        case .hydrogenDemand, .carbonCap: "kg"
        default: "kWh"
        }
    }

    /// Whether the limit applies at every step (a power limit) rather than once per horizon.
    public var perStep: Bool { [.parkImport, .parkExport, .firmConnection].contains(self) }
}

/// What breaching each soft limit costs (scenario.json `park.breachPrices`, every field
/// optional). A field left out takes its default from the scenario's prices: the
/// *reference price* B is the larger of 100 × the largest of |import price + carbon price ×
/// intensity| and |export price| over the horizon and 10 × the largest shedding or
/// curtailment cost per kWh (at least 1 money unit per kWh), and
/// - `connectionPerKWh`: B per kWh beyond the park's or a firm's connection,
/// - `carbonPerKg`: B / the mean positive carbon intensity (the import a kg stands for at B),
/// - `stateOfChargePerKWh`, `shiftablePerKWh`: 10 B per kWh,
/// - `hydrogenPerKg`: 10 B / the electrolyzer's `kgPerKWh` (the energy of a kg at 10 B).
///
/// The defaults rank the limits: a plan keeps the firms' commitments (final states of
/// charge, process energy, hydrogen) before the grid-side limits (connection, carbon cap),
/// and breaches a commitment only when the commitment alone cannot be met. Load shedding
/// and curtailment keep their own costs and come before any breach.
///
/// ```swift
/// var park = Park(importMaxKW: 1_000, exportMaxKW: 0, importPrice: prices, exportPrice: prices)
/// park.breachPrices.shiftablePerKWh = 5   // a kWh of a process left undone costs 5
/// ```
public struct BreachPrices: Sendable, Equatable {
    /// Per kWh over the park's import or export limit or a firm's connection.
    public var connectionPerKWh: Double?
    /// Per kWh a battery ends below its `socFinalMinKWh`.
    public var stateOfChargePerKWh: Double?
    /// Per kWh of a shiftable process not delivered in its window.
    public var shiftablePerKWh: Double?
    /// Per kg of hydrogen demand not made.
    public var hydrogenPerKg: Double?
    /// Per kg over the carbon cap.
    public var carbonPerKg: Double?

    public init(connectionPerKWh: Double? = nil, stateOfChargePerKWh: Double? = nil, shiftablePerKWh: Double? = nil,
                hydrogenPerKg: Double? = nil, carbonPerKg: Double? = nil) {
        self.connectionPerKWh = connectionPerKWh
        self.stateOfChargePerKWh = stateOfChargePerKWh
        self.shiftablePerKWh = shiftablePerKWh
        self.hydrogenPerKg = hydrogenPerKg
        self.carbonPerKg = carbonPerKg
    }

    /// The scenario.json field of each price.
    static var fields: [(name: String, path: WritableKeyPath<BreachPrices, Double?>)] { [
        ("connectionPerKWh", \.connectionPerKWh), ("stateOfChargePerKWh", \.stateOfChargePerKWh),
        ("shiftablePerKWh", \.shiftablePerKWh), ("hydrogenPerKg", \.hydrogenPerKg), ("carbonPerKg", \.carbonPerKg),
    ] }

    /// The rules the given prices break (each ≥ 0 and within the scenario bounds).
    func problems() -> [FieldProblem] {
        Self.fields.compactMap { f in self[keyPath: f.path].flatMap { FieldRules.nonNegative($0, "breachPrices.\(f.name)") } }
    }

    /// The multiple of the largest price that the defaults charge per kWh over a grid-side limit.
    public static let defaultMultiple = 100.0
    /// How many times a grid-side breach a commitment's shortfall costs per kWh by default.
    public static let commitmentMultiple = 10.0

    /// The reference price B of `s` (money per kWh).
    public static func reference(_ s: Scenario) -> Double {
        let park = s.park
        var largest = 0.0
        for t in park.importPrice.indices {
            let carbon = park.carbonPricePerKg * (park.carbonIntensity?[t] ?? 0)
            largest = max(largest, abs(park.importPrice[t] + carbon), abs(park.exportPrice[t]))
        }
        let ownCosts = s.allAssets.reduce(0.0) { max($0, $1.kind.ownCostPerKWh) }
        return max(defaultMultiple * max(largest, 1), 10 * ownCosts)
    }

    /// Every price resolved against `s`'s prices.
    public func resolved(for s: Scenario) -> ResolvedBreachPrices {
        let park = s.park
        let b = Self.reference(s)
        let positive = (park.carbonIntensity ?? []).filter { $0 > 0 }
        let meanIntensity = positive.isEmpty ? 1 : positive.reduce(0, +) / Double(positive.count)
        let commitment = Self.commitmentMultiple * b
        return ResolvedBreachPrices(connectionPerKWh: connectionPerKWh ?? b, stateOfChargePerKWh: stateOfChargePerKWh ?? commitment,
                                    shiftablePerKWh: shiftablePerKWh ?? commitment, hydrogenPerKgGiven: hydrogenPerKg,
                                    carbonPerKg: carbonPerKg ?? b / meanIntensity, reference: b)
    }
}

/// Breach prices with every default filled in for one scenario.
public struct ResolvedBreachPrices: Sendable, Equatable {
    public var connectionPerKWh: Double
    public var stateOfChargePerKWh: Double
    public var shiftablePerKWh: Double
    /// The scenario's hydrogen price; nil: per electrolyzer, 10 × ``reference`` / kgPerKWh.
    public var hydrogenPerKgGiven: Double?
    public var carbonPerKg: Double
    /// The reference price B the defaults derive from.
    public var reference: Double

    /// The price per kg of hydrogen not made by an electrolyzer making `kgPerKWh`.
    public func hydrogenPerKg(kgPerKWh: Double) -> Double {
        hydrogenPerKgGiven ?? BreachPrices.commitmentMultiple * (kgPerKWh > 0 ? reference / kgPerKWh : reference)
    }
}

/// The variables that measure one soft limit's breach: one per step for a power limit,
/// one for a limit over the horizon.
public struct BreachVariables: Sendable {
    public var limit: LimitKind
    /// "park" or the firm's id (filled in by the formulation).
    public var owner: String
    /// The asset whose limit it is; nil for the park's and firms' own limits.
    public var asset: String?
    /// The limit's value (kW for a power limit, kWh or kg otherwise), for the report.
    public var value: Double
    /// For a power limit: its value at each step of `columns` (a per-step series may lower it).
    public var stepValues: [Double] = []
    /// The LP's columns: the breach in kW per step, or in the limit's unit.
    public var columns: [Int]
    /// For a two-sided power limit (a firm's connection): the breach below −limit per step
    /// (exports beyond the connection), beside ``columns``' breach above it; else empty.
    public var otherSideColumns: [Int] = []
    /// For a power limit: the limited variable per step (an import, an export, a firm's
    /// exchange), whose value beyond the limit is the breach measured.
    public var limitedColumns: [Int] = []
    /// Money per unit of the column (per kW and step for a power limit).
    public var costPerUnit: Double
    /// The breach's amount per unit of a column: Δ for a power limit (kW → kWh), else 1.
    public var amountPerUnit: Double
}

/// A limit a plan breaches, and by how much.
public struct Breach: Sendable, Equatable, Codable, CustomStringConvertible {
    public var limit: LimitKind
    public var owner: String
    public var asset: String?
    /// The limit (kW for a power limit, kWh or kg).
    public var value: Double
    /// The amount beyond the limit over the horizon, in `unit` (kWh over a power limit).
    public var amount: Double
    public var unit: String
    /// For a power limit: the largest excess in one step (kW), the steps breached and the first of them.
    public var peakKW: Double?
    public var steps: Int?
    public var firstStep: Int?
    /// What the breach adds to the objective.
    public var cost: Double

    enum CodingKeys: String, CodingKey { case limit, owner, asset, value, amount, unit, peakKW, steps, firstStep, cost, description }

    /// Encodes every field and the breach in words (`description`), as `summary.json` lists it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(limit, forKey: .limit)
        try c.encode(owner, forKey: .owner)
        try c.encodeIfPresent(asset, forKey: .asset)
        try c.encode(value, forKey: .value)
        try c.encode(amount, forKey: .amount)
        try c.encode(unit, forKey: .unit)
        try c.encodeIfPresent(peakKW, forKey: .peakKW)
        try c.encodeIfPresent(steps, forKey: .steps)
        try c.encodeIfPresent(firstStep, forKey: .firstStep)
        try c.encode(cost, forKey: .cost)
        try c.encode(description, forKey: .description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        limit = try c.decode(LimitKind.self, forKey: .limit)
        owner = try c.decode(String.self, forKey: .owner)
        asset = try c.decodeIfPresent(String.self, forKey: .asset)
        value = try c.decode(Double.self, forKey: .value)
        amount = try c.decode(Double.self, forKey: .amount)
        unit = try c.decode(String.self, forKey: .unit)
        peakKW = try c.decodeIfPresent(Double.self, forKey: .peakKW)
        steps = try c.decodeIfPresent(Int.self, forKey: .steps)
        firstStep = try c.decodeIfPresent(Int.self, forKey: .firstStep)
        cost = try c.decode(Double.self, forKey: .cost)
    }

    public init(limit: LimitKind, owner: String, asset: String?, value: Double, amount: Double, unit: String,
                peakKW: Double? = nil, steps: Int? = nil, firstStep: Int? = nil, cost: Double) {
        self.limit = limit
        self.owner = owner
        self.asset = asset
        self.value = value
        self.amount = amount
        self.unit = unit
        self.peakKW = peakKW
        self.steps = steps
        self.firstStep = firstStep
        self.cost = cost
    }

    public var description: String {
        let who = asset.map { "\(owner), asset '\($0)'" } ?? owner
        let amount = String(format: "%.6g", self.amount)
        switch limit {
        case .parkImport, .parkExport, .firmConnection:
            let what = limit == .firmConnection ? "connection limit" : limit == .parkImport ? "import limit" : "export limit"
            return "\(who): \(what) exceeded in \(steps ?? 0) step(s) from step \(firstStep ?? 0), "
                + "by up to \(String(format: "%.6g", peakKW ?? 0)) kW over \(String(format: "%.6g", value)) kW (\(amount) kWh)"
        case .finalStateOfCharge:
            return "\(who): ends \(amount) kWh below socFinalMinKWh \(String(format: "%.6g", value))"
        case .shiftableEnergy:
            return "\(who): \(amount) kWh of energyKWh \(String(format: "%.6g", value)) not delivered in its window"
        case .hydrogenDemand:
            return "\(who): \(amount) kg of demandKg \(String(format: "%.6g", value)) not made"
        case .carbonCap:
            return "\(who): carbonCapKg \(String(format: "%.6g", value)) exceeded by \(amount) kg"
        }
    }

    /// The breach the solution `x` (folded: `DispatchFormulation.values`) shows in `variables`;
    /// nil when it is within the solver's tolerance of the limit: below 10⁻⁶ of the step's
    /// limit (at least 1) in every step of a power limit, below 10⁻⁶ of the limit (at least
    /// 1) in total for any other. A power limit is reported with its value at the step of
    /// the largest excess.
    static func measured(_ variables: BreachVariables, x: [Double]) -> Breach? {
        func limit(_ k: Int) -> Double { variables.stepValues.indices.contains(k) ? variables.stepValues[k] : variables.value }
        let twoSided = !variables.otherSideColumns.isEmpty
        let values = variables.columns.indices.map { k in
            // A power limit's breach is how far its variable (`x` folded) went beyond it: with a
            // price of 0 the overflow column is not pinned to the excess.
            if k < variables.limitedColumns.count {
                let v = x[variables.limitedColumns[k]]
                return max(0, v - limit(k)) + (twoSided ? max(0, -v - limit(k)) : 0)
            }
            return max(0, x[variables.columns[k]])
        }
        let amount = values.reduce(0, +) * variables.amountPerUnit
        let breached = values.indices.filter { values[$0] > 1e-6 * max(1, abs(limit($0))) }
        guard variables.limit.perStep ? !breached.isEmpty : amount > 1e-6 * max(1, abs(variables.value)) else { return nil }
        var breach = Breach(limit: variables.limit, owner: variables.owner, asset: variables.asset, value: variables.value,
                            amount: amount, unit: variables.limit.unit, cost: values.reduce(0, +) * variables.costPerUnit)
        if variables.limit.perStep, let peak = breached.max(by: { values[$0] < values[$1] }) {
            breach.value = limit(peak)
            breach.peakKW = values[peak]
            breach.steps = breached.count
            breach.firstStep = breached.first
        }
        return breach
    }
}
