import LinearAlgebra

/// Solves the regularised augmented (KKT) system of one interior-point iteration,
///
///     [ −(Θ⁻¹ + ρp I)   Aᵀ  ] [dx]   [ξ₁]
///     [       A        ρd I ] [dy] = [ξ₂]
///
/// where Θ is the positive diagonal of the current iterate. `update` receives Θ⁻¹,
/// ρp and ρd and factorises; `solve` may then be called several times.
/// Backends are interchangeable (chosen by `KKTBackend`), and each must pass the same
/// conformance test.
protocol KKTSolver: AnyObject {
    /// Factorises for the diagonal Θ⁻¹ (`thetaInverse`, 0 for free columns). Free
    /// columns get Θ⁻¹ = ρp in the factor (primal regularisation); bounded columns keep
    /// their exact Θ⁻¹ — raising small entries would stall iterative refinement on
    /// exactly the basic columns. Solutions are refined towards the unregularised system.
    func update(thetaInverse: [Double], primalRegularization: Double, dualRegularization: Double) throws
    func solve(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double])
    var factorNonzeros: Int { get }
    var denseColumnCount: Int { get }
}

/// The available KKT backends.
public enum KKTBackend: String, Sendable, Codable, CaseIterable {
    /// Normal equations (A D Aᵀ + ρd I) dy = ξ₂ + A D ξ₁ by CHOLMOD supernodal Cholesky,
    /// dense columns by Sherman–Morrison–Woodbury.
    case normalEquations = "normal-equations"
}

/// Normal-equations backend:
///
///     (A D Aᵀ + ρd I) dy = ξ₂ + A D ξ₁,    dx = D (Aᵀ dy − ξ₁).
///
/// Dense columns (more than `denseThreshold` entries) would fill A D Aᵀ completely, so
/// they are kept out of the sparse factor: with M = A_S D_S A_Sᵀ + ρd I and
/// U = A_K D_K^{1/2} (m × k, k dense columns), Sherman–Morrison–Woodbury gives
/// (M + U Uᵀ)⁻¹ r = M⁻¹r − W (I + UᵀW)⁻¹ Uᵀ M⁻¹ r with W = M⁻¹U, a k × k dense
/// Cholesky (LAPACK). Each solve ends with iterative refinement on the normal
/// equations. Factorization: CHOLMOD's cost O(flops of L); solve O(nnz(L) + k·m).
final class NormalEquationsKKT: KKTSolver {
    private let a: SparseMatrix
    private let cholesky: SparseNormalCholesky
    private let denseColumns: [Int]
    private var d: [Double] = []
    private var rho = 0.0
    private var thetaInverse: [Double] = []
    /// Refinement steps on the normal equations inside each regularised solve (needed
    /// when dense columns go through Sherman–Morrison–Woodbury).
    private var innerRefinementSteps: Int { denseColumns.isEmpty ? 0 : 3 }
    /// Relative residual at which refinement of a KKT solve stops.
    var refinementTolerance = 1e-13
    private var w: [[Double]] = []      // W = M⁻¹ U, one column per dense column
    private var schur: DenseCholesky?   // I + UᵀW
    private var u: [[Double]] = []      // dense columns of U

    var factorNonzeros: Int { cholesky.factorNonzeros }
    var factorFlops: Double { cholesky.factorFlops }
    var denseColumnCount: Int { denseColumns.count }

    init(_ a: SparseMatrix, denseThreshold: Int) throws {
        self.a = a
        var dense: [Int] = []
        for j in 0..<a.columns where a.count(ofColumn: j) > denseThreshold { dense.append(j) }
        // Too many "dense" columns defeats the purpose: then factor them all.
        if dense.count > 500 { dense = [] }
        let full = try SparseNormalCholesky(a)
        var chosen = full
        if !dense.isEmpty {
            // Sherman–Morrison–Woodbury is less stable than one factor: use it only when
            // the dense columns would really blow up the factor.
            var isDense = [Bool](repeating: false, count: a.columns)
            for j in dense { isDense[j] = true }
            var sparseColumns: [Int] = []
            for j in 0..<a.columns where !isDense[j] { sparseColumns.append(j) }
            let partial = try SparseNormalCholesky(a, columns: sparseColumns)
            let limit: Double = Swift.max(4.0 * partial.analysisNonzeros, 2.0e6)
            if full.analysisNonzeros <= limit {
                dense = []
            } else {
                chosen = partial
            }
        }
        denseColumns = dense
        cholesky = chosen
    }

