import LinearAlgebra

/// Builds a `LinearProgram` row-wise or column-wise, for integrators:
///
///     var b = ModelBuilder(sense: .minimize)
///     let x = b.addVariable(lower: 0, upper: 4, cost: 1, name: "x")
///     let y = b.addVariable(lower: 0, cost: 2, name: "y")
///     b.addConstraint([(x, 1), (y, 1)], lower: 2, upper: .infinity, name: "demand")
///     let lp = try b.build()
///
/// Coefficients are collected as triplets and compressed once in `build()`,
/// O(nnz) time and memory.
public struct ModelBuilder: Sendable {
    public var name: String
    public var sense: ObjectiveSense
    public var objectiveOffset: Double = 0
    private var cost: [Double] = []
    private var lower: [Double] = []
    private var upper: [Double] = []
    private var columnNames: [String] = []
    private var integer: [Bool] = []
    private var rowLower: [Double] = []
    private var rowUpper: [Double] = []
    private var rowNames: [String] = []
    private var rowsOfEntries: [Int] = []
    private var columnsOfEntries: [Int] = []
    private var valuesOfEntries: [Double] = []
    private var named = false
    private var rowBlock: [Int] = []
    private var columnBlock: [Int] = []
    private var blockNames: [String] = []
    /// The block that rows and columns added from now on belong to; nil adds them as
    /// linking rows and columns (``BlockStructure``). Set it to a number from
    /// ``addBlock(named:)``. A model that never adds a block is built without labels.
    public var currentBlock: Int?
    /// The overflow columns added by ``addOverflow(of:side:cost:upper:name:)``, in order.
    public private(set) var overflows: [Overflow] = []

    public init(name: String = "", sense: ObjectiveSense = .minimize) {
        self.name = name
        self.sense = sense
    }

    public var variableCount: Int { cost.count }
    /// Blocks added so far.
    public var blockCount: Int { blockNames.count }

    /// Adds a block (a firm, a scenario) and returns its number, for ``currentBlock``.
    public mutating func addBlock(named name: String) -> Int {
        blockNames.append(name)
        return blockNames.count - 1
    }
    public var constraintCount: Int { rowLower.count }

    /// Adds a variable `lower ≤ x ≤ upper` with objective coefficient `cost`; returns its index.
    /// `integer` marks it integer (``LinearProgram/integrality``).
    @discardableResult
    public mutating func addVariable(lower: Double = 0, upper: Double = .infinity, cost: Double = 0, name: String? = nil,
                                     integer: Bool = false) -> Int {
        self.integer.append(integer)
        columnBlock.append(currentBlock ?? BlockStructure.linking)
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        if let name { named = true; columnNames.append(name) } else { columnNames.append("C\(self.cost.count - 1)") }
        return self.cost.count - 1
    }

    /// Adds a variable together with its coefficients in existing rows (column-wise building).
    @discardableResult
    public mutating func addColumn(_ entries: [(row: Int, value: Double)], lower: Double = 0, upper: Double = .infinity,
                                   cost: Double = 0, name: String? = nil, integer: Bool = false) -> Int {
        let j = addVariable(lower: lower, upper: upper, cost: cost, name: name, integer: integer)
        for e in entries { rowsOfEntries.append(e.row); columnsOfEntries.append(j); valuesOfEntries.append(e.value) }
        return j
    }

    /// Adds the range constraint `lower ≤ Σ aⱼ xⱼ ≤ upper`; returns its index.
    @discardableResult
    public mutating func addConstraint(_ entries: [(variable: Int, value: Double)], lower: Double, upper: Double,
                                       name: String? = nil) -> Int {
        let i = rowLower.count
        rowBlock.append(currentBlock ?? BlockStructure.linking)
        rowLower.append(lower)
        rowUpper.append(upper)
        if let name { named = true; rowNames.append(name) } else { rowNames.append("R\(i)") }
        for e in entries { rowsOfEntries.append(i); columnsOfEntries.append(e.variable); valuesOfEntries.append(e.value) }
        return i
    }

    /// Adds an empty constraint row, for column-wise building.
    @discardableResult
    public mutating func addRow(lower: Double, upper: Double, name: String? = nil) -> Int {
        addConstraint([], lower: lower, upper: upper, name: name)
    }

    /// Which bound of a column an overflow extends.
    public enum OverflowSide: Sendable, Equatable {
        /// Beyond the upper bound: the column's value is x + e.
        case above
        /// Below the lower bound: the column's value is x − e.
        case below

        /// +1 above, −1 below.
        public var sign: Double { self == .above ? 1 : -1 }
    }

    /// A column `overflow` that extends `column` beyond one of its bounds.
    public struct Overflow: Sendable, Equatable {
        public var column: Int
        public var overflow: Int
        public var side: OverflowSide
    }

