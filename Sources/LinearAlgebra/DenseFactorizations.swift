import CLinearAlgebra

/// Cholesky factorization A = L Lᵀ of a symmetric positive definite dense matrix
/// (LAPACK dpotrf, n³/3 flops), with solves by dpotrs (2n² flops per right-hand side).
public struct DenseCholesky: Sendable {
    public let n: Int
    /// The lower factor L in the lower triangle (column-major); the upper triangle is unused.
    public private(set) var factor: DenseMatrix

    public init(_ a: DenseMatrix) throws {
        guard a.rows == a.columns else { throw LinearAlgebraError.dimensionMismatch("Cholesky needs a square matrix") }
        n = a.rows
        factor = a
        guard n > 0 else { return }
        let nn = Int32(n)
        let info = factor.values.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), nn, $0.baseAddress, nn)
        }
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(column: Int(info) - 1) }
        if info < 0 { throw LinearAlgebraError.backendFailure(routine: "dpotrf", status: Int(info)) }
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) throws -> [Double] {
        guard b.count == n else { throw LinearAlgebraError.dimensionMismatch("rhs has \(b.count), matrix \(n)") }
        var x = b
        guard n > 0 else { return x }
        let nn = Int32(n)
        let info = factor.values.withUnsafeBufferPointer { l in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dpotrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), nn, 1, l.baseAddress, nn, xp.baseAddress, nn)
            }
        }
        if info != 0 { throw LinearAlgebraError.backendFailure(routine: "dpotrs", status: Int(info)) }
        return x
    }
}

/// Symmetric indefinite factorization P A Pᵀ = L D Lᵀ with Bunch–Kaufman pivoting
/// (LAPACK dsytrf/dsytrs): for quasi-definite and indefinite dense systems.
public struct DenseLDLT: Sendable {
    public let n: Int
    private var factor: DenseMatrix
    private var pivots: [Int32]

    public init(_ a: DenseMatrix) throws {
        guard a.rows == a.columns else { throw LinearAlgebraError.dimensionMismatch("LDLᵀ needs a square matrix") }
        n = a.rows
        factor = a
        pivots = [Int32](repeating: 0, count: n)
        guard n > 0 else { return }
        let nn = Int32(n)
        let info = factor.values.withUnsafeMutableBufferPointer { f in
            pivots.withUnsafeMutableBufferPointer { p in
                LAPACKE_dsytrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), nn, f.baseAddress, nn, p.baseAddress)
            }
        }
        if info > 0 { throw LinearAlgebraError.singular(column: Int(info) - 1) }
        if info < 0 { throw LinearAlgebraError.backendFailure(routine: "dsytrf", status: Int(info)) }
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) throws -> [Double] {
        guard b.count == n else { throw LinearAlgebraError.dimensionMismatch("rhs has \(b.count), matrix \(n)") }
        var x = b
        guard n > 0 else { return x }
        let nn = Int32(n)
        let info = factor.values.withUnsafeBufferPointer { f in
            pivots.withUnsafeBufferPointer { p in
                x.withUnsafeMutableBufferPointer { xp in
                    LAPACKE_dsytrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), nn, 1, f.baseAddress, nn,
                                   p.baseAddress, xp.baseAddress, nn)
                }
            }
        }
        if info != 0 { throw LinearAlgebraError.backendFailure(routine: "dsytrs", status: Int(info)) }
        return x
    }
}

/// Triangular solves with a dense triangular matrix (BLAS dtrsv, n² flops).
public enum TriangularSolve {
    /// Which triangle of the matrix holds the factor.
    public enum Triangle: Sendable { case lower, upper }

    /// Solves T x = b, or Tᵀ x = b when `transposed`.
    public static func solve(_ t: DenseMatrix, _ triangle: Triangle, _ b: [Double], transposed: Bool = false) throws -> [Double] {
        guard t.rows == t.columns, b.count == t.rows else {
            throw LinearAlgebraError.dimensionMismatch("triangular solve \(t.rows)×\(t.columns) with rhs \(b.count)")
        }
        for i in 0..<t.rows where t[i, i] == 0 { throw LinearAlgebraError.singular(column: i) }
        var x = b
        guard t.rows > 0 else { return x }
        let n = Int32(t.rows)
        t.values.withUnsafeBufferPointer { a in
            x.withUnsafeMutableBufferPointer { xp in
                cblas_dtrsv(CblasColMajor, triangle == .lower ? CblasLower : CblasUpper,
                            transposed ? CblasTrans : CblasNoTrans, CblasNonUnit, n, a.baseAddress, n, xp.baseAddress, 1)
            }
        }
        return x
    }
}
