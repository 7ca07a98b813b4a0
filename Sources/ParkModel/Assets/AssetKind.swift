import DataFiles
import LinearProgramming

/// One asset type of the park model (spec "Per asset"): its fields and their rules, its
/// variables and constraints in the dispatch LP, its cost, and the check the diagnosis
/// runs first. Each type is one file in `Sources/ParkModel/Assets/`, listed once in
/// `AssetTypes.all`; docs/park-model.md "Adding an asset type" gives the recipe.
///
/// ```swift
/// let battery = Battery(energyKWh: 400, chargeKW: 100, dischargeKW: 100, socInitialKWh: 200)
/// let asset = Asset(id: "f01_bat", kind: battery)
/// ```
public protocol AssetKind: Sendable {
    /// The value of the asset's `type` field in scenario.json.
    var typeName: String { get }

    /// The rules the values break, each naming its field; empty when the asset is valid
    /// in a horizon of `steps` steps under `owner`.
    func problems(steps: Int, owner: AssetOwner) -> [FieldProblem]

    /// Adds the asset's variables and constraints and returns its variables by role; the
    /// roles' `ScheduleVariable.netConsumptionSign` places them in the owner's balance.
    func formulate(id: String, in lp: inout AssetFormulation) -> [AssetVariables]

    /// The cost part the asset's cost is reported under; nil when it has no cost.
    var costPart: CostPart? { get }

    /// The asset's cost in the scenario's currency, given its variables' values.
    func cost(_ values: AssetValues, stepHours: Double) -> Double

    /// Why no dispatch can meet this asset's own constraints, in an energy manager's
    /// words; nil when the asset alone does not make the dispatch infeasible.
    func infeasibility(steps: Int, stepHours: Double) -> String?

    /// The energy a storage holds when full (kWh), for state-of-charge percentages.
    var storageCapacityKWh: Double? { get }

    /// The steps in which a flexible consumer may draw power and its maximum (kW).
    func flexibility(steps: Int) -> (window: Range<Int>, maxKW: Double)?

    /// What a re-plan must know of the asset's past (``ParkState``); nil when nothing.
    var progressKind: AssetProgress? { get }

    /// The asset over `steps` of its horizon of `total` steps of `stepHours`, for a plan that starts at
    /// `steps.lowerBound` with `progress` made before (of ``progressKind``; nil when it has
    /// none). A commitment that reaches past `steps.upperBound` asks of the plan only what
    /// cannot be done after it. Remarks (a state clamped into the asset's limits, a window
    /// closed before the plan) go to `notes`. nil when nothing of the asset is left to plan.
    func replanned(_ steps: Range<Int>, of total: Int, stepHours: Double, progress: Double?, notes: inout [String]) -> (any AssetKind)?

    /// The progress after a plan's first `steps` steps, given the progress `start` it began
    /// with and its values by role; nil when the asset has no ``progressKind`` or the values
    /// do not cover the steps.
    func progress(after steps: Int, start: Double, values: AssetValues, stepHours: Double) -> Double?

    /// The progress before any step (the state the horizon starts from).
    var initialProgress: Double { get }

    /// The progress this asset, as re-planned from `progress`, starts from (a state of
    /// charge clamped into the battery's limits); `progress` when the asset keeps it as given.
    func plannedStartProgress(given progress: Double) -> Double

    /// The power available at `step` when the asset generates from a profile (what a plan
    /// on these values expected); nil otherwise.
    func availableKW(step: Int) -> Double?

    /// The digital twin's physics (`ParkTwin`): carries out `step` of a plan on the real
    /// asset, from `progress` (of ``progressKind``, nil when it has none); a curtailable
    /// asset sheds at most `shedAllowanceKW`, the realised load its owner has left, and
    /// lowers it by what it sheds. The default contributes nothing.
    func realise(_ step: PlannedStep, progress: Double?, shedAllowanceKW: inout Double) -> RealisedStep

    /// What the horizon's end owes at the breach `prices` for a commitment the asset's
    /// `progress` leaves unmet (a final state of charge, energy, hydrogen); 0 by default.
    func shortfallCost(progress: Double?, prices: ResolvedBreachPrices) -> Double

    /// The commitment `progress` leaves unmet at the horizon's end, in words; nil when met
    /// (or when the asset has none).
    func unmetCommitment(progress: Double?) -> String?

    /// The largest price per kWh of the asset's own flexibility (shedding, curtailment);
    /// breach prices are set above it (``BreachPrices/reference(_:)``). 0 by default.
    var ownCostPerKWh: Double { get }

    /// The asset with each series field `series(field)` gives replaced (a generator's
    /// `profile`), for the same park over another horizon; itself by default.
    func withSeries(_ series: (String) -> [Double]?) -> any AssetKind

    /// Where the report draws the asset's power.
    var reportGroup: ReportGroup { get }
}

/// The report's groups of asset power: generation by source, flexible consumption by use.
/// The report draws generation of any group but `wind` with PV, and consumption of any
/// group but `electrolyzer` with the shiftable loads.
public enum ReportGroup: String, Sendable {
    case pv, wind, shiftableLoad, electrolyzer, other
}

