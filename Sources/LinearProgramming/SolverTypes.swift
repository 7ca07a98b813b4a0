/// Settings of the interior-point solver, with defaults that solve the Netlib set.
/// `validate()` rejects nonsensical values with a message naming the field.
public struct SolverSettings: Sendable, Codable, Equatable {
    /// Relative primal infeasibility tolerance: ‖Ax − b‖∞ ≤ ε (1 + ‖b‖∞) (and bounds).
    public var primalTolerance = 1e-8
    /// Relative dual infeasibility tolerance: ‖c − Aᵀy − z‖∞ ≤ ε (1 + ‖c‖∞).
    public var dualTolerance = 1e-8
    /// Relative duality gap tolerance: |pobj − dobj| ≤ ε (1 + |pobj|).
    public var gapTolerance = 1e-8
    /// Tolerance of the infeasibility certificates (Farkas rays).
    public var infeasibilityTolerance = 1e-8
    public var maxIterations = 200
    /// Wall-clock limit in seconds for presolve + solve + postsolve.
    public var timeLimit = Double.infinity
    /// Threads for BLAS and CHOLMOD's supernodal kernels.
    public var threads = 1
    public var presolve = true
    public var scaling = true
    /// Maximum number of Gondzio centrality correctors per iteration.
    public var maxCorrectors = 2
    /// How columns that would fill the sparse factor (linking columns) are found and kept
    /// out of it (``LinkingColumnRule``).
    public var linkingColumns = LinkingColumnRule.fill
    /// `fill`: a column is a candidate with at least this many entries (and at least four
    /// times the median column's).
    public var linkingColumnMinimumEntries = 16
    /// `fill`: candidates are kept out only when the predicted work per iteration with them
    /// in the factor is at least this many times the work without them.
    public var linkingColumnGain = 1.5
    /// At most this many columns are kept out (the dense Schur complement is k × k).
    public var linkingColumnLimit = 500
    /// At most this many entries (kept-out columns × rows) in the dense m × k blocks the
    /// Schur complement needs.
    public var linkingColumnMemory = 2e7
    /// `count`: a column with more than max(denseColumnMinimum, denseColumnFraction × rows)
    /// entries is kept out.
    public var denseColumnFraction = 0.1
    public var denseColumnMinimum = 100
    /// Which KKT backend factorises the Newton systems.
    public var kktBackend = KKTBackend.normalEquations
    /// Solve the LP relaxation of a model with integer columns
    /// (``LinearProgram/integrality``) instead of refusing it. The result says so in
    /// ``SolveResult/integralityRelaxed``.
    public var relaxIntegers = false
    /// Look for a block-angular structure in a model that carries no block labels
    /// (``BlockStructure/detect(_:limits:)``, O(nnz) per threshold tried); the result
    /// reports it in ``SolveResult/blockStructure``. Labels a model carries are always kept.
    public var detectBlocks = false
    /// Log every iteration through the logger given to `LPSolver.solve` (when no progress
    /// callback is given).
    public var verbose = false

    public init() {}

    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ why: String) throws {
            if !ok { throw SolverSettingsError(field: field, reason: why) }
        }
        try check(primalTolerance > 0 && primalTolerance < 1, "primalTolerance", "must lie in (0, 1)")
        try check(dualTolerance > 0 && dualTolerance < 1, "dualTolerance", "must lie in (0, 1)")
        try check(gapTolerance > 0 && gapTolerance < 1, "gapTolerance", "must lie in (0, 1)")
        try check(infeasibilityTolerance > 0 && infeasibilityTolerance < 1, "infeasibilityTolerance", "must lie in (0, 1)")
        try check(maxIterations > 0, "maxIterations", "must be positive")
        try check(timeLimit > 0, "timeLimit", "must be positive")
        try check(threads >= 1, "threads", "must be at least 1")
        try check(maxCorrectors >= 0, "maxCorrectors", "must not be negative")
        try check(denseColumnFraction > 0 && denseColumnFraction <= 1, "denseColumnFraction", "must lie in (0, 1]")
        try check(denseColumnMinimum >= 0, "denseColumnMinimum", "must not be negative")
        try check(linkingColumnMinimumEntries >= 2, "linkingColumnMinimumEntries", "must be at least 2")
        try check(linkingColumnGain >= 1 && linkingColumnGain.isFinite, "linkingColumnGain", "must be finite and at least 1")
        try check(linkingColumnLimit >= 0, "linkingColumnLimit", "must not be negative")
        try check(linkingColumnMemory >= 0 && linkingColumnMemory.isFinite, "linkingColumnMemory", "must be finite and not negative")
    }
}

