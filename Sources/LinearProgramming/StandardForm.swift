import LinearAlgebra

/// The interior point's working form:  min cᵀx  s.t.  A x = b,  l ≤ x ≤ u,
/// obtained from the boxed form by one slack column per non-equality row:
/// rl ≤ aᵢx ≤ ru  becomes  aᵢx − sᵢ = 0 with rl ≤ sᵢ ≤ ru (equalities keep b = rl).
/// Slack columns are unit columns, so they add only to the diagonal of A Θ Aᵀ.
struct StandardForm {
    var a: SparseMatrix
    var b: [Double]
    var c: [Double]
    var lower: [Double]
    var upper: [Double]
    /// Number of structural columns (the slacks follow).
    var structural: Int
    /// For each slack column (index − structural), its row.
    var slackRow: [Int]
    /// The model's block labels, each slack column in its row's block (nil: none).
    var blocks: BlockStructure?
    /// Factors from scaled to original units, so that termination is judged on the
    /// original (presolved) model: row residual × rowFactor, x × columnFactor,
    /// reduced cost × dualFactor. All 1 for an unscaled model.
    var rowFactor: [Double]
    var columnFactor: [Double]
    var dualFactor: [Double]

    /// Sets the unit factors from the scaling that produced the model.
    mutating func setFactors(_ s: Scaling) {
        rowFactor = s.row.map { s.bound / $0 }
        columnFactor = s.column.map { $0 * s.bound } + slackRow.map { s.bound / s.row[$0] }
        dualFactor = s.column.map { s.cost / $0 } + slackRow.map { s.cost * s.row[$0] }
    }

    /// `blocks`: the labels of `lp`'s rows and columns (its own, or detected).
    init(_ lp: LinearProgram, blocks: BlockStructure? = nil) throws {
        let m = lp.rowCount, n = lp.columnCount
        var slackRow: [Int] = []
        for i in 0..<m where lp.rowLower[i] != lp.rowUpper[i] { slackRow.append(i) }
        let ns = slackRow.count
        var starts = lp.matrix.columnStarts
        var rows = lp.matrix.rowIndices
        var vals = lp.matrix.values
        starts.reserveCapacity(n + ns + 1)
        rows.reserveCapacity(rows.count + ns)
        vals.reserveCapacity(vals.count + ns)
        for i in slackRow {
            rows.append(i)
            vals.append(-1)
            starts.append(rows.count)
        }
        a = try SparseMatrix(rows: m, columns: n + ns, columnStarts: starts, rowIndices: rows, values: vals)
        b = (0..<m).map { lp.rowLower[$0] == lp.rowUpper[$0] ? lp.rowLower[$0] : 0 }
        c = lp.objective + [Double](repeating: 0, count: ns)
        lower = lp.columnLower + slackRow.map { lp.rowLower[$0] }
        upper = lp.columnUpper + slackRow.map { lp.rowUpper[$0] }
        structural = n
        self.slackRow = slackRow
        self.blocks = blocks?.appendingSlacks(ofRows: slackRow)
        rowFactor = .init(repeating: 1, count: m)
        columnFactor = .init(repeating: 1, count: n + ns)
        dualFactor = .init(repeating: 1, count: n + ns)
    }
}
