import DataFiles
import LinearAlgebra

/// Optimisation direction.
public enum ObjectiveSense: String, Sendable, Codable {
    case minimize
    case maximize
}

/// The one boxed LP form every solver stage consumes:
///
///     minimize (or maximize)  cᵀx + offset
///     subject to              rowLower ≤ A x ≤ rowUpper
///                             columnLower ≤ x ≤ columnUpper
///
/// Infinite bounds are `±.infinity`; equalities have `rowLower == rowUpper`, fixed
/// variables `columnLower == columnUpper`, free ones `(-∞, +∞)`. A is sparse CSC.
public struct LinearProgram: Sendable, Equatable {
    public var name: String
    public var sense: ObjectiveSense
    public var objective: [Double]
    public var objectiveOffset: Double
    public var matrix: SparseMatrix
    public var rowLower: [Double]
    public var rowUpper: [Double]
    public var columnLower: [Double]
    public var columnUpper: [Double]
    /// Optional names (empty when the model is unnamed).
    public var rowNames: [String]
    public var columnNames: [String]
    /// Name of the objective row (MPS).
    public var objectiveName: String
    /// Integrality marks, one per column (`true`: the column is declared integer), or
    /// empty when every column is continuous. The interior-point solver solves linear
    /// programs only: it refuses a model with integer columns unless
    /// ``SolverSettings/relaxIntegers`` asks for the LP relaxation, and the result then
    /// says so (``SolveResult/integralityRelaxed``). The marks are kept so that
    /// ``MPSWriter`` writes them back.
    public var integrality: [Bool]
    /// Which block each row and column belongs to, when the model says so (nil: unlabelled;
    /// the solver then looks for a structure itself, ``BlockStructure/detect(_:limits:)``).
    public var blocks: BlockStructure?

    public var rowCount: Int { matrix.rows }
    public var columnCount: Int { matrix.columns }
    /// Number of columns declared integer.
    public var integerColumnCount: Int { integrality.reduce(0) { $0 + ($1 ? 1 : 0) } }

    public init(name: String = "", sense: ObjectiveSense = .minimize, objective: [Double], objectiveOffset: Double = 0,
                matrix: SparseMatrix, rowLower: [Double], rowUpper: [Double],
                columnLower: [Double], columnUpper: [Double],
                rowNames: [String] = [], columnNames: [String] = [], objectiveName: String = "obj",
                integrality: [Bool] = [], blocks: BlockStructure? = nil) {
        self.name = name
        self.sense = sense
        self.objective = objective
        self.objectiveOffset = objectiveOffset
        self.matrix = matrix
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.columnLower = columnLower
        self.columnUpper = columnUpper
        self.rowNames = rowNames
        self.columnNames = columnNames
        self.objectiveName = objectiveName
        self.integrality = integrality
        self.blocks = blocks
    }

    /// Name of row i (generated as `R<i>` when the model is unnamed).
    public func rowName(_ i: Int) -> String { i < rowNames.count ? rowNames[i] : "R\(i)" }
    /// Name of column j (generated as `C<j>` when the model is unnamed).
    public func columnName(_ j: Int) -> String { j < columnNames.count ? columnNames[j] : "C\(j)" }

    /// Checks dimensions and bound consistency. Crossed bounds are not an input error
    /// (they make the model infeasible) and are left to the solver.
    public func validate() throws {
        let m = matrix.rows, n = matrix.columns
        func check(_ ok: Bool, _ what: @autoclosure () -> String) throws { if !ok { throw LPModelError.inconsistent(what()) } }
        try check(objective.count == n, "objective has \(objective.count) entries for \(n) columns")
        try check(columnLower.count == n && columnUpper.count == n, "column bounds do not match \(n) columns")
        try check(rowLower.count == m && rowUpper.count == m, "row bounds do not match \(m) rows")
        try check(rowNames.isEmpty || rowNames.count == m, "row names do not match \(m) rows")
        try check(columnNames.isEmpty || columnNames.count == n, "column names do not match \(n) columns")
        try check(integrality.isEmpty || integrality.count == n, "integrality marks do not match \(n) columns")
        for j in 0..<n {
            try check(objective[j].isFinite, "objective coefficient of \(columnName(j)) is not finite")
            try check(!columnLower[j].isNaN && !columnUpper[j].isNaN, "bound of \(columnName(j)) is NaN")
            try check(columnLower[j] != .infinity && columnUpper[j] != -.infinity,
                      "bounds of \(columnName(j)) are [\(columnLower[j]), \(columnUpper[j])]")
        }
        for i in 0..<m {
            try check(!rowLower[i].isNaN && !rowUpper[i].isNaN, "bound of row \(rowName(i)) is NaN")
            try check(rowLower[i] != .infinity && rowUpper[i] != -.infinity,
                      "bounds of row \(rowName(i)) are [\(rowLower[i]), \(rowUpper[i])]")
        }
        for j in 0..<n {
            for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] where !matrix.values[k].isFinite {
                try check(false, "the coefficient of \(columnName(j)) in row \(rowName(matrix.rowIndices[k])) is \(matrix.values[k])")
            }
        }
        try check(objectiveOffset.isFinite, "objective offset is not finite")
        try blocks?.validate(matrix, rowName: rowName, columnName: columnName)
    }

    /// Objective value cᵀx + offset of a point (in the model's own sense).
    public func objectiveValue(_ x: [Double]) -> Double {
        var s = objectiveOffset
        for j in 0..<objective.count { s += objective[j] * x[j] }
        return s
    }
}

/// A model that is not internally consistent (programming error of an integrator,
/// reported as an error instead of a crash).
public enum LPModelError: Error, Equatable, CustomStringConvertible {
    case inconsistent(String)
    case unknownVariable(Int)
    case duplicateEntry(row: Int, column: Int)
    /// The model declares integer columns and the solver was not asked to relax them.
    case integerColumns(count: Int, first: String)

    /// One line: row and column names come from input files (MPS) and may hold control
    /// characters, which are written as escapes (`Printable`).
    public var description: String { Printable.escaped(text, limit: 1000) }

    private var text: String {
        switch self {
        case .integerColumns(let count, let first):
            return "the model declares \(count) integer column\(count == 1 ? "" : "s") (first: \(first)); the solver "
                + "handles linear programs only and would solve the LP relaxation, whose optimum is not the integer "
                + "optimum: set relaxIntegers to solve the relaxation anyway"
        case .inconsistent(let s): return "inconsistent LP: \(s)"
        case .unknownVariable(let j): return "unknown variable index \(j)"
        case .duplicateEntry(let i, let j): return "duplicate coefficient for row \(i), column \(j)"
        }
    }
}