    func update(thetaInverse: [Double], primalRegularization: Double, dualRegularization: Double) throws {
        self.thetaInverse = thetaInverse
        let d = thetaInverse.map { $0 > 0 ? 1 / max($0, 1e-14) : 1 / primalRegularization }
        self.d = d
        var beta = dualRegularization
        // Retry with stronger regularisation when a pivot breaks down.
        var attempt = 0
        while true {
            do {
                try cholesky.factorize(theta: d, beta: beta)
                break
            } catch LinearAlgebraError.notPositiveDefinite {
                attempt += 1
                if attempt > 8 { throw LinearAlgebraError.notPositiveDefinite(column: -1) }
                beta = max(beta * 100, 1e-10)
            }
        }
        rho = beta
        guard !denseColumns.isEmpty else { return }
        u = denseColumns.map { j in
            var col = [Double](repeating: 0, count: a.rows)
            let s = d[j].squareRoot()
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] { col[a.rowIndices[k]] = a.values[k] * s }
            return col
        }
        w = try u.map { try cholesky.solve($0) }
        let k = denseColumns.count
        var s = DenseMatrix.identity(k)
        for p in 0..<k { for q in 0...p { let v = Vec.dot(u[p], w[q]); s[p, q] += v; if p != q { s[q, p] += v } } }
        schur = try DenseCholesky(s)
    }

    /// (M + U Uᵀ)⁻¹ r.
    private func solveNormal(_ r: [Double]) throws -> [Double] {
        var v = try cholesky.solve(r)
        guard let schur else { return v }
        let t = try schur.solve(u.map { Vec.dot($0, v) })
        for p in 0..<t.count { Vec.axpy(-t[p], w[p], &v) }
        return v
    }

    /// (A D Aᵀ + ρ I) v, by two sparse products.
    private func applyNormal(_ v: [Double]) -> [Double] {
        var t = a.multiplyTransposed(v)
        for j in 0..<t.count { t[j] *= d[j] }
        var out = a.multiply(t)
        for i in 0..<out.count { out[i] += rho * v[i] }
        return out
    }

    /// Solves the regularised system, then refines the solution against the
    /// unregularised one (ρp = ρd = 0) with the regularised factor as preconditioner,
    /// so regularisation does not bias the Newton direction.
    func solve(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double]) {
        var (dx, dy) = try solveRegularized(xi1, xi2)
        var previous = Double.infinity
        for _ in 0..<4 {
            // r1 = ξ1 − (−Θ⁻¹dx + Aᵀdy), r2 = ξ2 − A dx, with Θ⁻¹ = 1/d − ρp.
            var r1 = a.multiplyTransposed(dy)
            // Residuals of the first block are weighted by D^{1/2}: that is how they enter
            // the normal equations; entries with huge Θ⁻¹ carry rounding noise only.
            var norm = 0.0, scale = 1.0
            for j in 0..<r1.count {
                r1[j] = xi1[j] - (r1[j] - thetaInverse[j] * dx[j])
                let w = d[j].squareRoot()
                norm = max(norm, abs(r1[j]) * w)
                scale = max(scale, abs(xi1[j]) * w)
            }
            var r2 = xi2
            a.multiplyAdd(dx, scale: -1, into: &r2)
            for v in r2 { norm = max(norm, abs(v)) }
            scale = max(scale, Vec.normInf(xi2))
            if norm <= refinementTolerance * scale || !(norm < 0.5 * previous) { break }
            previous = norm
            let (cx, cy) = try solveRegularized(r1, r2)
            for j in 0..<dx.count { dx[j] += cx[j] }
            for i in 0..<dy.count { dy[i] += cy[i] }
        }
        return (dx, dy)
    }

    private func solveRegularized(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double]) {
        var t = xi1
        for j in 0..<t.count { t[j] *= d[j] }
        var rhs = xi2
        a.multiplyAdd(t, into: &rhs)
        var dy = try solveNormal(rhs)
        // Iterative refinement on the normal equations.
        var residualNorm = Double.infinity
        for _ in 0..<innerRefinementSteps {
            let applied = applyNormal(dy)
            var r = rhs
            for i in 0..<r.count { r[i] -= applied[i] }
            let norm = Vec.normInf(r)
            if !(norm < 0.5 * residualNorm) || norm <= 1e-14 * max(1, Vec.normInf(rhs)) { break }
            residualNorm = norm
            let c = try solveNormal(r)
            for i in 0..<dy.count { dy[i] += c[i] }
        }
        var dx = a.multiplyTransposed(dy)
        for j in 0..<dx.count { dx[j] = d[j] * (dx[j] - xi1[j]) }
        return (dx, dy)
    }
}
