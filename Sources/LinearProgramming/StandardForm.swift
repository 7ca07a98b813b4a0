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

    init(_ lp: LinearProgram) throws {
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
    }
}
