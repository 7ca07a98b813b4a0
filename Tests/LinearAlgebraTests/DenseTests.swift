import LinearAlgebra
import Testing

@Suite("Dense and banded linear algebra on BLAS/LAPACK")
struct DenseTests {
    let spd = DenseMatrix([[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]])

    /// A[:, r]A[:, r]ᵀ and A[:, r]x on a column range in place equal the products of the
    /// copied columns.
    @Test func productsOverAColumnRange() {
        let a = DenseMatrix([[1, 2, 3, 4], [0, -1, 5, 2], [3, 1, 0, -2]])
        let cols = DenseMatrix([[2, 3], [-1, 5], [1, 0]])
        let expected = DenseMatrix.product(cols, transposed: false, cols, transposed: true)
        let g = a.outerGram(columns: 1..<3)
        #expect(g == expected)
        #expect(a.multiply(columns: 1..<3, [2.0, -1][...]) == cols.multiply([2, -1]))
        #expect(a.outerGram(columns: 2..<2) == DenseMatrix(rows: 3, columns: 3))
    }

    @Test func choleskySolvesSPDSystem() throws {
        let x = [1.0, -2.0, 0.5]
        let b = spd.multiply(x)
        let solved = try DenseCholesky(spd).solve(b)
        for i in 0..<3 { #expect(abs(solved[i] - x[i]) < 1e-12) }
    }

    @Test func choleskyRejectsIndefiniteMatrix() {
        let a = DenseMatrix([[1, 2], [2, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(column: 1)) { try DenseCholesky(a) }
    }

    @Test func ldltSolvesIndefiniteSystem() throws {
        // Quasi-definite KKT-like matrix [[-D, Aᵀ], [A, 0]].
        let k = DenseMatrix([[-2, 0, 1], [0, -1, 1], [1, 1, 0]])
        let x = [0.3, -0.7, 2.0]
        let solved = try DenseLDLT(k).solve(k.multiply(x))
        for i in 0..<3 { #expect(abs(solved[i] - x[i]) < 1e-12) }
    }

    @Test func triangularSolvesBothWays() throws {
        let l = DenseMatrix([[2, 0, 0], [1, 3, 0], [-1, 0.5, 4]])
        let x = [1.0, 2.0, 3.0]
        let lower = try TriangularSolve.solve(l, .lower, l.multiply(x))
        let upper = try TriangularSolve.solve(l, .lower, l.transposed().multiply(x), transposed: true)
        for i in 0..<3 {
            #expect(abs(lower[i] - x[i]) < 1e-13)
            #expect(abs(upper[i] - x[i]) < 1e-13)
        }
        #expect(throws: LinearAlgebraError.self) {
            try TriangularSolve.solve(DenseMatrix([[0, 0], [1, 1]]), .lower, [1, 1])
        }
    }

    @Test func matrixProductsAgreeWithHandComputation() {
        let a = DenseMatrix([[1, 2], [3, 4], [5, 6]])
        #expect(a.multiply([1, -1]) == [-1, -1, -1])
        #expect(a.multiplyTransposed([1, 0, 1]) == [6, 8])
        let p = a.transposed().multiply(a)
        #expect(p == DenseMatrix([[35, 44], [44, 56]]))
    }

    @Test func bandCholeskyMatchesDense() throws {
        // Tridiagonal storage-chain matrix: 2 on the diagonal, −1 off it, n = 50.
        let n = 50
        var band = SymmetricBandMatrix(n: n, bandwidth: 1)
        var dense = DenseMatrix(rows: n, columns: n)
        for i in 0..<n {
            band[i, i] = 2.5
            dense[i, i] = 2.5
            if i + 1 < n { band[i + 1, i] = -1; dense[i + 1, i] = -1; dense[i, i + 1] = -1 }
        }
        let x = (0..<n).map { Double($0 % 7) - 3 }
        #expect(band.multiply(x) == dense.multiply(x))
        let b = dense.multiply(x)
        let viaBand = try band.cholesky().solve(b)
        let viaDense = try DenseCholesky(dense).solve(b)
        for i in 0..<n {
            #expect(abs(viaBand[i] - x[i]) < 1e-11)
            #expect(abs(viaDense[i] - viaBand[i]) < 1e-11)
        }
        #expect(band[0, 5] == 0)
    }

    @Test func vectorKernels() {
        var y = [1.0, 2, 3]
        Vec.axpy(2, [1, 1, 1], &y)
        #expect(y == [3, 4, 5])
        #expect(Vec.dot([1, 2, 3], [4, 5, 6]) == 32)
        #expect(Vec.normInf([1, -7, 3]) == 7)
        #expect(abs(Vec.norm2([3, 4]) - 5) < 1e-15)
    }
}
