import CLinearAlgebra

/// A symmetric positive definite band matrix in LAPACK's lower band storage:
/// entry (i, j) with 0 ≤ i − j ≤ bandwidth is `band[(i − j) + j·(bandwidth+1)]`.
/// Memory O(n·(k+1)); factorization by dpbtrf in O(n·k²) — the shape of a storage
/// chain over time steps.
public struct SymmetricBandMatrix: Sendable {
    public let n: Int
    public let bandwidth: Int
    public var band: [Double]

    public init(n: Int, bandwidth: Int) {
        precondition(n >= 0 && bandwidth >= 0)
        self.n = n
        self.bandwidth = bandwidth
        band = Array(repeating: 0, count: n * (bandwidth + 1))
    }

    /// Entry (i, j); entries outside the band read as 0.
    public subscript(i: Int, j: Int) -> Double {
        get {
            let (r, c) = i >= j ? (i, j) : (j, i)
            return r - c > bandwidth ? 0 : band[(r - c) + c * (bandwidth + 1)]
        }
        set {
            let (r, c) = i >= j ? (i, j) : (j, i)
            precondition(r - c <= bandwidth, "entry outside the band")
            band[(r - c) + c * (bandwidth + 1)] = newValue
        }
    }

    /// y = A x.
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == n)
        var y = [Double](repeating: 0, count: n)
        for j in 0..<n {
            y[j] += band[j * (bandwidth + 1)] * x[j]
            let last = Swift.min(n - 1, j + bandwidth)
            if j + 1 <= last {
                for i in (j + 1)...last {
                    let v = band[(i - j) + j * (bandwidth + 1)]
                    y[i] += v * x[j]
                    y[j] += v * x[i]
                }
            }
        }
        return y
    }

    /// Cholesky factorization in band storage (LAPACK dpbtrf).
    public func cholesky() throws -> BandCholesky { try BandCholesky(self) }
}

/// The band Cholesky factor of a `SymmetricBandMatrix` with solves by dpbtrs.
public struct BandCholesky: Sendable {
    private let matrix: SymmetricBandMatrix

    init(_ a: SymmetricBandMatrix) throws {
        var m = a
        if m.n > 0 {
            let ldab = Int32(m.bandwidth + 1)
            let info = m.band.withUnsafeMutableBufferPointer {
                LAPACKE_dpbtrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(m.n), Int32(m.bandwidth), $0.baseAddress, ldab)
            }
            if info > 0 { throw LinearAlgebraError.notPositiveDefinite(column: Int(info) - 1) }
            if info < 0 { throw LinearAlgebraError.backendFailure(routine: "dpbtrf", status: Int(info)) }
        }
        matrix = m
    }

    public func solve(_ b: [Double]) throws -> [Double] {
        guard b.count == matrix.n else { throw LinearAlgebraError.dimensionMismatch("rhs \(b.count) vs \(matrix.n)") }
        var x = b
        guard matrix.n > 0 else { return x }
        let ldab = Int32(matrix.bandwidth + 1)
        let info = matrix.band.withUnsafeBufferPointer { f in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dpbtrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(matrix.n), Int32(matrix.bandwidth), 1,
                               f.baseAddress, ldab, xp.baseAddress, Int32(matrix.n))
            }
        }
        if info != 0 { throw LinearAlgebraError.backendFailure(routine: "dpbtrs", status: Int(info)) }
        return x
    }
}