extension AssetKind {
    public var costPart: CostPart? { nil }
    public func cost(_ values: AssetValues, stepHours: Double) -> Double { 0 }
    public func infeasibility(steps: Int, stepHours: Double) -> String? { nil }
    public var storageCapacityKWh: Double? { nil }
    public func flexibility(steps: Int) -> (window: Range<Int>, maxKW: Double)? { nil }
    public var progressKind: AssetProgress? { nil }
    public func replanned(_ steps: Range<Int>, of total: Int, stepHours: Double, progress: Double?, notes: inout [String]) -> (any AssetKind)? { self }
    public func progress(after steps: Int, start: Double, values: AssetValues, stepHours: Double) -> Double? { nil }
    public var initialProgress: Double { 0 }
    public func plannedStartProgress(given progress: Double) -> Double { progress }
    public func availableKW(step: Int) -> Double? { nil }
    public func realise(_ step: PlannedStep, progress: Double?, shedAllowanceKW: inout Double) -> RealisedStep {
        RealisedStep(netConsumptionKW: 0, progress: progress, cost: 0)
    }
    public func shortfallCost(progress: Double?, prices: ResolvedBreachPrices) -> Double { 0 }
    public func unmetCommitment(progress: Double?) -> String? { nil }
    public var ownCostPerKWh: Double { 0 }
    public func withSeries(_ series: (String) -> [Double]?) -> any AssetKind { self }
    public var reportGroup: ReportGroup { .other }
}

/// An asset of the park or of a firm: a unique id and what it is.
public struct Asset: Sendable {
    public var id: String
    public var kind: any AssetKind

    public init(id: String, kind: any AssetKind) {
        self.id = id
        self.kind = kind
    }
}

/// Who owns an asset: the park itself, or a firm with its load (kW per step).
public enum AssetOwner: Sendable {
    case park
    case firm(load: [Double])

    /// The firm's load; nil for the park.
    public var load: [Double]? {
        if case .firm(let load) = self { return load }
        return nil
    }
}

/// The LP an asset adds itself to, with the horizon and its owner.
public struct AssetFormulation {
    public var model: ModelBuilder
    public let steps: Int
    /// Step length Δ in hours.
    public let stepHours: Double
    public let owner: AssetOwner
    /// The prices of breaching soft limits; nil when every limit is hard (v1).
    public let breachPrices: ResolvedBreachPrices?
    /// The breach variables the assets added (soft limits only).
    public internal(set) var breaches: [BreachVariables] = []

    public init(model: ModelBuilder, steps: Int, stepHours: Double, owner: AssetOwner, breachPrices: ResolvedBreachPrices? = nil) {
        self.model = model
        self.steps = steps
        self.stepHours = stepHours
        self.owner = owner
        self.breachPrices = breachPrices
    }

    /// When limits are soft: a new variable ≥ 0 measuring how far asset `id` falls short of
    /// its limit `kind` (of value `value`, in the limit's unit), costing `price` per unit,
    /// and recorded for the report; at most `upper`. nil when limits are hard.
    public mutating func breachVariable(_ kind: LimitKind, asset id: String, value: Double, upper: Double = .infinity,
                                        price: (ResolvedBreachPrices) -> Double) -> Int? {
        guard let breachPrices else { return nil }
        let cost = price(breachPrices)
        let column = model.addVariable(lower: 0, upper: upper, cost: cost, name: "\(id)_breach_\(kind.rawValue)")
        breaches.append(BreachVariables(limit: kind, owner: "", asset: id, value: value, columns: [column], costPerUnit: cost, amountPerUnit: 1))
        return column
    }
}

/// Variables of one role, one column per step.
public struct AssetVariables: Sendable {
    public var role: ScheduleVariable
    public var columns: [Int]

    public init(_ role: ScheduleVariable, _ columns: [Int]) {
        self.role = role
        self.columns = columns
    }
}

/// The values of an asset's variables in a solution, by role.
public struct AssetValues: Sendable {
    public var byRole: [ScheduleVariable: [Double]]

    public init(_ byRole: [ScheduleVariable: [Double]]) { self.byRole = byRole }

    /// The role's values, one per step; empty when the asset has no such variable.
    public subscript(role: ScheduleVariable) -> [Double] { byRole[role] ?? [] }
}

/// The parts the dispatch's cost is split into (`summary.json` "costParts").
public enum CostPart: String, Sendable, CaseIterable {
    case energy, peak, carbon, degradation, shedding, curtailment
}

/// A rule a value breaks: the field and what is wrong, e.g. `capacityKW` / `must be ≥ 0, got -5`.
public struct FieldProblem: Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    /// Other fields the rule compares `field` with.
    public var related: [String]

    public init(_ field: String, _ message: String, comparedWith related: [String] = []) {
        self.field = field
        self.message = message
        self.related = related
    }

    public var description: String { "field '\(field)' \(message)" }
}

/// The asset types a scenario can use, by their `type` names.
public enum AssetTypes {
    /// Every asset type's reader; the order is the order of the error message's list.
    static let all: [any AssetFileReading.Type] = [Generator.self, Battery.self, Shiftable.self, Curtailable.self, Electrolyzer.self]

    /// Every `type` name scenario.json accepts.
    public static var names: [String] { all.flatMap { $0.typeNames } }

    static func reader(for name: String) -> (any AssetFileReading.Type)? {
        all.first { $0.typeNames.contains(name) }
    }
}

/// How an asset type reads its fields from scenario.json.
protocol AssetFileReading: AssetKind {
    /// The `type` values this reader handles.
    static var typeNames: [String] { get }
    /// The asset's values from its JSON object. A field that is missing or of the wrong
    /// type is logged and marked failed in `o`, and its value is a placeholder (0, an empty
    /// series). The values' rules are checked by ``AssetKind/problems(steps:owner:)``.
    static func read(_ o: inout JSONObject, type: String, context: AssetReadingContext) -> Self
}

/// What an asset's reader needs besides its object: the time-series resolver and the horizon.
struct AssetReadingContext {
    var series: SeriesResolver
    var horizon: HorizonContext
}
