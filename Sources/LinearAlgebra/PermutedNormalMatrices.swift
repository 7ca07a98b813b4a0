import CLinearAlgebra

/// The two matrices CHOLMOD's simplicial factorisation of A_F Θ A_Fᵀ works on, S = (A Θ^{1/2})(p, F)
/// and its transpose, with their patterns built once from the ordering p of the symbolic
/// analysis. `cholmod_factorize_p` builds both afresh at every call (two allocations and
/// two transpositions of A); here a refactorisation only writes their values, one pass
/// over each, and calls `cholmod_rowfac` as `cholmod_factorize_p` would.
final class PermutedNormalMatrices {
    let s: UnsafeMutablePointer<cholmod_sparse>
    let f: UnsafeMutablePointer<cholmod_sparse>
    /// For each entry of S (then of F): the index of its value in A.
    private let sourceS: [Int32]
    private let sourceF: [Int32]
    /// Where S's columns start, and A's column of each (F's rows are the same columns).
    private let startsS: [Int]
    private let columns: [Int]

    /// `perm[k]` is the row of A that becomes row k (CHOLMOD's `L->Perm`); `columns` is F.
    init?(_ a: SparseMatrix, perm: [Int], columns: [Int32], common: inout cholmod_common) {
        let m = a.rows, nf = columns.count
        var inverse = [Int](repeating: 0, count: m)
        for (k, i) in perm.enumerated() { inverse[i] = k }
        // Two bucket passes, as a transposition does: F = A(p, F)ᵀ from A's columns taken
        // in F's order (so each column of F lists S's columns in order), then S = Fᵀ from
        // F's columns taken in order (so each column of S lists its rows in order).
        var nnz = 0
        for c in columns { nnz += a.count(ofColumn: Int(c)) }
        var startsF = [Int](repeating: 0, count: m + 1)
        for c in columns {
            let j = Int(c)
            for e in a.columnStarts[j]..<a.columnStarts[j + 1] { startsF[inverse[a.rowIndices[e]] + 1] += 1 }
        }
        for r in 0..<m { startsF[r + 1] += startsF[r] }
        var next = startsF
        var rowsF = [Int](repeating: 0, count: nnz), srcF = [Int](repeating: 0, count: nnz)
        for (k, c) in columns.enumerated() {
            let j = Int(c)
            for e in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let r = inverse[a.rowIndices[e]]
                let q = next[r]
                next[r] += 1
                rowsF[q] = k
                srcF[q] = e
            }
        }
        var starts = [Int](repeating: 0, count: nf + 1)
        for k in rowsF { starts[k + 1] += 1 }
        for k in 0..<nf { starts[k + 1] += starts[k] }
        next = starts
        var rowsS = [Int](repeating: 0, count: nnz), srcS = [Int](repeating: 0, count: nnz)
        for r in 0..<m {
            for q in startsF[r]..<startsF[r + 1] {
                let k = rowsF[q]
                let t = next[k]
                next[k] += 1
                rowsS[t] = r
                srcS[t] = srcF[q]
            }
        }
        guard let s = cholmod_allocate_sparse(m, nf, Swift.max(1, nnz), 1, 1, 0, CHOLMOD_REAL, &common) else { return nil }
        guard let f = cholmod_allocate_sparse(nf, m, Swift.max(1, nnz), 1, 1, 0, CHOLMOD_REAL, &common) else {
            var owned: UnsafeMutablePointer<cholmod_sparse>? = s
            cholmod_free_sparse(&owned, &common)
            return nil
        }
        func fill(_ target: UnsafeMutablePointer<cholmod_sparse>, _ starts: [Int], _ indices: [Int]) {
            let p = target.pointee.p.assumingMemoryBound(to: Int32.self)
            let i = target.pointee.i.assumingMemoryBound(to: Int32.self)
            for (k, v) in starts.enumerated() { p[k] = Int32(v) }
            for (k, v) in indices.enumerated() { i[k] = Int32(v) }
        }
        fill(s, starts, rowsS)
        fill(f, startsF, rowsF)
        self.s = s
        self.f = f
        sourceS = srcS.map { Int32($0) }
        sourceF = srcF.map { Int32($0) }
        startsS = starts
        self.columns = columns.map { Int($0) }
    }

    /// Writes the values of A Θ^{1/2} into S and F (`rootTheta` per column of A).
    func setValues(_ a: SparseMatrix, rootTheta: UnsafeBufferPointer<Double>) {
        a.values.withUnsafeBufferPointer { v in
            sourceS.withUnsafeBufferPointer { src in
                startsS.withUnsafeBufferPointer { starts in
                    columns.withUnsafeBufferPointer { col in
                        let x = s.pointee.x.assumingMemoryBound(to: Double.self)
                        for k in 0..<col.count {
                            let root = rootTheta[col[k]]
                            for e in starts[k]..<starts[k + 1] { x[e] = v[Int(src[e])] * root }
                        }
                    }
                }
            }
            sourceF.withUnsafeBufferPointer { src in
                columns.withUnsafeBufferPointer { col in
                    let x = f.pointee.x.assumingMemoryBound(to: Double.self)
                    let k = f.pointee.i.assumingMemoryBound(to: Int32.self)
                    for e in 0..<src.count { x[e] = v[Int(src[e])] * rootTheta[col[Int(k[e])]] }
                }
            }
        }
    }

    /// Frees S and F (once: the owner calls it from its deinit).
    func free(_ common: inout cholmod_common) {
        var owned: UnsafeMutablePointer<cholmod_sparse>? = s
        cholmod_free_sparse(&owned, &common)
        owned = f
        cholmod_free_sparse(&owned, &common)
    }
}
