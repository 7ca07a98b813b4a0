import Foundation
import LinearAlgebra
import TestSupport
import Testing

@Suite("Sparse CSC matrices and CHOLMOD")
struct SparseTests {
    /// A random sparse m × n matrix with a fixed seed.
    func randomSparse(_ m: Int, _ n: Int, density: Double, seed: UInt64) throws -> SparseMatrix {
        var rng = SeededGenerator(seed: seed)
        var t: [(row: Int, column: Int, value: Double)] = []
        for j in 0..<n {
            for i in 0..<m where Double(rng.next() % 1000) / 1000 < density {
                t.append((i, j, Double(Int(rng.next() % 200)) / 10 - 10))
            }
            t.append((Int(rng.next() % UInt64(m)), j, 1))  // at least one entry per column
        }
        return try SparseMatrix(rows: m, columns: n, triplets: t)
    }

    @Test func tripletsAreSortedSummedAndZerosDropped() throws {
        let a = try SparseMatrix(rows: 3, columns: 2, triplets: [(2, 0, 1), (0, 0, 2), (2, 0, 3), (1, 1, 5), (1, 1, -5)])
        #expect(a.columnStarts == [0, 2, 2])
        #expect(a.rowIndices == [0, 2])
        #expect(a.values == [2, 4])
        #expect(a[2, 0] == 4 && a[1, 1] == 0)
        #expect(throws: LinearAlgebraError.indexOutOfRange(row: 3, column: 0)) {
            try SparseMatrix(rows: 3, columns: 1, triplets: [(3, 0, 1)])
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func productsMatchDense(seed: UInt64) throws {
        let a = try randomSparse(30, 45, density: 0.1, seed: seed)
        let d = a.toDense()
        let x = (0..<45).map { Double($0) / 7 - 3 }
        let y = (0..<30).map { Double($0) / 5 - 2 }
        for (s, t) in zip(a.multiply(x), d.multiply(x)) { #expect(abs(s - t) < 1e-12) }
        for (s, t) in zip(a.multiplyTransposed(y), d.multiplyTransposed(y)) { #expect(abs(s - t) < 1e-12) }
        #expect(a.transposed().toDense() == d.transposed())
        #expect(a.transposed().transposed() == a)
    }

    @Test func normalCholeskyMatchesDenseNormalMatrix() throws {
        let m = 40, n = 90
        let a = try randomSparse(m, n, density: 0.08, seed: 11)
        let theta = (0..<n).map { 0.5 + Double($0 % 5) }
        let beta = 1e-6
        // Dense reference M = A Θ Aᵀ + β I.
        let d = a.toDense()
        var dt = d.transposed()
        for j in 0..<n { for i in 0..<m { dt[j, i] *= theta[j] } }
        var mDense = d.multiply(dt)
        for i in 0..<m { mDense[i, i] += beta }
        let chol = try SparseNormalCholesky(a)
        try chol.factorize(theta: theta, beta: beta)
        let x = (0..<m).map { sin(Double($0)) }
        let solved = try chol.solve(mDense.multiply(x))
        for i in 0..<m { #expect(abs(solved[i] - x[i]) < 1e-8) }
        #expect(chol.factorNonzeros > 0)
        // Refactorising with new values reuses the analysis.
        let theta2 = theta.map { 1 / $0 }
        try chol.factorize(theta: theta2, beta: beta)
        #expect(chol.orderingName != "none")
    }

    @Test func normalCholeskyOnColumnSubset() throws {
        let a = try SparseMatrix(rows: 2, columns: 3, triplets: [(0, 0, 1), (1, 1, 2), (0, 2, 1), (1, 2, 1)])
        let chol = try SparseNormalCholesky(a, columns: [0, 1])
        try chol.factorize(theta: [1, 1, 100], beta: 0)
        // Only columns 0 and 1: M = diag(1, 4).
        let x = try chol.solve([2, 8])
        #expect(abs(x[0] - 2) < 1e-14 && abs(x[1] - 2) < 1e-14)
    }

    @Test func singularNormalMatrixIsReported() throws {
        let a = try SparseMatrix(rows: 2, columns: 1, triplets: [(0, 0, 1)])
        let chol = try SparseNormalCholesky(a)
        #expect(throws: LinearAlgebraError.self) { try chol.factorize(theta: [1], beta: 0) }
        try chol.factorize(theta: [1], beta: 1e-8)
    }
}

