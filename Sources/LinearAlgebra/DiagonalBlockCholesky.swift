import CLinearAlgebra

/// Solves A x = b for a symmetric positive definite A that has a contiguous run of columns
/// H whose entries among themselves are zero off the diagonal (one-hot regressors: each
/// row of a design has exactly one of its hour-of-week dummies, so their Gram block is
/// diagonal). With R the other columns, block elimination of H leaves the Schur complement
///
///     S = A_RR − A_RH D⁻¹ A_HR,   D = diag(A_HH),
///
/// formed by one BLAS dsyrk of the |R| × |H| matrix A_RH D^(−1/2); a LAPACK Cholesky of S
/// (|R|³/3 flops) gives x_R, and x_H = D⁻¹(b_H − A_HR x_R). Ridge's Gram (p = 327 with 167
/// dummies on vic_elec) then costs a Cholesky of order 160 and a rank-167 update instead of
/// a Cholesky of order 327. Without such a run (shorter than `minimumBlock`) it is the
/// plain `DenseCholesky`.
public enum DiagonalBlockCholesky {
    /// Shortest run of mutually orthogonal columns worth eliminating first.
    public static let minimumBlock = 32

    /// The longest run of consecutive columns with exact zeros between each other (upper
    /// triangle read), or nil when none reaches `minimum` columns.
    public static func diagonalRun(_ a: DenseMatrix, minimum: Int = minimumBlock) -> Range<Int>? {
        let n = a.rows
        guard a.columns == n, n >= minimum, minimum >= 2 else { return nil }
        var best = 0..<0, start = 0
        a.values.withUnsafeBufferPointer { v in
            for j in 0..<n {
                // The run ending at column j starts after the last nonzero above the diagonal.
                var k = j - 1
                while k >= start {
                    if v[k + j * n] != 0 { start = k + 1; break }
                    k -= 1
                }
                if j + 1 - start > best.count { best = start..<(j + 1) }
            }
        }
        return best.count >= minimum ? best : nil
    }

    /// (A + diag(shift))⁻¹ b (A symmetric, both triangles stored; no shift when nil): the
    /// shift, such as a ridge penalty, is added on the way without copying A. Throws
    /// `notPositiveDefinite` with the column of A where a pivot failed.
    public static func solve(_ a: DenseMatrix, _ b: [Double], shift: [Double]? = nil) throws -> [Double] {
        guard a.rows == a.columns, b.count == a.rows, shift.map({ $0.count == a.rows }) ?? true else {
            throw LinearAlgebraError.dimensionMismatch("matrix \(a.rows)×\(a.columns), rhs \(b.count), shift \(shift?.count ?? 0)")
        }
        guard let block = diagonalRun(a) else {
            var shifted = a
            if let shift { for i in 0..<a.rows { shifted[i, i] += shift[i] } }
            return try DenseCholesky(shifted).solve(b)
        }
        let n = a.rows, k = block.count
        let rest = Array(0..<block.lowerBound) + Array(block.upperBound..<n)
        let m = rest.count
        // √D, V = A_RH D^(−1/2) (m × k) and u = D^(−1/2) b_H.
        var root = [Double](repeating: 0, count: k), u = [Double](repeating: 0, count: k)
        for i in 0..<k {
            let d = a[block.lowerBound + i, block.lowerBound + i] + (shift?[block.lowerBound + i] ?? 0)
            guard d > 0 else { throw LinearAlgebraError.notPositiveDefinite(column: block.lowerBound + i) }
            root[i] = d.squareRoot()
            u[i] = b[block.lowerBound + i] / root[i]
        }
        guard m > 0 else { return (0..<k).map { u[$0] / root[$0] } }
        var v = [Double](repeating: 0, count: m * k), s = DenseMatrix(rows: m, columns: m)
        var c = rest.map { b[$0] }
        a.values.withUnsafeBufferPointer { av in
            for i in 0..<k {
                let col = (block.lowerBound + i) * n
                for (r, row) in rest.enumerated() { v[r + i * m] = av[row + col] / root[i] }
            }
            for (cj, j) in rest.enumerated() {
                for (ci, i) in rest.enumerated() where ci >= cj { s.values[ci + cj * m] = av[i + j * n] }
                s.values[cj + cj * m] += shift?[j] ?? 0
            }
        }
        let mm = Int32(m), kk = Int32(k)
        v.withUnsafeBufferPointer { vp in
            // S's lower triangle, the one `DenseCholesky` factors.
            s.values.withUnsafeMutableBufferPointer { sp in
                cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, mm, kk, -1.0, vp.baseAddress, mm, 1.0, sp.baseAddress, mm)
            }
            u.withUnsafeBufferPointer { up in
                c.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemv(CblasColMajor, CblasNoTrans, mm, kk, -1.0, vp.baseAddress, mm, up.baseAddress, 1, 1.0,
                                cp.baseAddress, 1)
                }
            }
        }
        let factor: DenseCholesky
        do { factor = try DenseCholesky(s) } catch LinearAlgebraError.notPositiveDefinite(let column) {
            throw LinearAlgebraError.notPositiveDefinite(column: rest[column])
        }
        c = try factor.solve(c)
        // x_H = D^(−1/2)(u − Vᵀ x_R).
        v.withUnsafeBufferPointer { vp in
            c.withUnsafeBufferPointer { cp in
                u.withUnsafeMutableBufferPointer { up in
                    cblas_dgemv(CblasColMajor, CblasTrans, mm, kk, -1.0, vp.baseAddress, mm, cp.baseAddress, 1, 1.0,
                                up.baseAddress, 1)
                }
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in 0..<k { x[block.lowerBound + i] = u[i] / root[i] }
        for (r, row) in rest.enumerated() { x[row] = c[r] }
        return x
    }
}
