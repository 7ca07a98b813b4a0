import CLinearAlgebra

/// Sparse Cholesky factorization of the regularised normal matrix
///
///     M = A_F Θ_F A_Fᵀ + β I
///
/// by CHOLMOD (Davis et al., supernodal left-looking LLᵀ — or simplicial when the factor is
/// too sparse for supernodes to pay — with its fill-reducing ordering, AMD or METIS), where A is m × n sparse, Θ a positive
/// diagonal and F a subset of the columns (the "sparse" columns; dense columns are
/// left to the caller, e.g. through a Schur complement).
///
/// The symbolic analysis of A_F A_Fᵀ is done once, in `init`; `factorize(theta:beta:)`
/// refactorises numerically for new Θ and β, reusing the analysis (and, for a simplicial
/// factor, the permuted copies of A_F it works on: `PermutedNormalMatrices`). M is never formed
/// by us: CHOLMOD factors A_F Θ^{1/2} (A_F Θ^{1/2})ᵀ + β I directly.
/// Memory is that of the factor L, O(nnz(L)); nothing is dense O(m²).
public final class SparseNormalCholesky {
    public let rows: Int
    private let matrix: SparseMatrix
    private var common = cholmod_common()
    /// A's pattern for the analysis, and A Θ^{1/2} for `cholmod_factorize_p` (a supernodal
    /// factor); freed once the simplicial path's own matrices are built.
    private var scaled: UnsafeMutablePointer<cholmod_sparse>?
    private var factor: UnsafeMutablePointer<cholmod_factor>?
    private var fset: [Int32]
    private var rhs: UnsafeMutablePointer<cholmod_dense>
    // Workspace of `cholmod_solve2`, kept across solves.
    private var solution: UnsafeMutablePointer<cholmod_dense>?
    private var solveY: UnsafeMutablePointer<cholmod_dense>?
    private var solveE: UnsafeMutablePointer<cholmod_dense>?
    /// For a simplicial factor: the permuted matrices `cholmod_rowfac` takes, kept.
    private var permuted: PermutedNormalMatrices?
    private var permutedFailed = false
    private let rootTheta: UnsafeMutableBufferPointer<Double>

    /// Nonzeros of the factor L after the last factorization (fill-in measure).
    public var factorNonzeros: Int {
        guard let f = factor else { return 0 }
        if f.pointee.is_super != 0 {
            // For a supernodal factor, xsize counts the numeric entries stored.
            return Int(f.pointee.xsize)
        }
        return Int(f.pointee.nzmax)
    }

    /// The fill-reducing ordering of the analysis: row `ordering[k]` of A is eliminated k-th.
    public var ordering: [Int32] {
        guard let f = factor else { return [] }
        guard let p = f.pointee.Perm?.assumingMemoryBound(to: Int32.self) else { return (0..<Int32(rows)).map { $0 } }
        return (0..<rows).map { p[$0] }
    }

    /// Nonzeros of L predicted by the symbolic analysis.
    public private(set) var analysisNonzeros = 0.0

    /// Floating-point operations of one numeric factorization (CHOLMOD's estimate).
    public var factorFlops: Double { common.fl }

    /// Name of the ordering CHOLMOD chose (AMD, METIS, NESDIS, natural, ...).
    public var orderingName: String {
        guard let f = factor else { return "none" }
        switch f.pointee.ordering {
        case CHOLMOD_NATURAL: return "natural"
        case CHOLMOD_AMD: return "AMD"
        case CHOLMOD_METIS: return "METIS"
        case CHOLMOD_NESDIS: return "NESDIS"
        case CHOLMOD_COLAMD: return "COLAMD"
        default: return "other"
        }
    }

