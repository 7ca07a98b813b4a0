import Foundation
import ParkModel

/// `summary.json` of a run, as Codable types: what an energy manager or another program
/// reads first. Its JSON Schema is `docs/summary.schema.json` (tests validate written
/// summaries against it). Absent figures (an infeasible run's objective, a firm without a
/// standalone cost) are `null`, never left out; `standaloneNote`, `conflicts` and
/// `forecasts` appear only when there is something in them, `limits` and `breaches` only
/// for a run with soft limits.
///
/// ```swift
/// let summary = try JSONDecoder().decode(DispatchSummary.self, from: Data(contentsOf: url))
/// print(summary.status, summary.objective ?? .nan, summary.settlement["f03"] ?? 0)
/// ```
public struct DispatchSummary: Codable, Sendable, Equatable {
    /// Size of the dispatch LP.
    public struct LPSize: Codable, Sendable, Equatable {
        /// Constraints, variables and nonzero coefficients.
        public var rows: Int, columns: Int, nonzeros: Int
    }

    /// One forecast series the run made.
    public struct Forecast: Codable, Sendable, Equatable {
        public var series: String
        /// "load" or "profile".
        public var role: String
        /// The model that made it (`auto:ridge` when `auto` chose ridge).
        public var model: String
        public var historyFile: String
        public var historyHours: Int
        /// Mean absolute error of p50 against the scenario's own values, when it has them.
        public var maeAgainstActual: Double?
        /// What the fit had to say (e.g. candidates left out for want of history).
        public var notes: [String]?

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(series, forKey: .series)
            try c.encode(role, forKey: .role)
            try c.encode(model, forKey: .model)
            try c.encode(historyFile, forKey: .historyFile)
            try c.encode(historyHours, forKey: .historyHours)
            try c.encode(maeAgainstActual, forKey: .maeAgainstActual)
            try c.encodeIfPresent(notes, forKey: .notes)
        }
    }

    /// A re-plan's place: where it starts and what it replaces (``PlanRevision`` without its state).
    public struct Revision: Codable, Sendable, Equatable {
        public var at: String
        public var firstStep: Int
        public var horizonSteps: Int
        public var replaces: Int64?
        public var notes: [String]

        public init(at: String, firstStep: Int, horizonSteps: Int, replaces: Int64?, notes: [String]) {
            self.at = at
            self.firstStep = firstStep
            self.horizonSteps = horizonSteps
            self.replaces = replaces
            self.notes = notes
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(at, forKey: .at)
            try c.encode(firstStep, forKey: .firstStep)
            try c.encode(horizonSteps, forKey: .horizonSteps)
            try c.encode(replaces, forKey: .replaces)
            try c.encode(notes, forKey: .notes)
        }
    }

    /// The scenario's name.
    public var scenario: String
    /// The currency of every cost and price.
    public var currency: String
    /// "optimal", "infeasible", … (`SolveStatus`).
    public var status: String
    /// Total cost of the park's dispatch, in `currency`.
    public var objective: Double?
    /// The objective's parts (energy, peak, carbon, shed, …).
    public var parts: [String: Double]
    /// λ per step: the dual of the park balance divided by the step's hours.
    public var internalPrice: [Double]
    public var internalPriceNote: String
    /// What each firm pays (positive) or is paid, at λ.
    public var settlement: [String: Double]
    /// What each firm would pay alone; null when it cannot run alone.
    public var standaloneCost: [String: Double?]
    /// Why a firm has no standalone cost.
    public var standaloneNote: [String: String]?
    /// Sum of the standalone costs minus the park's cost.
    public var valueOfCluster: Double?
    /// Largest violation of the park balance in the solution (kW).
    public var parkResidual: Double?
    public var conflicts: [String]?
    /// "soft" when the run's limits were soft; absent for hard (v1) limits.
    public var limits: String?
    /// With soft limits: the limits the plan breaches (empty when none).
    public var breaches: [ParkModel.Breach]?
    /// For a re-plan (`flexdispatch plan`): where it starts and what it replaces.
    public var revision: Revision?
    public var forecasts: [Forecast]?
    /// Interior-point iterations of the park's problem.
    public var iterations: Int
    /// Time spent solving the park's problem and the standalone ones.
    public var solveSeconds: Double
    /// Size of the park's LP.
    public var lp: LPSize

    /// The summary of a solved scenario (a re-plan when `revision` is given).
    public init(run r: DispatchRun, scenario s: Scenario, revision plan: PlanRevision? = nil) {
        scenario = s.name
        currency = s.currency
        status = r.status.rawValue
        objective = r.objective
        parts = r.parts
        internalPrice = r.internalPrice
        internalPriceNote = "dual of the park balance / step hours; the interior point's limit (centre of the optimal dual face)"
        settlement = r.settlement
        standaloneCost = r.standaloneCost
        standaloneNote = r.standaloneNote.isEmpty ? nil : r.standaloneNote
        valueOfCluster = r.valueOfCluster
        parkResidual = r.parkResidual
        conflicts = r.conflicts.isEmpty ? nil : r.conflicts
        limits = r.limits == .soft ? LimitMode.soft.rawValue : nil
        breaches = r.limits == .soft ? r.breaches : nil
        revision = plan.map { Revision(at: $0.at, firstStep: $0.firstStep, horizonSteps: $0.horizonSteps, replaces: $0.replaces, notes: $0.notes) }
        forecasts = s.forecasts.isEmpty ? nil : s.forecasts.map {
            Forecast(series: $0.series, role: $0.role, model: $0.model, historyFile: $0.historyFile, historyHours: $0.historyHours,
                     maeAgainstActual: $0.maeAgainstActual, notes: $0.notes.isEmpty ? nil : $0.notes)
        }
        iterations = r.iterations
        solveSeconds = r.solveSeconds
        lp = LPSize(rows: r.rows, columns: r.columns, nonzeros: r.nonzeros)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(currency, forKey: .currency)
        try c.encode(status, forKey: .status)
        try c.encode(objective, forKey: .objective)
        try c.encode(parts, forKey: .parts)
        try c.encode(internalPrice, forKey: .internalPrice)
        try c.encode(internalPriceNote, forKey: .internalPriceNote)
        try c.encode(settlement, forKey: .settlement)
        try c.encode(standaloneCost, forKey: .standaloneCost)
        try c.encodeIfPresent(standaloneNote, forKey: .standaloneNote)
        try c.encode(valueOfCluster, forKey: .valueOfCluster)
        try c.encode(parkResidual, forKey: .parkResidual)
        try c.encodeIfPresent(conflicts, forKey: .conflicts)
        try c.encodeIfPresent(limits, forKey: .limits)
        try c.encodeIfPresent(breaches, forKey: .breaches)
        try c.encodeIfPresent(revision, forKey: .revision)
        try c.encodeIfPresent(forecasts, forKey: .forecasts)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(solveSeconds, forKey: .solveSeconds)
        try c.encode(lp, forKey: .lp)
    }

    /// The JSON text as `summary.json` holds it (sorted keys, indented).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
