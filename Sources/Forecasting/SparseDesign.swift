import LinearAlgebra

/// A regression design kept sparse: Xᵀ as the project's CSC `SparseMatrix` (p × n), so
/// column r holds row r's nonzeros. Ridge's design is mostly one-hot blocks (hour of week,
/// level and drivers by hour, hinges by block): a row has 10–50 nonzeros of p = 200–400
/// columns, so Gram matrices cost Σ nnz² instead of the n·p² of a dense product, and a
/// prediction costs nnz instead of p (uci_household's ridge backtest: 2.0 s with dense
/// products, 0.18 s with this).
struct SparseDesign {
    let xt: SparseMatrix

    init(_ rows: some Collection<[Double]>, columns p: Int) {
        var starts = [0], index: [Int] = [], value: [Double] = []
        starts.reserveCapacity(rows.count + 1)
        for x in rows {
            for i in 0..<p where x[i] != 0 { index.append(i); value.append(x[i]) }
            starts.append(index.count)
        }
        // Built sorted and in range, so the checked initialiser cannot fail.
        xt = (try? SparseMatrix(rows: p, columns: rows.count, columnStarts: starts, rowIndices: index, values: value))
            ?? SparseMatrix(rows: p, columns: 0)
    }

    var columns: Int { xt.rows }
    var rowCount: Int { xt.columns }

    /// xᵣ·β.
    func dot(_ r: Int, _ beta: [Double]) -> Double {
        var s = 0.0
        for k in xt.columnStarts[r]..<xt.columnStarts[r + 1] { s += xt.values[k] * beta[xt.rowIndices[k]] }
        return s
    }

    /// XᵀWX and XᵀWy over `rows` (W = I without `weights`, which are indexed like y).
    func gram(_ rows: Range<Int>, _ y: [Double], weights: [Double]? = nil) -> RidgeForecaster.Gram {
        let p = columns
        var a = [Double](repeating: 0, count: p * p)
        var b = [Double](repeating: 0, count: p)
        let index = xt.rowIndices, value = xt.values
        a.withUnsafeMutableBufferPointer { a in
            for r in rows {
                let w = weights?[r] ?? 1
                let lo = xt.columnStarts[r], hi = xt.columnStarts[r + 1]
                for k in lo..<hi {
                    let i = index[k], wv = w * value[k]
                    b[i] += wv * y[r]
                    // Upper triangle, column-major (indices ascend within a row: i ≤ j).
                    for l in k..<hi { a[i + index[l] * p] += wv * value[l] }
                }
            }
            for j in 0..<p { for i in 0..<j { a[j + i * p] = a[i + j * p] } }
        }
        var m = DenseMatrix(rows: p, columns: p)
        m.values = a
        return RidgeForecaster.Gram(a: m, b: b)
    }
}
