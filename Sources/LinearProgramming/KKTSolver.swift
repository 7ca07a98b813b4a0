import LinearAlgebra

/// Solves the augmented (KKT) system of one interior-point iteration,
///
///     [ −Θ⁻¹   Aᵀ ] [dx]   [ξ₁]
///     [   A    0  ] [dy] = [ξ₂]
///
/// where A is the scaled standard form's matrix (m rows, n columns, one slack column per
/// inequality row) and Θ the positive diagonal of the current iterate. `update` receives
/// Θ⁻¹ and the regularisations ρp, ρd the backend may add (−(Θ⁻¹ + ρp I) and ρd I on the
/// diagonal blocks) and factorises; `solve` may then be called several times for the same
/// factorisation, and should return the solution of the unregularised system (e.g. by
/// iterative refinement). The interior point solves 4–5 times per factorisation.
///
/// The solver's own backend is chosen by ``KKTBackend``; a researcher's backend enters
/// through ``LPSolver/solve(_:settings:logger:progress:kkt:)``. The solver's backends are held
/// to one conformance suite (`KKTConformanceTests`: random block-angular LPs with known
/// optima, free, fixed and dense columns, a Netlib subset, infeasible and unbounded LPs), and
/// `CustomKKTTests` runs a dense backend written against this protocol alone through it.
///
/// ```swift
/// final class MyKKT: KKTSolver {
///     init(_ a: SparseMatrix, _ settings: SolverSettings) { … }
///     func update(thetaInverse: [Double], primalRegularization: Double, dualRegularization: Double) throws { … }
///     func solve(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double]) { … }
///     var info: KKTInfo { KKTInfo(backend: "mine") }
/// }
/// let result = try LPSolver.solve(lp, kkt: { a, settings in MyKKT(a, settings) })
/// ```
public protocol KKTSolver: AnyObject {
    /// Factorises for the diagonal Θ⁻¹ (`thetaInverse`, n entries, 0 for free columns).
    /// The solver's backend gives free columns Θ⁻¹ = ρp in the factor (primal
    /// regularisation) and keeps bounded columns' exact Θ⁻¹ — raising small entries would
    /// stall iterative refinement on exactly the basic columns, and raises ρd a hundredfold
    /// when a pivot breaks down (Θ spans 30 orders of magnitude near the end). Throws when no
    /// factor can be made; the solve then ends `numerical_error`.
    func update(thetaInverse: [Double], primalRegularization: Double, dualRegularization: Double) throws
    /// The solution (dx of n entries, dy of m) for the right-hand side (ξ₁, ξ₂).
    func solve(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double])
    /// The same solve into the caller's buffers (`dx` of n entries, `dy` of m, neither
    /// overlapping `xi1` or `xi2`): the form the interior point calls, 3–5 times an
    /// iteration. The default calls ``solve(_:_:)`` and copies; a backend implements it to
    /// allocate nothing per solve.
    func solve(_ xi1: UnsafeBufferPointer<Double>, _ xi2: UnsafeBufferPointer<Double>,
               dx: UnsafeMutableBufferPointer<Double>, dy: UnsafeMutableBufferPointer<Double>) throws
    /// What the backend is and did, for the log, ``SolveResult`` and `lp solve --json`.
    var info: KKTInfo { get }
    /// The relative residual the interior point needs from the solves that follow, set once
    /// an iteration from how far the iterate still is from the tolerances (the interior point
    /// sends 1e-2 × ν², ν the smallest relative infeasibility or gap), and 0, meaning the
    /// tightest, before the starting point and the final correction. The value is not
    /// clamped: a backend that refines its solves may stop there, within bounds of its own
    /// (the solver's refines to between 1e-13 and 1e-8); the default ignores it.
    func setAccuracy(_ relative: Double)
}

extension KKTSolver {
    /// Ignores the hint: the backend solves as accurately as it always does.
    public func setAccuracy(_ relative: Double) {}

    /// Calls ``solve(_:_:)`` and copies its solution into `dx` and `dy`.
    public func solve(_ xi1: UnsafeBufferPointer<Double>, _ xi2: UnsafeBufferPointer<Double>,
                      dx: UnsafeMutableBufferPointer<Double>, dy: UnsafeMutableBufferPointer<Double>) throws {
        let (x, y) = try solve(Array(xi1), Array(xi2))
        guard x.count == dx.count && y.count == dy.count else {
            throw LinearAlgebraError.dimensionMismatch("KKT solve returned \(x.count) + \(y.count) entries for \(dx.count) + \(dy.count)")
        }
        _ = dx.update(fromContentsOf: x)
        _ = dy.update(fromContentsOf: y)
    }
}

