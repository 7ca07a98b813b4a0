import LinearAlgebra

/// Presolve: reductions that make the LP smaller without changing its optimal value.
/// Rules (each pushes a `PostsolveStep`): empty rows, empty columns, fixed columns,
/// singleton rows (become column bounds) and free column singletons (eliminated with
/// their row); rows whose activity range from the column bounds misses their bounds
/// prove infeasibility. Passes repeat until nothing changes. Cost O(passes × nnz).
struct Presolve {
    enum Outcome {
        case reduced(LinearProgram)
        case infeasible(String)
        case unbounded(String)
    }

    var outcome: Outcome
    var stack: PostsolveStack

    static func identity(_ lp: LinearProgram) -> Presolve {
        var stack = PostsolveStack()
        stack.keptRows = Array(0..<lp.rowCount)
        stack.keptColumns = Array(0..<lp.columnCount)
        return Presolve(outcome: .reduced(lp), stack: stack)
    }

    static func run(_ lp: LinearProgram) -> Presolve {
        var w = PresolveWorkspace(lp)
        let verdict = w.reduce()
        if let verdict { return Presolve(outcome: verdict, stack: w.stack) }
        return w.finish()
    }
}

/// Mutable state of presolve: the model with active flags and entry counts, in CSC
/// and CSR form (coefficients are never changed, only bounds, costs and the offset).
struct PresolveWorkspace {
    let lp: LinearProgram
    let rowWise: SparseMatrix
    var rowLower: [Double]
    var rowUpper: [Double]
    var lower: [Double]
    var upper: [Double]
    var cost: [Double]
    var offset: Double
    var rowActive: [Bool]
    var columnActive: [Bool]
    var rowCount: [Int]
    var columnCount: [Int]
    var stack = PostsolveStack()
    let tolerance = 1e-9

    init(_ lp: LinearProgram) {
        self.lp = lp
        let rw = lp.matrix.transposed()
        rowWise = rw
        rowLower = lp.rowLower
        rowUpper = lp.rowUpper
        lower = lp.columnLower
        upper = lp.columnUpper
        cost = lp.objective
        offset = lp.objectiveOffset
        rowActive = .init(repeating: true, count: lp.rowCount)
        columnActive = .init(repeating: true, count: lp.columnCount)
        rowCount = (0..<lp.rowCount).map { rw.count(ofColumn: $0) }
        columnCount = (0..<lp.columnCount).map { lp.matrix.count(ofColumn: $0) }
    }

    mutating func removeColumn(_ j: Int) {
        columnActive[j] = false
        let a = lp.matrix
        for k in a.columnStarts[j]..<a.columnStarts[j + 1] where rowActive[a.rowIndices[k]] { rowCount[a.rowIndices[k]] -= 1 }
    }

    mutating func removeRow(_ i: Int) {
        rowActive[i] = false
        for k in rowWise.columnStarts[i]..<rowWise.columnStarts[i + 1] where columnActive[rowWise.rowIndices[k]] {
            columnCount[rowWise.rowIndices[k]] -= 1
        }
    }

