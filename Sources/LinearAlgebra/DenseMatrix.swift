import CLinearAlgebra

/// A dense matrix in column-major order (LAPACK's layout). Memory is rows × columns:
/// use it only for blocks that are dense by nature (Schur complements of dense columns,
/// small systems), never for the sparse LP itself.
public struct DenseMatrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Entries, column-major: element (i, j) is `values[i + j * rows]`.
    public var values: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        self.values = Array(repeating: value, count: rows * columns)
    }

    /// Builds a matrix from row arrays (convenient in tests and small cases).
    public init(_ rowArrays: [[Double]]) {
        let m = rowArrays.count
        let n = rowArrays.first?.count ?? 0
        self.init(rows: m, columns: n)
        for i in 0..<m {
            precondition(rowArrays[i].count == n, "ragged rows")
            for j in 0..<n { self[i, j] = rowArrays[i][j] }
        }
    }

    public static func identity(_ n: Int) -> DenseMatrix {
        var m = DenseMatrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { values[i + j * rows] }
        set { values[i + j * rows] = newValue }
    }

    /// y = A x (BLAS dgemv).
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "multiply: length mismatch")
        var y = [Double](repeating: 0, count: rows)
        guard rows > 0, columns > 0 else { return y }
        values.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns), 1.0,
                                a.baseAddress, Int32(rows), xp.baseAddress, 1, 0.0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// y = Aᵀ x (BLAS dgemv).
    public func multiplyTransposed(_ x: [Double]) -> [Double] {
        precondition(x.count == rows, "multiplyTransposed: length mismatch")
        var y = [Double](repeating: 0, count: columns)
        guard rows > 0, columns > 0 else { return y }
        values.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(columns), 1.0,
                                a.baseAddress, Int32(rows), xp.baseAddress, 1, 0.0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// C = A B (BLAS dgemm).
    public func multiply(_ b: DenseMatrix) -> DenseMatrix { Self.product(self, b) }

    /// C = op(A) op(B), op = transpose when asked (BLAS dgemm, no copies).
    public static func product(_ a: DenseMatrix, transposed ta: Bool = false, _ b: DenseMatrix, transposed tb: Bool = false)
        -> DenseMatrix {
        let m = ta ? a.columns : a.rows, k = ta ? a.rows : a.columns
        let n = tb ? b.rows : b.columns
        precondition(k == (tb ? b.columns : b.rows), "product: inner dimensions differ")
        var c = DenseMatrix(rows: m, columns: n)
        guard m > 0, n > 0, k > 0 else { return c }
        a.values.withUnsafeBufferPointer { ap in
            b.values.withUnsafeBufferPointer { bp in
                c.values.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1.0, ap.baseAddress, Int32(max(a.rows, 1)),
                                bp.baseAddress, Int32(max(b.rows, 1)), 0.0, cp.baseAddress, Int32(m))
                }
            }
        }
        return c
    }

    /// Aᵀ.
    public func transposed() -> DenseMatrix {
        var t = DenseMatrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }

    /// A[:, range] A[:, range]ᵀ, rows × rows (BLAS dsyrk on the columns in place, no copy).
    public func outerGram(columns range: Range<Int>) -> DenseMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "outerGram: columns out of range")
        var c = DenseMatrix(rows: rows, columns: rows)
        guard rows > 0, !range.isEmpty else { return c }
        values.withUnsafeBufferPointer { ap in
            c.values.withUnsafeMutableBufferPointer { cp in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, Int32(rows), Int32(range.count), 1.0,
                            ap.baseAddress! + range.lowerBound * rows, Int32(rows), 0.0, cp.baseAddress, Int32(rows))
            }
        }
        for j in 0..<rows { for i in 0..<j { c[j, i] = c[i, j] } }
        return c
    }

    /// A[:, range] x (BLAS dgemv on the columns in place); x has range.count entries.
    public func multiply(columns range: Range<Int>, _ x: ArraySlice<Double>) -> [Double] {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns && x.count == range.count, "multiply: length mismatch")
        var y = [Double](repeating: 0, count: rows)
        guard rows > 0, !range.isEmpty else { return y }
        values.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(range.count), 1.0,
                                ap.baseAddress! + range.lowerBound * rows, Int32(rows), xp.baseAddress, 1, 0.0, yp.baseAddress, 1)
                }
            }
        }
        return y
    }
}
