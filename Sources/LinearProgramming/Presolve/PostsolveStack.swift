import LinearAlgebra

/// The record of presolve reductions, undone in reverse order to recover a primal and
/// dual solution of the original model from one of the reduced model.
struct PostsolveStack {
    enum Step {
        /// Column fixed at a value (fixed bounds, or an empty column at its best bound).
        case fixColumn(column: Int, value: Double)
        /// Singleton row turned into bounds on its column; the row's dual is what the
        /// column's reduced cost carries at a bound that came from the row.
        case singletonRow(row: Int, column: Int, coefficient: Double, cost: Double, lowerFromRow: Bool, upperFromRow: Bool)
        /// A free column that appears only in `row` was eliminated with the row.
        /// `target` is the row activity chosen (nil: any value in [lower, upper]).
        case freeColumnSingleton(row: Int, column: Int, coefficient: Double, cost: Double,
                                 others: [(column: Int, value: Double)], target: Double?, lower: Double, upper: Double)
    }

    var steps: [Step] = []
    /// Maps reduced-model indices to original ones.
    var keptRows: [Int] = []
    var keptColumns: [Int] = []

    /// Builds (x, y, z) of the original model from a reduced solution.
    func postsolve(x reducedX: [Double], y reducedY: [Double], z reducedZ: [Double],
                   original: LinearProgram) -> (x: [Double], y: [Double], z: [Double]) {
        let y = dual(reducedY, original: original)
        let reduced = zip(original.objective, original.matrix.multiplyTransposed(y)).map { $0 - $1 }
        return (primal(reducedX, original: original), y, reduced)
    }

    /// The original model's x from a reduced one (the primal steps depend on x alone).
    func primal(_ reducedX: [Double], original: LinearProgram) -> [Double] {
        var x = [Double](repeating: 0, count: original.columnCount)
        for (k, j) in keptColumns.enumerated() where k < reducedX.count { x[j] = reducedX[k] }
        for step in steps.reversed() {
            switch step {
            case .fixColumn(let j, let v):
                x[j] = v
            case .freeColumnSingleton(_, let j, let coefficient, _, let others, let target, let lower, let upper):
                var rest = 0.0
                for o in others { rest += o.value * x[o.column] }
                let activity = target ?? min(max(rest, lower), upper)
                x[j] = (activity - rest) / coefficient
            case .singletonRow:
                break
            }
        }
        return x
    }

    /// The original model's row duals from reduced ones (the dual steps depend on y alone).
    func dual(_ reducedY: [Double], original: LinearProgram) -> [Double] {
        let a = original.matrix
        var y = [Double](repeating: 0, count: original.rowCount)
        for (k, i) in keptRows.enumerated() where k < reducedY.count { y[i] = reducedY[k] }
        for step in steps.reversed() {
            switch step {
            case .singletonRow(let i, let j, let coefficient, let cost, let fromLower, let fromUpper):
                var z = cost
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] where a.rowIndices[k] != i {
                    z -= a.values[k] * y[a.rowIndices[k]]
                }
                if (z > 0 && fromLower) || (z < 0 && fromUpper) { y[i] = z / coefficient }
            case .freeColumnSingleton(let i, _, let coefficient, let cost, _, _, _, _):
                y[i] = cost / coefficient
            case .fixColumn:
                break
            }
        }
        return y
    }
}
