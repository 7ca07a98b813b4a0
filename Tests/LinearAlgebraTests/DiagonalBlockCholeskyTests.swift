import LinearAlgebra
import Testing

@Suite("Cholesky with a diagonal block eliminated first")
struct DiagonalBlockCholeskyTests {
    /// A = XᵀX + I of a design whose columns 2..<2+k are one-hot (each row has one of them),
    /// so that block of A is diagonal, the other columns dense.
    func oneHotGram(rows n: Int, dense: Int, hot k: Int, seed: UInt64) -> DenseMatrix {
        var rng = SplitMix64(seed: seed)
        let p = dense + k
        var a = DenseMatrix(rows: p, columns: p)
        for r in 0..<n {
            var x = [Double](repeating: 0, count: p)
            // Dense columns 0, 1 and k+2…; the one-hot run at 2..<2+k.
            for j in 0..<p where j < 2 || j >= 2 + k { x[j] = rng.unit() * 2 - 1 }
            x[2 + r % k] = 1
            for i in 0..<p { for j in 0..<p { a[i, j] += x[i] * x[j] } }
        }
        for i in 0..<p { a[i, i] += 1 }
        return a
    }

    @Test func findsTheRunOfOrthogonalColumns() {
        let a = oneHotGram(rows: 400, dense: 6, hot: 40, seed: 1)
        #expect(DiagonalBlockCholesky.diagonalRun(a) == 2..<42)
        // Too short a run is not worth eliminating.
        #expect(DiagonalBlockCholesky.diagonalRun(oneHotGram(rows: 100, dense: 6, hot: 8, seed: 2)) == nil)
    }

    /// Block elimination gives the same solution as the plain Cholesky (and recovers x).
    @Test func matchesThePlainCholesky() throws {
        let a = oneHotGram(rows: 500, dense: 9, hot: 48, seed: 3)
        var rng = SplitMix64(seed: 4)
        let x = (0..<a.rows).map { _ in rng.unit() * 10 - 5 }
        let b = a.multiply(x)
        let block = try DiagonalBlockCholesky.solve(a, b)
        let plain = try DenseCholesky(a).solve(b)
        for i in 0..<a.rows {
            #expect(abs(block[i] - x[i]) < 1e-9 * (1 + abs(x[i])))
            #expect(abs(block[i] - plain[i]) < 1e-9 * (1 + abs(x[i])))
        }
    }

    /// A diagonal shift (a ridge penalty) is the same as adding it to A first, with or
    /// without a diagonal run to eliminate.
    @Test func shiftEqualsAddingTheDiagonal() throws {
        for hot in [48, 8] {
            let a = oneHotGram(rows: 300, dense: 7, hot: hot, seed: 6)
            let shift = (0..<a.rows).map { Double($0 % 5) * 3.5 }
            var shifted = a
            for i in 0..<a.rows { shifted[i, i] += shift[i] }
            let b = (0..<a.rows).map { Double($0) - 20 }
            let viaShift = try DiagonalBlockCholesky.solve(a, b, shift: shift)
            let plain = try DenseCholesky(shifted).solve(b)
            for i in 0..<a.rows { #expect(abs(viaShift[i] - plain[i]) < 1e-9 * (1 + abs(plain[i]))) }
        }
    }

    /// A matrix that is not positive definite is reported with the column of A (not of the
    /// Schur complement) where the pivot failed.
    @Test func reportsTheFailingColumnOfA() {
        var a = oneHotGram(rows: 300, dense: 4, hot: 40, seed: 5)
        // Column 43 (dense, after the run) made a copy of column 0 with a smaller diagonal:
        // S is indefinite there.
        for i in 0..<a.rows { a[i, 43] = a[i, 0]; a[43, i] = a[0, i] }
        a[43, 43] = a[0, 0] - 1e3
        #expect(throws: LinearAlgebraError.notPositiveDefinite(column: 43)) { try DiagonalBlockCholesky.solve(a, [Double](repeating: 1, count: a.rows)) }
        var b = a
        b[10, 10] = -1
        #expect(throws: LinearAlgebraError.notPositiveDefinite(column: 10)) { try DiagonalBlockCholesky.solve(b, [Double](repeating: 1, count: b.rows)) }
    }
}
