/// A sparse matrix in compressed sparse column (CSC) form: column j holds the entries
/// `rowIndices[columnStarts[j] ..< columnStarts[j+1]]` with `values` alongside, rows
/// sorted increasingly, no duplicates. Memory O(rows + columns + nonzeros).
public struct SparseMatrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public var columnStarts: [Int]
    public var rowIndices: [Int]
    public var values: [Double]

    public var nonzeros: Int { rowIndices.count }

    /// An all-zero matrix.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        columnStarts = Array(repeating: 0, count: columns + 1)
        rowIndices = []
        values = []
    }

    /// Wraps CSC arrays. Rows within a column must be sorted and unique.
    public init(rows: Int, columns: Int, columnStarts: [Int], rowIndices: [Int], values: [Double]) throws {
        guard columnStarts.count == columns + 1, columnStarts.first == 0, columnStarts.last == rowIndices.count,
              rowIndices.count == values.count else {
            throw LinearAlgebraError.dimensionMismatch("inconsistent CSC arrays")
        }
        for j in 0..<columns {
            var previous = -1
            for k in columnStarts[j]..<columnStarts[j + 1] {
                let i = rowIndices[k]
                guard i >= 0, i < rows, i > previous else { throw LinearAlgebraError.indexOutOfRange(row: i, column: j) }
                previous = i
            }
        }
        self.rows = rows
        self.columns = columns
        self.columnStarts = columnStarts
        self.rowIndices = rowIndices
        self.values = values
    }

    /// Builds from (row, column, value) triplets; duplicates are summed and explicit
    /// zeros dropped. O(nnz + rows + columns) by two counting sorts.
    public init(rows: Int, columns: Int, triplets: [(row: Int, column: Int, value: Double)]) throws {
        var counts = [Int](repeating: 0, count: columns + 1)
        for t in triplets {
            guard t.row >= 0, t.row < rows, t.column >= 0, t.column < columns else {
                throw LinearAlgebraError.indexOutOfRange(row: t.row, column: t.column)
            }
            counts[t.column + 1] += 1
        }
        for j in 0..<columns { counts[j + 1] += counts[j] }
        // Sort by row first (bucket by row), then scatter by column: rows end up sorted.
        var rowCounts = [Int](repeating: 0, count: rows + 1)
        for t in triplets { rowCounts[t.row + 1] += 1 }
        for i in 0..<rows { rowCounts[i + 1] += rowCounts[i] }
        var byRow = [Int](repeating: 0, count: triplets.count)
        var nextRow = rowCounts
        for (k, t) in triplets.enumerated() { byRow[nextRow[t.row]] = k; nextRow[t.row] += 1 }
        var next = counts
        var ri = [Int](repeating: 0, count: triplets.count)
        var vv = [Double](repeating: 0, count: triplets.count)
        for k in byRow {
            let t = triplets[k]
            ri[next[t.column]] = t.row
            vv[next[t.column]] = t.value
            next[t.column] += 1
        }
        // Merge duplicates and drop zeros.
        var starts = [Int](repeating: 0, count: columns + 1)
        var outRows: [Int] = []
        var outValues: [Double] = []
        outRows.reserveCapacity(ri.count)
        outValues.reserveCapacity(ri.count)
        for j in 0..<columns {
            var k = counts[j]
            while k < counts[j + 1] {
                let r = ri[k]
                var v = vv[k]
                k += 1
                while k < counts[j + 1], ri[k] == r { v += vv[k]; k += 1 }
                if v != 0 { outRows.append(r); outValues.append(v) }
            }
            starts[j + 1] = outRows.count
        }
        self.rows = rows
        self.columns = columns
        self.columnStarts = starts
        self.rowIndices = outRows
        self.values = outValues
    }

    /// y = A x, O(nnz).
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "multiply: x has \(x.count), matrix has \(columns) columns")
        var y = [Double](repeating: 0, count: rows)
        multiplyAdd(x, into: &y)
        return y
    }

    /// y += scale · A x, O(nnz).
    public func multiplyAdd(_ x: [Double], scale: Double = 1, into y: inout [Double]) {
        precondition(x.count == columns && y.count == rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in multiplyAdd(xp, scale: scale, into: yp) }
        }
    }

    /// y += scale · A x on raw buffers (x of `columns`, y of `rows` entries), O(nnz):
    /// the kernel of the interior point's solves, free of per-entry checks.
    public func multiplyAdd(_ x: UnsafeBufferPointer<Double>, scale: Double = 1,
                            into y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == columns && y.count == rows)
        guard let xb = x.baseAddress, let yb = y.baseAddress else { return }
        columnStarts.withUnsafeBufferPointer { cs in
            rowIndices.withUnsafeBufferPointer { ri in
                values.withUnsafeBufferPointer { vv in
                    guard let csb = cs.baseAddress, let rib = ri.baseAddress, let vvb = vv.baseAddress else { return }
                    for j in 0..<columns {
                        let xj = xb[j] * scale
                        if xj == 0 { continue }
                        for k in csb[j]..<csb[j + 1] { yb[rib[k]] += vvb[k] * xj }
                    }
                }
            }
        }
    }

    /// y = Aᵀ x, O(nnz).
    public func multiplyTransposed(_ x: [Double]) -> [Double] {
        precondition(x.count == rows, "multiplyTransposed: x has \(x.count), matrix has \(rows) rows")
        var y = [Double](repeating: 0, count: columns)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in multiplyTransposed(xp, into: yp) }
        }
        return y
    }

    /// y = Aᵀ x on raw buffers (x of `rows`, y of `columns` entries), O(nnz).
    public func multiplyTransposed(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == rows && y.count == columns)
        guard let yb = y.baseAddress else { return }
        guard let xb = x.baseAddress else {
            // No rows: Aᵀx is zero.
            y.update(repeating: 0)
            return
        }
        columnStarts.withUnsafeBufferPointer { cs in
            rowIndices.withUnsafeBufferPointer { ri in
                values.withUnsafeBufferPointer { vv in
                    guard let csb = cs.baseAddress else { return }
                    let rib = ri.baseAddress, vvb = vv.baseAddress
                    for j in 0..<columns {
                        var s = 0.0
                        if let rib, let vvb {
                            for k in csb[j]..<csb[j + 1] { s += vvb[k] * xb[rib[k]] }
                        }
                        yb[j] = s
                    }
                }
            }
        }
    }

    /// Aᵀ in CSC (equivalently A in CSR), O(nnz + rows).
    public func transposed() -> SparseMatrix {
        var counts = [Int](repeating: 0, count: rows + 1)
        for i in rowIndices { counts[i + 1] += 1 }
        for i in 0..<rows { counts[i + 1] += counts[i] }
        var next = counts
        var ri = [Int](repeating: 0, count: nonzeros)
        var vv = [Double](repeating: 0, count: nonzeros)
        for j in 0..<columns {
            for k in columnStarts[j]..<columnStarts[j + 1] {
                let i = rowIndices[k]
                ri[next[i]] = j
                vv[next[i]] = values[k]
                next[i] += 1
            }
        }
        // swiftlint:disable:next force_try
        return SparseMatrix(unchecked: columns, rows, counts, ri, vv)
    }

    /// Internal initializer for arrays known to be valid.
    init(unchecked rows: Int, _ columns: Int, _ starts: [Int], _ ri: [Int], _ vv: [Double]) {
        self.rows = rows
        self.columns = columns
        columnStarts = starts
        rowIndices = ri
        values = vv
    }

    /// Number of entries in column j.
    @inlinable
    public func count(ofColumn j: Int) -> Int { columnStarts[j + 1] - columnStarts[j] }

    /// Entry (i, j) by binary search in column j (O(log nnz_j)).
    public subscript(i: Int, j: Int) -> Double {
        var lo = columnStarts[j], hi = columnStarts[j + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if rowIndices[mid] == i { return values[mid] }
            if rowIndices[mid] < i { lo = mid + 1 } else { hi = mid }
        }
        return 0
    }

    /// The dense copy (tests and tiny matrices only: O(rows × columns) memory).
    public func toDense() -> DenseMatrix {
        var d = DenseMatrix(rows: rows, columns: columns)
        for j in 0..<columns { for k in columnStarts[j]..<columnStarts[j + 1] { d[rowIndices[k], j] = values[k] } }
        return d
    }
}