    /// Analyses the pattern of A_F A_Fᵀ. `columns` are the indices in F (all columns when nil).
    /// `quickOrdering`: AMD only, without CHOLMOD's further tries (METIS, nested
    /// dissection) when AMD's factor is costly — for an analysis that only predicts.
    /// `ordering`: a fill-reducing ordering of the rows to take as it is (``ordering`` of an
    /// earlier analysis of the same pattern), instead of searching for one.
    public init(_ a: SparseMatrix, columns: [Int]? = nil, supernodal: Bool = true, quickOrdering: Bool = false,
                ordering given: [Int32]? = nil) throws {
        rows = a.rows
        matrix = a
        fset = (columns ?? Array(0..<a.columns)).map { Int32($0) }
        cholmod_start(&common)
        common.print = 0
        if quickOrdering {
            common.nmethods = 1
            common.method.0.ordering = CHOLMOD_AMD
        }
        var userPerm = given ?? []
        if let given {
            precondition(given.count == a.rows, "ordering of \(given.count) rows for a matrix of \(a.rows)")
            common.nmethods = 1
            common.method.0.ordering = CHOLMOD_GIVEN
            common.postorder = 0
        }
        common.supernodal = CHOLMOD_SIMPLICIAL
        common.final_ll = 1
        common.quick_return_if_not_posdef = 1
        guard let s = cholmod_allocate_sparse(Int(a.rows), Int(a.columns), Int(Swift.max(1, a.nonzeros)), 1, 1, 0,
                                              CHOLMOD_REAL, &common) else {
            cholmod_finish(&common)
            throw LinearAlgebraError.backendFailure(routine: "cholmod_allocate_sparse", status: Int(common.status))
        }
        scaled = s
        guard let b = cholmod_allocate_dense(Int(a.rows), 1, Int(a.rows), CHOLMOD_REAL, &common) else {
            var sp: UnsafeMutablePointer<cholmod_sparse>? = s
            cholmod_free_sparse(&sp, &common)
            cholmod_finish(&common)
            throw LinearAlgebraError.backendFailure(routine: "cholmod_allocate_dense", status: Int(common.status))
        }
        rhs = b
        rootTheta = .allocate(capacity: a.columns)
        rootTheta.initialize(repeating: 0)
        let p = s.pointee.p.assumingMemoryBound(to: Int32.self)
        let i = s.pointee.i.assumingMemoryBound(to: Int32.self)
        let x = s.pointee.x.assumingMemoryBound(to: Double.self)
        for j in 0...a.columns { p[j] = Int32(a.columnStarts[j]) }
        for k in 0..<a.nonzeros { i[k] = Int32(a.rowIndices[k]); x[k] = a.values[k] }
        func analyze() -> UnsafeMutablePointer<cholmod_factor>? {
            fset.withUnsafeMutableBufferPointer { fp in
                userPerm.withUnsafeMutableBufferPointer { up in
                    cholmod_analyze_p(s, given == nil ? nil : up.baseAddress, fp.baseAddress, fp.count, &common)
                }
            }
        }
        // Simplicial first; when the factorization is dense enough per entry of L
        // (flops / nnz(L) ≥ 100, measured on Netlib and park LPs), supernodal pays for its BLAS-3 setup.
        guard var f = analyze() else {
            throw LinearAlgebraError.backendFailure(routine: "cholmod_analyze", status: Int(common.status))
        }
        analysisNonzeros = common.lnz
        if supernodal && common.lnz > 0 && common.fl / common.lnz >= 100 {
            var old: UnsafeMutablePointer<cholmod_factor>? = f
            cholmod_free_factor(&old, &common)
            common.supernodal = CHOLMOD_SUPERNODAL
            guard let g = analyze() else {
                throw LinearAlgebraError.backendFailure(routine: "cholmod_analyze", status: Int(common.status))
            }
            f = g
        }
        factor = f
    }

    deinit {
        cholmod_free_factor(&factor, &common)
        permuted?.free(&common)
        rootTheta.deallocate()
        var s = scaled
        cholmod_free_sparse(&s, &common)
        var b: UnsafeMutablePointer<cholmod_dense>? = rhs
        cholmod_free_dense(&b, &common)
        cholmod_free_dense(&solution, &common)
        cholmod_free_dense(&solveY, &common)
        cholmod_free_dense(&solveE, &common)
        cholmod_finish(&common)
    }

