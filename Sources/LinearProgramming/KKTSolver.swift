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
    /// What the linking-column detection considered and chose.
    var linkingReport: LinkingColumnReport { get }
}

/// The available KKT backends.
public enum KKTBackend: String, Sendable, Codable, CaseIterable {
    /// Normal equations (A D Aᵀ + ρd I) dy = ξ₂ + A D ξ₁ by CHOLMOD supernodal Cholesky,
    /// linking columns kept out of the factor through a dense Schur complement.
    case normalEquations = "normal-equations"
}

/// Normal-equations backend:
///
///     (A D Aᵀ + ρd I) dy = ξ₂ + A D ξ₁,    dx = D (Aᵀ dy − ξ₁).
///
/// Linking columns K (chosen by ``LinkingColumnRule``) would fill A D Aᵀ, so they are
/// kept out of the sparse factor: only the other columns S are eliminated,
/// M = A_S D_S A_Sᵀ + ρd I is factored by CHOLMOD, and the kept-out columns' part of the
/// augmented system is brought back through its k × k Schur complement
///
///     S = Θ_K⁻¹ + A_Kᵀ M⁻¹ A_K,   S dx_K = A_Kᵀ M⁻¹ r_S − ξ₁_K,   dy = M⁻¹ (r_S − A_K dx_K),
///
/// with r_S = ξ₂ + A_S D_S ξ₁_S, factored densely by LAPACK. Unlike Sherman–Morrison–
/// Woodbury on (M + A_K D_K A_Kᵀ), D_K multiplies nothing: it enters S only as its
/// inverse on the diagonal, which goes to 0 for a column away from its bounds where D_K
/// grows without bound, so S stays well scaled to the end.
/// Factorization: CHOLMOD's cost O(flops of L) plus k solves (at once) and O(k · nnz(A_K))
/// for S; a solve is two sparse solves and O(nnz(A_K) + k²); no m × k block is kept.
/// Each solve is refined against the unregularised augmented system.
final class NormalEquationsKKT: KKTSolver {
    private let a: SparseMatrix
    private let cholesky: SparseNormalCholesky
    private let denseColumns: [Int]
    private var d: [Double] = []
    private var rho = 0.0
    private var thetaInverse: [Double] = []
    /// Relative residual at which refinement of a KKT solve stops.
    var refinementTolerance = 1e-13
    /// Refinement steps against the unregularised system.
    private let refinementSteps = 4
    private var isKept: [Bool] = []
    private var schur: DenseCholesky?   // Θ_K⁻¹ + A_Kᵀ M⁻¹ A_K

    var factorNonzeros: Int { cholesky.factorNonzeros }
    var factorFlops: Double { cholesky.factorFlops }
    var denseColumnCount: Int { denseColumns.count }

    let linkingReport: LinkingColumnReport

    /// The columns kept out of the sparse factor are chosen by `rule` (see
    /// ``LinkingColumnRule``).
    convenience init(_ a: SparseMatrix, settings: SolverSettings, rule: LinkingColumnRule) throws {
        try self.init(a, choice: LinkingColumnChoice.choose(a, settings: settings, rule: rule))
    }

    init(_ a: SparseMatrix, choice: LinkingColumnChoice) throws {
        self.a = a
        denseColumns = choice.columns
        cholesky = choice.cholesky
        linkingReport = choice.report
        isKept = [Bool](repeating: false, count: a.columns)
        for j in denseColumns { isKept[j] = true }
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
        let k = denseColumns.count, m = a.rows
        var kept = DenseMatrix(rows: m, columns: k)
        for (p, j) in denseColumns.enumerated() {
            for e in a.columnStarts[j]..<a.columnStarts[j + 1] { kept.values[a.rowIndices[e] + p * m] = a.values[e] }
        }
        // W = M⁻¹ A_K is needed only to form S; the solves apply M⁻¹ again instead of
        // keeping the m × k block.
        let w = try cholesky.solve(columns: kept)
        var s = DenseMatrix(rows: k, columns: k)
        w.values.withUnsafeBufferPointer { wv in
            for p in 0..<k {
                let j = denseColumns[p]
                for q in 0...p {
                    let v = columnDot(j, wv[(q * m)..<((q + 1) * m)])
                    s[p, q] = v
                    s[q, p] = v
                }
                s[p, p] += 1 / d[j]
            }
        }
        schur = try DenseCholesky(s)
    }

    /// a_jᵀ v over column j's own entries (`v` indexed from its start).
    private func columnDot<V: RandomAccessCollection<Double>>(_ j: Int, _ v: V) -> Double where V.Index == Int {
        var sum = 0.0
        for e in a.columnStarts[j]..<a.columnStarts[j + 1] { sum += a.values[e] * v[v.startIndex + a.rowIndices[e]] }
        return sum
    }

    /// Solves the regularised system, then refines the solution against the
    /// unregularised one (ρp = ρd = 0) with the regularised factor as preconditioner,
    /// so regularisation does not bias the Newton direction.
    func solve(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double]) {
        var (dx, dy) = try solveRegularized(xi1, xi2)
        var previous = Double.infinity
        for _ in 0..<refinementSteps {
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
        for j in 0..<t.count { t[j] = isKept[j] ? 0 : t[j] * d[j] }
        var rhs = xi2
        a.multiplyAdd(t, into: &rhs)
        var dy = try cholesky.solve(rhs)
        var keptDx: [Double] = []
        if let schur {
            // S dx_K = A_Kᵀ M⁻¹ r_S − ξ₁_K, then dy = M⁻¹ r_S − M⁻¹ (A_K dx_K).
            let g = denseColumns.map { j in columnDot(j, dy) - xi1[j] }
            keptDx = try schur.solve(g)
            var back = [Double](repeating: 0, count: a.rows)
            for (p, j) in denseColumns.enumerated() {
                for e in a.columnStarts[j]..<a.columnStarts[j + 1] { back[a.rowIndices[e]] += a.values[e] * keptDx[p] }
            }
            let correction = try cholesky.solve(back)
            for i in 0..<dy.count { dy[i] -= correction[i] }
        }
        var dx = a.multiplyTransposed(dy)
        for j in 0..<dx.count { dx[j] = d[j] * (dx[j] - xi1[j]) }
        for (p, j) in denseColumns.enumerated() { dx[j] = keptDx[p] }
        return (dx, dy)
    }
}