    /// Adds a column e (0 ≤ e ≤ `upper`) that lets `column` go beyond its upper bound
    /// (`side` `.above`: the value is x + e) or below its lower bound (`.below`: x − e), at
    /// `cost` per unit on top of the column's own cost: a soft bound. e enters every row
    /// `column` enters, including rows added later, with the column's coefficients times
    /// ±1, and costs ±cost(x) + `cost`; read the solution through ``folded(_:)``. Unlike a
    /// row x − e ≤ u, it adds no row, and e has x's sparsity pattern, so the normal
    /// equations AΘAᵀ keep theirs. Returns e's index.
    ///
    ///     var b = ModelBuilder()
    ///     let x = b.addVariable(lower: 0, upper: 10, cost: 1, name: "import")
    ///     b.addOverflow(of: x, side: .above, cost: 100, name: "import_breach")
    ///     b.addConstraint([(x, 1)], lower: 12, upper: .infinity, name: "demand")
    ///     // optimum: x = 10, e = 2, cost 10 + 2 · (1 + 100); folded value of x: 12
    @discardableResult
    public mutating func addOverflow(of column: Int, side: OverflowSide, cost: Double, upper: Double = .infinity,
                                     name: String? = nil) -> Int {
        let e = addVariable(lower: 0, upper: upper, cost: cost, name: name)
        if column >= 0 && column < e { columnBlock[e] = columnBlock[column] }  // in its column's block
        overflows.append(Overflow(column: column, overflow: e, side: side))
        return e
    }

    /// A solution of the built model with each overflow folded into its column
    /// (x + e above, x − e below); the overflow columns keep their own values.
    public func folded(_ x: [Double]) -> [Double] {
        var v = x
        for o in overflows where o.column < v.count && o.overflow < v.count { v[o.column] += o.side.sign * x[o.overflow] }
        return v
    }

    /// Sets the objective coefficient of a variable.
    public mutating func setCost(_ variable: Int, _ value: Double) { cost[variable] = value }

    /// Compresses the collected coefficients; repeated (row, variable) pairs are an error, and
    /// so are block labels that do not give a block-angular matrix
    /// (``BlockStructure/validate(_:rowName:columnName:)``).
    public func build() throws -> LinearProgram {
        let n = cost.count, m = rowLower.count
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(valuesOfEntries.count)
        for k in 0..<valuesOfEntries.count {
            let i = rowsOfEntries[k], j = columnsOfEntries[k]
            guard j >= 0, j < n else { throw LPModelError.unknownVariable(j) }
            guard i >= 0, i < m else { throw LPModelError.inconsistent("unknown row index \(i)") }
            triplets.append((i, j, valuesOfEntries[k]))
        }
        var cost = self.cost
        if !overflows.isEmpty {
            // Each overflow column copies its column's entries (times ±1) and cost.
            var extensions: [Int: [(overflow: Int, sign: Double)]] = [:]
            let isOverflow = Set(overflows.map(\.overflow))
            for o in overflows {
                guard o.column >= 0, o.column < n else { throw LPModelError.unknownVariable(o.column) }
                guard !isOverflow.contains(o.column) else {
                    throw LPModelError.inconsistent("overflow \(columnNames[o.overflow]) extends another overflow, \(columnNames[o.column])")
                }
                extensions[o.column, default: []].append((o.overflow, o.side.sign))
                cost[o.overflow] += o.side.sign * self.cost[o.column]
            }
            for k in 0..<valuesOfEntries.count {
                guard let list = extensions[columnsOfEntries[k]] else { continue }
                for e in list { triplets.append((rowsOfEntries[k], e.overflow, e.sign * valuesOfEntries[k])) }
            }
        }
        let transposedPattern = try SparseMatrix(rows: n, columns: m, triplets: triplets.map { ($0.column, $0.row, 1.0) })
        if transposedPattern.nonzeros != triplets.count {
            // A pair given twice shows up as an entry of 2 in the summed pattern.
            for j in 0..<m {
                for k in transposedPattern.columnStarts[j]..<transposedPattern.columnStarts[j + 1]
                where transposedPattern.values[k] > 1 {
                    throw LPModelError.duplicateEntry(row: j, column: transposedPattern.rowIndices[k])
                }
            }
        }
        let a = try SparseMatrix(rows: m, columns: n, triplets: triplets)
        var lp = LinearProgram(name: name, sense: sense, objective: cost, objectiveOffset: objectiveOffset, matrix: a,
                               rowLower: rowLower, rowUpper: rowUpper, columnLower: lower, columnUpper: upper,
                               rowNames: named ? rowNames : [], columnNames: named ? columnNames : [],
                               integrality: integer.contains(true) ? integer : [])
        if !blockNames.isEmpty {
            lp.blocks = BlockStructure(rowBlock: rowBlock, columnBlock: columnBlock, names: blockNames)
        }
        try lp.validate()
        return lp
    }
}