/// What a KKT backend reports about itself: no caller needs to know its concrete type.
public struct KKTInfo: Sendable, Equatable {
    /// Its name, as the log shows it.
    public var backend: String
    /// Nonzeros of its factor (0 when it keeps none or does not say).
    public var factorNonzeros: Int
    /// Floating-point operations of one factorisation, as estimated (0 when unknown).
    public var factorFlops: Double
    /// Columns kept out of the sparse factor and handled apart.
    public var keptOutColumns: Int
    /// Refinement steps taken by the last solve.
    public var lastRefinementSteps: Int
    /// What the linking-column detection considered and chose (the solver's backend).
    public var linking: LinkingColumnReport?

    public init(backend: String, factorNonzeros: Int = 0, factorFlops: Double = 0, keptOutColumns: Int = 0,
                lastRefinementSteps: Int = 0, linking: LinkingColumnReport? = nil) {
        self.backend = backend
        self.factorNonzeros = factorNonzeros
        self.factorFlops = factorFlops
        self.keptOutColumns = keptOutColumns
        self.lastRefinementSteps = lastRefinementSteps
        self.linking = linking
    }
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
/// for S; a solve is one sparse solve and O(m k) with W = M⁻¹ A_K kept when m k ≤ 2 nnz(L), else
/// two sparse solves and O(nnz(A_K) + k²) without keeping the m × k block.
/// Each solve is refined against the unregularised augmented system.
final class NormalEquationsKKT: KKTSolver {
    private let a: SparseMatrix
    private let cholesky: SparseNormalCholesky
    private let denseColumns: [Int]
    /// Relative residual at which refinement of a KKT solve stops (``setAccuracy(_:)``).
    private var refinementTolerance = 1e-13
    /// Refinement steps against the unregularised system.
    private let refinementSteps = 4
    private var schur: DenseCholesky?   // Θ_K⁻¹ + A_Kᵀ M⁻¹ A_K
    /// W = M⁻¹ A_K (m × k, column-major), kept from the factorisation when applying it costs
    /// less than a sparse solve pair (m·k ≤ 2 nnz(L)); nil: the solves apply M⁻¹ again.
    private var keptSolves: [Double]?
    /// Forces keeping W (true) or not (false); nil decides by the cost rule above (tests).
    var keepsSolves: Bool?
    /// Refinement steps taken by the last `solve`.
    private(set) var lastRefinementSteps = 0

    // Per-column and per-row buffers, allocated once: a solve without kept-out columns
    // allocates nothing but its result. `d` is D = Θ (1/ρp for free columns), `dFactor` D
    // with 0 on the kept-out columns, `rootD` D^{1/2}, `thetaInverse` the exact Θ⁻¹ of the
    // last update.
    private let isKept: [Bool]
    /// Columns whose D is not exactly Θ (free, Θ⁻¹ below 1e-14, kept out): the only ones on
    /// which the first block's residual can exceed rounding (see `solveRefined`).
    private var inexact: [Int] = []
    private let d: UnsafeMutableBufferPointer<Double>
    private let dFactor: UnsafeMutableBufferPointer<Double>
    private let rootD: UnsafeMutableBufferPointer<Double>
    private let thetaInverse: UnsafeMutableBufferPointer<Double>
    private let columnWork: UnsafeMutableBufferPointer<Double>
    private let residual1: UnsafeMutableBufferPointer<Double>
    private let correction1: UnsafeMutableBufferPointer<Double>
    private let residual2: UnsafeMutableBufferPointer<Double>
    private let correction2: UnsafeMutableBufferPointer<Double>
    private let rowWork: UnsafeMutableBufferPointer<Double>

    let linkingReport: LinkingColumnReport

