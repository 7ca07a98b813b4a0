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
        var builder = Builder()
        for x in rows { builder.append(x) }
        self = builder.design(columns: p)
    }

    /// Rows appended one at a time from a dense buffer (which the caller may reuse), so a
    /// fit holds only the nonzeros.
    struct Builder {
        var starts = [0], index: [Int] = [], value: [Double] = []

        /// Expected number of rows (storage is reserved from the first row's nonzeros).
        var expectedRows = 0

        mutating func append(_ x: [Double]) {
            if starts.count == 1, expectedRows > 0 {
                let nnz = x.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } + 8
                index.reserveCapacity(nnz * expectedRows)
                value.reserveCapacity(nnz * expectedRows)
                starts.reserveCapacity(expectedRows + 1)
            }
            x.withUnsafeBufferPointer { x in
                for i in 0..<x.count where x[i] != 0 { index.append(i); value.append(x[i]) }
            }
            starts.append(index.count)
        }

        /// The design of the rows appended, with p columns (rows longer than p are a bug).
        func design(columns p: Int) -> SparseDesign {
            // Built sorted and in range, so the checked initialiser cannot fail.
            SparseDesign(xt: (try? SparseMatrix(rows: p, columns: starts.count - 1, columnStarts: starts, rowIndices: index,
                                                values: value)) ?? SparseMatrix(rows: p, columns: 0))
        }
    }

    private init(xt: SparseMatrix) {
        self.xt = xt
        // Columns nonzero in more than a third of the rows (lags, profile means, driver
        // values and hinges) form a dense block whose Gram matrix is one BLAS product;
        // the rest (one-hot blocks) stay sparse.
        var count = [Int](repeating: 0, count: xt.rows)
        for i in xt.rowIndices { count[i] += 1 }
        denseColumns = (0..<xt.rows).filter { 3 * count[$0] > xt.columns }
        var position = [Int](repeating: -1, count: xt.rows)
        for (k, c) in denseColumns.enumerated() { position[c] = k }
        let d = denseColumns.count, n = xt.columns
        var block = DenseMatrix(rows: d, columns: n)
        var starts = [0], index: [Int] = [], value: [Double] = []
        for r in 0..<n {
            for k in xt.columnStarts[r]..<xt.columnStarts[r + 1] {
                let c = xt.rowIndices[k]
                if position[c] >= 0 { block.values[position[c] + r * d] = xt.values[k] } else {
                    index.append(c); value.append(xt.values[k])
                }
            }
            starts.append(index.count)
        }
        denseBlock = block
        self.position = position
        sparseStarts = starts
        sparseIndex = index
        sparseValue = value
    }

    /// Original indices of the dense columns, ascending.
    let denseColumns: [Int]
    /// Each column's place among the dense columns, −1 for a sparse one.
    let position: [Int]
    /// The dense columns' values, d × n column-major (column r = row r's dense values).
    let denseBlock: DenseMatrix
    /// The remaining nonzeros by row (CSR), column indices ascending.
    let sparseStarts: [Int], sparseIndex: [Int], sparseValue: [Double]

    var columns: Int { xt.rows }
    var rowCount: Int { xt.columns }

    /// xᵣ·β.
    func dot(_ r: Int, _ beta: [Double]) -> Double {
        var s = 0.0
        for k in xt.columnStarts[r]..<xt.columnStarts[r + 1] { s += xt.values[k] * beta[xt.rowIndices[k]] }
        return s
    }

    /// XᵀWX and XᵀWy over `rows` (W = I without `weights`, which are indexed like y): the
    /// dense block's part by one BLAS product of √W-scaled rows, the sparse columns'
    /// parts (with each other and with the dense block) over their nonzeros.
    func gram(_ rows: Range<Int>, _ y: [Double], weights: [Double]? = nil) -> RidgeForecaster.Gram {
        let p = columns, d = denseColumns.count, m = rows.count
        var a = [Double](repeating: 0, count: p * p)
        var b = [Double](repeating: 0, count: p)
        // Dense block: (√W X_D)ᵀ(√W X_D) and X_Dᵀ W y (in place when unweighted).
        let dd: DenseMatrix, bd: [Double]
        if weights == nil {
            dd = denseBlock.outerGram(columns: rows)
            bd = denseBlock.multiply(columns: rows, y[rows])
        } else {
            var scaled = DenseMatrix(rows: d, columns: m)
            var wy = [Double](repeating: 0, count: m)
            denseBlock.values.withUnsafeBufferPointer { block in
                scaled.values.withUnsafeMutableBufferPointer { out in
                    for (k, r) in rows.enumerated() {
                        let w = weights?[r] ?? 1, sw = w.squareRoot()
                        wy[k] = sw * y[r]
                        for j in 0..<d { out[j + k * d] = sw * block[j + r * d] }
                    }
                }
            }
            dd = scaled.outerGram(columns: 0..<m)
            bd = scaled.multiply(wy)
        }
        for (jj, cj) in denseColumns.enumerated() {
            b[cj] += bd[jj]
            for (ii, ci) in denseColumns.enumerated() where ci <= cj { a[ci + cj * p] += dd[ii, jj] }
        }
        // Sparse columns: with each other (upper triangle) and with the dense block, the
        // latter accumulated contiguously by (column, dense column) and scattered at the end.
        var cross = [Double](repeating: 0, count: p * d)
        denseBlock.values.withUnsafeBufferPointer { block in
        sparseIndex.withUnsafeBufferPointer { index in
        sparseValue.withUnsafeBufferPointer { value in
        cross.withUnsafeMutableBufferPointer { cross in
        b.withUnsafeMutableBufferPointer { b in
        a.withUnsafeMutableBufferPointer { a in
            for r in rows {
                let w = weights?[r] ?? 1
                let lo = sparseStarts[r], hi = sparseStarts[r + 1]
                for k in lo..<hi {
                    let i = index[k], wv = w * value[k]
                    b[i] += wv * y[r]
                    for l in k..<hi { a[i + index[l] * p] += wv * value[l] }
                    let row = i * d, x = r * d
                    for j in 0..<d { cross[row + j] += wv * block[x + j] }
                }
            }
            for i in 0..<p where position[i] < 0 {
                for (j, c) in denseColumns.enumerated() {
                    let v = cross[i * d + j]
                    if c < i { a[c + i * p] += v } else { a[i + c * p] += v }
                }
            }
            for j in 0..<p { for i in 0..<j { a[j + i * p] = a[i + j * p] } }
        }
        }
        }
        }
        }
        }
        var g = DenseMatrix(rows: p, columns: p)
        g.values = a
        return RidgeForecaster.Gram(a: g, b: b)
    }
}