    /// Numeric factorization of A_F Θ_F A_Fᵀ + β I. `theta` has one entry per column of A
    /// (entries outside F are ignored). Throws `.notPositiveDefinite` when a pivot fails;
    /// the caller may retry with a larger β.
    public func factorize(theta: [Double], beta: Double) throws {
        precondition(theta.count == matrix.columns)
        var b: [Double] = [beta, 0]
        let ok: Int32
        if permuted == nil, !permutedFailed, factor?.pointee.is_super == 0 {
            // Built at the first factorisation: an analysis made only to be compared
            // (`LinkingColumnChoice`) never needs them.
            permuted = PermutedNormalMatrices(matrix, perm: ordering.map { Int($0) }, columns: fset, common: &common)
            // Without them (an allocation failed), `cholmod_factorize_p` does the work.
            permutedFailed = permuted == nil
            if permuted != nil { cholmod_free_sparse(&scaled, &common) }
        }
        if let permuted, let f = factor {
            let root = rootTheta
            for j in 0..<matrix.columns { root[j] = theta[j] > 0 ? theta[j].squareRoot() : 0 }
            permuted.setValues(matrix, rootTheta: UnsafeBufferPointer(root))
            ok = b.withUnsafeMutableBufferPointer { bp in rowFactorize(permuted, beta: bp.baseAddress!, factor: f) }
        } else {
            guard let scaled else { throw LinearAlgebraError.backendFailure(routine: "cholmod_factorize", status: -1) }
            let x = scaled.pointee.x.assumingMemoryBound(to: Double.self)
            matrix.values.withUnsafeBufferPointer { vv in
                for j in 0..<matrix.columns {
                    let s = theta[j] > 0 ? theta[j].squareRoot() : 0
                    for k in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] { x[k] = vv[k] * s }
                }
            }
            ok = fset.withUnsafeMutableBufferPointer { fp in
                b.withUnsafeMutableBufferPointer { bp in
                    cholmod_factorize_p(scaled, bp.baseAddress, fp.baseAddress, fp.count, factor, &common)
                }
            }
        }
        if common.status == CHOLMOD_NOT_POSDEF, let f = factor {
            throw LinearAlgebraError.notPositiveDefinite(column: Int(f.pointee.minor))
        }
        if ok == 0 || common.status < CHOLMOD_OK {
            throw LinearAlgebraError.backendFailure(routine: "cholmod_factorize", status: Int(common.status))
        }
    }

    /// The simplicial branch of `cholmod_factorize_p` for A_F Θ A_Fᵀ + β I, on the kept
    /// permuted matrices: `cholmod_rowfac`, then the factor's final form.
    private func rowFactorize(_ permuted: PermutedNormalMatrices, beta: UnsafeMutablePointer<Double>,
                              factor f: UnsafeMutablePointer<cholmod_factor>) -> Int32 {
        common.status = CHOLMOD_OK
        cholmod_allocate_work(rows, 2 * rows + matrix.columns, 0, &common)
        guard common.status == CHOLMOD_OK else { return 0 }
        let grow2 = common.grow2
        f.pointee.is_ll = common.final_ll != 0 ? 1 : 0
        if f.pointee.xtype == CHOLMOD_PATTERN && common.final_pack != 0 { common.grow2 = 0 }
        cholmod_rowfac(permuted.s, permuted.f, beta, 0, rows, f, &common)
        common.grow2 = grow2
        let status = common.status
        if status >= CHOLMOD_OK && common.final_asis == 0 {
            cholmod_change_factor(f.pointee.xtype, f.pointee.is_ll, 0, common.final_pack, common.final_monotonic, f, &common)
        }
        common.status = Swift.max(common.status, status)
        return common.status >= CHOLMOD_OK ? 1 : 0
    }

    /// Solves M X = B for the columns of B at once (BLAS-3 in a supernodal factor).
    public func solve(columns b: DenseMatrix) throws -> DenseMatrix {
        guard b.rows == rows else { throw LinearAlgebraError.dimensionMismatch("rhs \(b.rows) vs \(rows)") }
        if rows == 0 || b.columns == 0 { return b }
        guard let dense = cholmod_allocate_dense(Int(rows), Int(b.columns), Int(rows), CHOLMOD_REAL, &common) else {
            throw LinearAlgebraError.backendFailure(routine: "cholmod_allocate_dense", status: Int(common.status))
        }
        var owned: UnsafeMutablePointer<cholmod_dense>? = dense
        defer { cholmod_free_dense(&owned, &common) }
        let bx = dense.pointee.x.assumingMemoryBound(to: Double.self)
        b.values.withUnsafeBufferPointer { v in bx.update(from: v.baseAddress!, count: v.count) }
        guard let sol = cholmod_solve(CHOLMOD_A, factor, dense, &common) else {
            throw LinearAlgebraError.backendFailure(routine: "cholmod_solve", status: Int(common.status))
        }
        var out = DenseMatrix(rows: rows, columns: b.columns)
        let sx = sol.pointee.x.assumingMemoryBound(to: Double.self)
        out.values.withUnsafeMutableBufferPointer { o in o.baseAddress!.update(from: sx, count: o.count) }
        var solved: UnsafeMutablePointer<cholmod_dense>? = sol
        cholmod_free_dense(&solved, &common)
        return out
    }

    /// Solves M x = b with the current factor.
    public func solve(_ b: [Double]) throws -> [Double] {
        guard b.count == rows else { throw LinearAlgebraError.dimensionMismatch("rhs \(b.count) vs \(rows)") }
        var out = b
        try out.withUnsafeMutableBufferPointer { try solveInPlace($0) }
        return out
    }

    /// Solves M x = b in place (`b` holds x on return), reusing CHOLMOD's workspace: no
    /// allocation after the first call.
    public func solveInPlace(_ b: UnsafeMutableBufferPointer<Double>) throws {
        guard b.count == rows else { throw LinearAlgebraError.dimensionMismatch("rhs \(b.count) vs \(rows)") }
        guard rows > 0, let base = b.baseAddress else { return }
        let bx = rhs.pointee.x.assumingMemoryBound(to: Double.self)
        bx.update(from: base, count: rows)
        guard cholmod_solve2(CHOLMOD_A, factor, rhs, nil, &solution, nil, &solveY, &solveE, &common) != 0,
              let sol = solution else {
            throw LinearAlgebraError.backendFailure(routine: "cholmod_solve2", status: Int(common.status))
        }
        base.update(from: sol.pointee.x.assumingMemoryBound(to: Double.self), count: rows)
    }
}