    var info: KKTInfo {
        KKTInfo(backend: KKTBackend.normalEquations.rawValue, factorNonzeros: cholesky.factorNonzeros, factorFlops: cholesky.factorFlops,
                keptOutColumns: denseColumns.count, lastRefinementSteps: lastRefinementSteps, linking: linkingReport)
    }

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
        var kept = [Bool](repeating: false, count: a.columns)
        for j in choice.columns { kept[j] = true }
        isKept = kept
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            b.initialize(repeating: 0)
            return b
        }
        d = buffer(a.columns)
        dFactor = buffer(a.columns)
        rootD = buffer(a.columns)
        thetaInverse = buffer(a.columns)
        columnWork = buffer(a.columns)
        residual1 = buffer(a.columns)
        correction1 = buffer(a.columns)
        residual2 = buffer(a.rows)
        correction2 = buffer(a.rows)
        rowWork = buffer(a.rows)
    }

    deinit {
        for b in [d, dFactor, rootD, thetaInverse, columnWork, residual1, correction1, residual2, correction2, rowWork] {
            b.deallocate()
        }
    }

    func update(thetaInverse newThetaInverse: [Double], primalRegularization: Double, dualRegularization: Double) throws {
        precondition(newThetaInverse.count == a.columns)
        // Nothing of the previous factorisation's Schur part survives a failed update.
        schur = nil
        keptSolves = nil
        inexact.removeAll(keepingCapacity: true)
        for j in 0..<a.columns {
            let t = newThetaInverse[j]
            thetaInverse[j] = t
            let v = t > 0 ? 1 / max(t, 1e-14) : 1 / primalRegularization
            d[j] = v
            dFactor[j] = isKept[j] ? 0 : v
            rootD[j] = v.squareRoot()
            if isKept[j] || !(t >= 1e-14) { inexact.append(j) }
            residual1[j] = 0
        }
        let theta = Array(d)
        var beta = dualRegularization
        // Retry with stronger regularisation when a pivot breaks down.
        var attempt = 0
        while true {
            do {
                try cholesky.factorize(theta: theta, beta: beta)
                break
            } catch LinearAlgebraError.notPositiveDefinite {
                attempt += 1
                if attempt > 8 { throw LinearAlgebraError.notPositiveDefinite(column: -1) }
                beta = max(beta * 100, 1e-10)
            }
        }
        guard !denseColumns.isEmpty else { return }
        let k = denseColumns.count, m = a.rows
        var kept = DenseMatrix(rows: m, columns: k)
        for (p, j) in denseColumns.enumerated() {
            for e in a.columnStarts[j]..<a.columnStarts[j + 1] { kept.values[a.rowIndices[e] + p * m] = a.values[e] }
        }
        // W = M⁻¹ A_K forms S. The solves need M⁻¹ A_K dx_K: W dx_K (2 m k flops) when W is
        // small against the factor, else a sparse solve pair (about 4 nnz(L) flops) instead
        // of keeping the m × k block.
        let w = try cholesky.solve(columns: kept)
        keptSolves = keepsSolves ?? (m * k <= 2 * cholesky.factorNonzeros) ? w.values : nil
        var s = DenseMatrix(rows: k, columns: k)
        w.values.withUnsafeBufferPointer { wv in
            guard let base = wv.baseAddress else { return }
            for p in 0..<k {
                let j = denseColumns[p]
                for q in 0...p {
                    let v = columnDot(j, base + q * m)
                    s[p, q] = v
                    s[q, p] = v
                }
                s[p, p] += 1 / d[j]
            }
        }
        schur = try DenseCholesky(s)
    }

    /// a_jᵀ v over column j's own entries (`v` indexed by row).
    private func columnDot(_ j: Int, _ v: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        for e in a.columnStarts[j]..<a.columnStarts[j + 1] { sum += a.values[e] * v[a.rowIndices[e]] }
        return sum
    }

    /// Refinement stops at `relative`, kept within 1e-13 … 1e-8.
    func setAccuracy(_ relative: Double) {
        refinementTolerance = relative.isNaN ? 1e-13 : min(max(relative, 1e-13), 1e-8)
    }

    /// Solves the regularised system, then refines the solution against the
    /// unregularised one (ρp = ρd = 0) with the regularised factor as preconditioner,
    /// so regularisation does not bias the Newton direction.
    func solve(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double]) {
        precondition(xi1.count == a.columns && xi2.count == a.rows)
        var dx = [Double](repeating: 0, count: a.columns), dy = [Double](repeating: 0, count: a.rows)
        try xi1.withUnsafeBufferPointer { x1 in
            try xi2.withUnsafeBufferPointer { x2 in
                try dx.withUnsafeMutableBufferPointer { dxp in
                    try dy.withUnsafeMutableBufferPointer { dyp in try solveRefined(x1, x2, dxp, dyp) }
                }
            }
        }
        return (dx, dy)
    }

    func solve(_ xi1: UnsafeBufferPointer<Double>, _ xi2: UnsafeBufferPointer<Double>,
               dx: UnsafeMutableBufferPointer<Double>, dy: UnsafeMutableBufferPointer<Double>) throws {
        precondition(xi1.count == a.columns && xi2.count == a.rows && dx.count == a.columns && dy.count == a.rows)
        try solveRefined(xi1, xi2, dx, dy)
    }

    /// The first block's residual r1 = ξ1 − (−Θ⁻¹dx + Aᵀdy) is rounding only on a column
    /// whose D is exactly Θ: there dx = D (Aᵀdy − ξ1) makes Θ⁻¹dx = Aᵀdy − ξ1, and a
    /// correction keeps it so. It is computed on the `inexact` columns alone (the others of
    /// `residual1` stay 0), which saves a product with Aᵀ per refinement step.
    private func solveRefined(_ xi1: UnsafeBufferPointer<Double>, _ xi2: UnsafeBufferPointer<Double>,
                              _ dx: UnsafeMutableBufferPointer<Double>, _ dy: UnsafeMutableBufferPointer<Double>) throws {
        let n = a.columns, m = a.rows
        try solveRegularized(xi1, xi2, dx, dy, firstBlockOnInexact: false)
        var previous = Double.infinity
        lastRefinementSteps = 0
        // Locals: stores through the buffers could alias the instance, so its properties
        // would be reloaded on every entry inside the loops.
        let r1 = residual1, r2 = residual2, c1 = correction1, c2 = correction2
        let thetaInverse = thetaInverse, rootD = rootD, tolerance = refinementTolerance
        // Residuals of the first block are weighted by D^{1/2}: that is how they enter
        // the normal equations; entries with huge Θ⁻¹ carry rounding noise only.
        var scale = 1.0
        for j in 0..<n { scale = max(scale, abs(xi1[j]) * rootD[j]) }
        for i in 0..<m { scale = max(scale, abs(xi2[i])) }
        let dyBase = dy.baseAddress
        for _ in 0..<refinementSteps {
            // r1 = ξ1 − (−Θ⁻¹dx + Aᵀdy) on the inexact columns, r2 = ξ2 − A dx.
            var norm = 0.0
            for j in inexact {
                let aty = dyBase.map { columnDot(j, $0) } ?? 0
                let r = xi1[j] - (aty - thetaInverse[j] * dx[j])
                r1[j] = r
                norm = max(norm, abs(r) * rootD[j])
            }
            for i in 0..<m { r2[i] = 0 }
            a.multiplyAdd(UnsafeBufferPointer(dx), into: r2)
            for i in 0..<m {
                let r = xi2[i] - r2[i]
                r2[i] = r
                norm = max(norm, abs(r))
            }
            if norm <= tolerance * scale || !(norm < 0.5 * previous) { break }
            previous = norm
            lastRefinementSteps += 1
            try solveRegularized(UnsafeBufferPointer(r1), UnsafeBufferPointer(r2), c1, c2, firstBlockOnInexact: true)
            for j in 0..<n { dx[j] += c1[j] }
            for i in 0..<m { dy[i] += c2[i] }
        }
    }

    /// `firstBlockOnInexact`: ξ1 is zero outside the `inexact` columns (a refinement step).
    private func solveRegularized(_ xi1: UnsafeBufferPointer<Double>, _ xi2: UnsafeBufferPointer<Double>,
                                  _ dx: UnsafeMutableBufferPointer<Double>, _ dy: UnsafeMutableBufferPointer<Double>,
                                  firstBlockOnInexact: Bool) throws {
        let n = a.columns, m = a.rows
        let t = columnWork, dFactor = dFactor, d = d
        if firstBlockOnInexact {
            for i in 0..<m { dy[i] = xi2[i] }
            for j in inexact where dFactor[j] != 0 {
                let v = xi1[j] * dFactor[j]
                for e in a.columnStarts[j]..<a.columnStarts[j + 1] { dy[a.rowIndices[e]] += a.values[e] * v }
            }
        } else {
            for j in 0..<n { t[j] = xi1[j] * dFactor[j] }
            for i in 0..<m { dy[i] = xi2[i] }
            a.multiplyAdd(UnsafeBufferPointer(t), into: dy)
        }
        try cholesky.solveInPlace(dy)
        var keptDx: [Double] = []
        // No Schur complement for the kept-out columns: the last update failed part way.
        if !denseColumns.isEmpty && schur == nil { throw LinearAlgebraError.notPositiveDefinite(column: -1) }
        if let schur, let dyBase = dy.baseAddress {
            // S dx_K = A_Kᵀ M⁻¹ r_S − ξ₁_K, then dy = M⁻¹ r_S − M⁻¹ (A_K dx_K).
            let g = denseColumns.map { j in columnDot(j, dyBase) - xi1[j] }
            keptDx = try schur.solve(g)
            if let w = keptSolves {
                w.withUnsafeBufferPointer { wv in
                    guard let base = wv.baseAddress else { return }
                    for (p, v) in keptDx.enumerated() where v != 0 {
                        let column = base + p * m
                        for i in 0..<m { dy[i] -= column[i] * v }
                    }
                }
            } else {
                let back = rowWork
                for i in 0..<m { back[i] = 0 }
                for (p, j) in denseColumns.enumerated() {
                    for e in a.columnStarts[j]..<a.columnStarts[j + 1] { back[a.rowIndices[e]] += a.values[e] * keptDx[p] }
                }
                try cholesky.solveInPlace(back)
                for i in 0..<m { dy[i] -= back[i] }
            }
        }
        a.multiplyTransposed(UnsafeBufferPointer(dy), into: dx)
        for j in 0..<n { dx[j] = d[j] * (dx[j] - xi1[j]) }
        for (p, j) in denseColumns.enumerated() { dx[j] = keptDx[p] }
    }
}