extension SolverSettings {
    /// Decodes settings written by any version: a missing field takes its default, except
    /// `linkingColumns`, which takes `count`, the rule of settings written before the
    /// field existed (so that a run replays as it was solved).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.primalTolerance, &primalTolerance)
        try read(.dualTolerance, &dualTolerance)
        try read(.gapTolerance, &gapTolerance)
        try read(.infeasibilityTolerance, &infeasibilityTolerance)
        try read(.maxIterations, &maxIterations)
        try read(.timeLimit, &timeLimit)
        try read(.threads, &threads)
        try read(.presolve, &presolve)
        try read(.scaling, &scaling)
        try read(.maxCorrectors, &maxCorrectors)
        linkingColumns = try c.decodeIfPresent(LinkingColumnRule.self, forKey: .linkingColumns) ?? .count
        try read(.linkingColumnMinimumEntries, &linkingColumnMinimumEntries)
        try read(.linkingColumnGain, &linkingColumnGain)
        try read(.linkingColumnLimit, &linkingColumnLimit)
        try read(.linkingColumnMemory, &linkingColumnMemory)
        try read(.denseColumnFraction, &denseColumnFraction)
        try read(.denseColumnMinimum, &denseColumnMinimum)
        try read(.kktBackend, &kktBackend)
        try read(.relaxIntegers, &relaxIntegers)
        try read(.detectBlocks, &detectBlocks)
        try read(.verbose, &verbose)
    }
}

/// A solver setting out of its range, naming the setting and the range.
public struct SolverSettingsError: Error, CustomStringConvertible {
    public let field: String
    public let reason: String
    public var description: String { "solver setting '\(field)' \(reason)" }
}

/// The solver's verdict. Broken input is a thrown error instead.
public enum SolveStatus: String, Sendable, Codable {
    case optimal
    /// Primal infeasible (a Farkas certificate was found).
    case infeasible
    /// Dual infeasible with a feasible primal: the objective is unbounded.
    case unbounded
    case iterationLimit = "iteration_limit"
    case timeLimit = "time_limit"
    case numericalError = "numerical_error"

    /// True for a mathematical verdict about the model.
    public var isVerdict: Bool { self == .optimal || self == .infeasible || self == .unbounded }
}

/// One interior-point iteration, as printed in the log.
public struct IterationRecord: Sendable {
    public var iteration: Int
    public var primalObjective: Double
    public var dualObjective: Double
    public var primalInfeasibility: Double
    public var dualInfeasibility: Double
    public var mu: Double
    public var stepPrimal: Double
    public var stepDual: Double
    public var seconds: Double
}

/// Solution and statistics, in terms of the original model.
public struct SolveResult: Sendable {
    public var status: SolveStatus
    /// cᵀx + offset in the model's own sense (NaN when there is no solution).
    public var objective: Double
    public var x: [Double]
    /// Row duals y (∂objective/∂row bound, HiGHS's sign convention for minimisation). For
    /// an infeasible verdict from the second look (`FarkasCheck`): the certificate's
    /// multipliers, min over r in the row bounds of yᵀr > max over the column bounds of yᵀAx.
    public var rowDuals: [Double]
    /// Reduced costs c − Aᵀy.
    public var reducedCosts: [Double]
    public var rowActivity: [Double]
    public var iterations: Int
    /// Presolve + solve + postsolve, excluding reading the model.
    public var seconds: Double
    /// Relative residuals of the returned solution on the original model.
    public var primalInfeasibility: Double
    public var dualInfeasibility: Double
    public var relativeGap: Double
    public var presolvedRows: Int
    public var presolvedColumns: Int
    /// The KKT backend that solved the interior point's systems (its ``KKTInfo/backend``;
    /// empty when presolve decided).
    public var kktBackend = ""
    public var denseColumns: Int
    public var factorNonzeros: Int
    /// What the linking-column detection considered and kept out of the factor (nil when
    /// no interior-point solve ran, e.g. presolve decided).
    public var linkingColumns: LinkingColumnReport?
    /// True when the solve with linking columns kept out broke down and was restarted
    /// with every column in the factor (`linkingColumns` reports the first attempt).
    public var linkingColumnsAbandoned = false
    /// The block structure of the presolved model: its labels (``LinearProgram/blocks``), or
    /// what detection found (``SolverSettings/detectBlocks``); nil when it has neither.
    public var blockStructure: BlockStructure.Summary?
    /// True when the point found was feasible only within the last decade of the primal
    /// tolerance, or there was no verdict, and the solver solved the elastic problem
    /// looking for a Farkas certificate (`FarkasCheck`), a second solve.
    public var secondLook = false
    /// True when the model declares integer columns and the result is its LP relaxation
    /// (``SolverSettings/relaxIntegers``): the objective is then a bound on the integer
    /// optimum, not the integer optimum.
    public var integralityRelaxed = false
    /// Number of integer columns whose integrality was dropped (0 unless relaxed).
    public var relaxedIntegerColumns = 0
    public var message: String
    /// The bounded-primal correction of x (in the presolved model's columns), while the
    /// solver decides whether to use it.
    var correctedX: [Double]?

    static func empty(_ status: SolveStatus, message: String = "") -> SolveResult {
        SolveResult(status: status, objective: .nan, x: [], rowDuals: [], reducedCosts: [], rowActivity: [], iterations: 0,
                    seconds: 0, primalInfeasibility: .nan, dualInfeasibility: .nan, relativeGap: .nan,
                    presolvedRows: 0, presolvedColumns: 0, denseColumns: 0, factorNonzeros: 0, message: message)
    }
}