    /// Fixes column j at v: shifts its rows' bounds and the offset.
    mutating func fix(_ j: Int, at v: Double) {
        let a = lp.matrix
        if v != 0 {
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] where rowActive[a.rowIndices[k]] {
                let i = a.rowIndices[k]
                rowLower[i] -= a.values[k] * v
                rowUpper[i] -= a.values[k] * v
            }
        }
        offset += cost[j] * v
        stack.steps.append(.fixColumn(column: j, value: v))
        removeColumn(j)
    }

    /// Applies the rules until a fixed point; returns a verdict when one is proven.
    mutating func reduce() -> Presolve.Outcome? {
        var changed = true
        var passes = 0
        while changed && passes < 20 {
            changed = false
            passes += 1
            for j in 0..<lp.columnCount where columnActive[j] {
                if lower[j] > upper[j] + tolerance * max(1, abs(lower[j])) {
                    return .infeasible("column \(lp.columnName(j)) has bounds [\(lower[j]), \(upper[j])]")
                }
                if lower[j] >= upper[j] {
                    fix(j, at: lower[j]); changed = true; continue
                }
                if columnCount[j] == 0 {
                    let c = cost[j]
                    let best = c > 0 ? lower[j] : c < 0 ? upper[j] : (lower[j].isFinite ? lower[j] : upper[j].isFinite ? upper[j] : 0)
                    if best.isFinite { fix(j, at: best); changed = true }
                }
            }
            for i in 0..<lp.rowCount where rowActive[i] {
                if rowCount[i] == 0 {
                    if rowLower[i] > tolerance * max(1, abs(rowLower[i])) || rowUpper[i] < -tolerance * max(1, abs(rowUpper[i])) {
                        return .infeasible("row \(lp.rowName(i)) has no entries left but needs [\(rowLower[i]), \(rowUpper[i])]")
                    }
                    removeRow(i); changed = true
                } else if rowCount[i] == 1 {
                    if let verdict = singletonRow(i) { return verdict }
                    changed = true
                }
            }
            for j in 0..<lp.columnCount where columnActive[j] && columnCount[j] == 1
                && lower[j] == -.infinity && upper[j] == .infinity {
                if freeColumnSingleton(j) { changed = true }
            }
            for i in 0..<lp.rowCount where rowActive[i] {
                if let why = activityConflict(i) { return .infeasible(why) }
            }
        }
        return nil
    }

    mutating func singletonRow(_ i: Int) -> Presolve.Outcome? {
        var j = -1, a = 0.0
        for k in rowWise.columnStarts[i]..<rowWise.columnStarts[i + 1] where columnActive[rowWise.rowIndices[k]] {
            j = rowWise.rowIndices[k]; a = rowWise.values[k]
        }
        var lo = rowLower[i] / a, hi = rowUpper[i] / a
        if a < 0 { swap(&lo, &hi) }
        let fromLower = lo >= lower[j]
        let fromUpper = hi <= upper[j]
        if fromLower { lower[j] = lo }
        if fromUpper { upper[j] = hi }
        if lower[j] > upper[j] {
            if lower[j] - upper[j] > tolerance * max(1, abs(lower[j])) {
                return .infeasible("row \(lp.rowName(i)) forces \(lp.columnName(j)) into [\(lower[j]), \(upper[j])]")
            }
            upper[j] = lower[j]
        }
        stack.steps.append(.singletonRow(row: i, column: j, coefficient: a, cost: cost[j],
                                         lowerFromRow: fromLower, upperFromRow: fromUpper))
        removeRow(i)
        return nil
    }

    /// Row activity bounds from the column bounds: a row whose least activity exceeds its
    /// upper bound, or whose greatest activity falls short of its lower bound, cannot be
    /// satisfied. Returns the reason, or nil.
    func activityConflict(_ i: Int) -> String? {
        var minAct = 0.0, maxAct = 0.0, scale = 1.0
        for k in rowWise.columnStarts[i]..<rowWise.columnStarts[i + 1] where columnActive[rowWise.rowIndices[k]] {
            let j = rowWise.rowIndices[k], a = rowWise.values[k]
            let lo = a > 0 ? a * lower[j] : a * upper[j]
            let hi = a > 0 ? a * upper[j] : a * lower[j]
            minAct += lo
            maxAct += hi
            if lo.isFinite { scale = max(scale, abs(lo)) }
            if hi.isFinite { scale = max(scale, abs(hi)) }
        }
        let tol = 1e-9 * max(scale, abs(rowLower[i].isFinite ? rowLower[i] : 0), abs(rowUpper[i].isFinite ? rowUpper[i] : 0))
        if minAct > rowUpper[i] + tol {
            return "row \(lp.rowName(i)): its least possible activity \(minAct) exceeds its upper bound \(rowUpper[i])"
        }
        if maxAct < rowLower[i] - tol {
            return "row \(lp.rowName(i)): its greatest possible activity \(maxAct) is below its lower bound \(rowLower[i])"
        }
        return nil
    }

    /// Eliminates a free column j that appears in one row only. Returns false when the
    /// row's activity would be pushed to an infinite bound (left to the solver).
    mutating func freeColumnSingleton(_ j: Int) -> Bool {
        let a = lp.matrix
        var i = -1, coefficient = 0.0
        for k in a.columnStarts[j]..<a.columnStarts[j + 1] where rowActive[a.rowIndices[k]] {
            i = a.rowIndices[k]; coefficient = a.values[k]
        }
        let dual = cost[j] / coefficient
        let target: Double?
        if rowLower[i] == rowUpper[i] { target = rowLower[i] } else if dual > 0 { target = rowLower[i] } else if dual < 0 { target = rowUpper[i] } else { target = nil }
        if let target, !target.isFinite { return false }
        var others: [(column: Int, value: Double)] = []
        for k in rowWise.columnStarts[i]..<rowWise.columnStarts[i + 1] {
            let c = rowWise.rowIndices[k]
            if c != j && columnActive[c] { others.append((c, rowWise.values[k])); cost[c] -= dual * rowWise.values[k] }
        }
        if let target { offset += dual * target }
        stack.steps.append(.freeColumnSingleton(row: i, column: j, coefficient: coefficient, cost: cost[j], others: others,
                                                target: target, lower: rowLower[i], upper: rowUpper[i]))
        removeRow(i)
        removeColumn(j)
        return true
    }

    /// Builds the reduced model from the active rows and columns.
    mutating func finish() -> Presolve {
        let rows = (0..<lp.rowCount).filter { rowActive[$0] }
        let columns = (0..<lp.columnCount).filter { columnActive[$0] }
        var newRow = [Int](repeating: -1, count: lp.rowCount)
        for (k, i) in rows.enumerated() { newRow[i] = k }
        let a = lp.matrix
        var starts = [0], ri: [Int] = [], vv: [Double] = []
        for j in columns {
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] where newRow[a.rowIndices[k]] >= 0 {
                ri.append(newRow[a.rowIndices[k]]); vv.append(a.values[k])
            }
            starts.append(ri.count)
        }
        stack.keptRows = rows
        stack.keptColumns = columns
        guard let matrix = try? SparseMatrix(rows: rows.count, columns: columns.count, columnStarts: starts,
                                             rowIndices: ri, values: vv) else {
            return Presolve.identity(lp)
        }
        let reduced = LinearProgram(name: lp.name, sense: .minimize, objective: columns.map { cost[$0] },
                                    objectiveOffset: offset, matrix: matrix,
                                    rowLower: rows.map { rowLower[$0] }, rowUpper: rows.map { rowUpper[$0] },
                                    columnLower: columns.map { lower[$0] }, columnUpper: columns.map { upper[$0] },
                                    rowNames: rows.map { lp.rowName($0) }, columnNames: columns.map { lp.columnName($0) },
                                    blocks: lp.blocks?.restricted(rows: rows, columns: columns))
        return Presolve(outcome: .reduced(reduced), stack: stack)
    }
}
