import Foundation
import LinearAlgebra

/// Homogeneous self-dual primal-dual interior-point method for
///
///     min cᵀx  s.t.  A x = b,  l ≤ x ≤ u      (infinite bounds allowed)
///
/// with Mehrotra's predictor-corrector (Mehrotra 1992) and Gondzio's multiple centrality
/// correctors (Gondzio 1996). The homogeneous embedding (Xu–Hung–Ye 1996; with bounds
/// as in Tulip, Tanneau–Anjos–Lodi 2021) needs no feasible start and yields Farkas
/// certificates: τ → 0 with κ > 0 means primal or dual infeasibility.
///
/// Each iteration factorises the regularised normal equations once (see `KKTSolver`)
/// and solves with it 3 + (correctors) times. Work per iteration: one sparse Cholesky
/// plus O(nnz(A) + nnz(L)) per solve.
final class HomogeneousIPM {
    let problem: StandardForm
    let settings: SolverSettings
    let kkt: KKTSolver
    let m: Int
    let n: Int
    // Per-column data read in every pass of an iteration, as buffers: an array's
    // subscript checks its bounds on every read and keeps the loops from being unrolled.
    let hasL: UnsafeMutableBufferPointer<Bool>
    let hasU: UnsafeMutableBufferPointer<Bool>
    let l: UnsafeMutableBufferPointer<Double>   // lower bounds with 0 where infinite
    let u: UnsafeMutableBufferPointer<Double>   // upper bounds with 0 where infinite
    let cost: UnsafeMutableBufferPointer<Double>   // the standard form's c
    let rhs: UnsafeMutableBufferPointer<Double>    // the standard form's b
    let boundCount: Int
    let normB: Double
    let normC: Double
    let normL: Double
    let normU: Double
    var point: IPMPoint
    let work: IPMWorkspace
    var primalRegularization = 1e-8
    var dualRegularization = 1e-8
    /// The accuracy asked of each iteration's KKT solves (``KKTSolver/setAccuracy(_:)``):
    /// this factor times the square of the smallest of the relative primal and dual
    /// infeasibility and gap. Far from the optimum a Newton direction needs little accuracy
    /// (the backend refines to 1e-8 at most while that measure is above 1e-3); close to it it
    /// gets the full 1e-13, and so does the way to a certificate once one of the measures
    /// has fallen (for netlib-infeasible's cplex2 and qual, the primal one). A linear rule
    /// (1e-2 times the measure) was as fast on park LPs but sent netlib-infeasible's cplex2
    /// to the iteration limit; refining every solve to 1e-13 makes the bundled day's solve a
    /// quarter slower with the same iterations and optimum (docs/solver.md).
    let accuracyFactor = 1e-2
    var lastStep = 0.0

    init(_ p: StandardForm, settings: SolverSettings, kkt: KKTSolver) {
        problem = p
        self.settings = settings
        self.kkt = kkt
        m = p.a.rows
        n = p.a.columns
        func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
            _ = b.initialize(from: values)
            return b
        }
        hasL = buffer(p.lower.map { $0.isFinite })
        hasU = buffer(p.upper.map { $0.isFinite })
        l = buffer(p.lower.map { $0.isFinite ? $0 : 0 })
        u = buffer(p.upper.map { $0.isFinite ? $0 : 0 })
        cost = buffer(p.c)
        rhs = buffer(p.b)
        boundCount = hasL.filter { $0 }.count + hasU.filter { $0 }.count
        normB = Vec.normInf(zip(p.b, p.rowFactor).map { $0 * $1 })
        normC = Vec.normInf(zip(p.c, p.dualFactor).map { $0 * $1 })
        normL = Vec.normInf(zip(l, p.columnFactor).map { $0 * $1 })
        normU = Vec.normInf(zip(u, p.columnFactor).map { $0 * $1 })
        point = IPMPoint(n: n, m: m)
        work = IPMWorkspace(n: n, m: m)
        point.tau = 1
        point.kappa = 1
    }

    deinit {
        hasL.deallocate()
        hasU.deallocate()
        l.deallocate()
        u.deallocate()
        cost.deallocate()
        rhs.deallocate()
    }

    struct Outcome {
        var status: SolveStatus
        var iterations: Int
        var point: IPMPoint
        var message: String
    }

    // MARK: residuals

    /// The residuals at `p`, written into the workspace (valid until the next call).
    func residuals(_ p: IPMPoint) -> IPMResiduals {
        let a = problem.a, c = cost, b = rhs
        let hasL = hasL, hasU = hasU, l = l, u = u
        let x = p.x, xl = p.xl, xu = p.xu, zl = p.zl, zu = p.zu, tau = p.tau
        let rp = work.rp, rl = work.rl, ru = work.ru, rd = work.rd
        for i in 0..<m { rp[i] = b[i] * tau }
        a.multiplyAdd(UnsafeBufferPointer(x), scale: -1, into: rp)
        a.multiplyTransposed(UnsafeBufferPointer(p.y), into: rd)
        var comp = p.tau * p.kappa
        var lz = 0.0, uz = 0.0, cx = 0.0
        for j in 0..<n {
            cx += c[j] * x[j]
            var dual = tau * c[j] - rd[j]
            if hasL[j] {
                rl[j] = tau * l[j] - x[j] + xl[j]
                dual -= zl[j]
                comp += xl[j] * zl[j]
                lz += l[j] * zl[j]
            }
            if hasU[j] {
                ru[j] = tau * u[j] - x[j] - xu[j]
                dual += zu[j]
                comp += xu[j] * zu[j]
                uz += u[j] * zu[j]
            }
            rd[j] = dual
        }
        var by = 0.0
        for i in 0..<m { by += b[i] * p.y[i] }
        let dualValue = by + lz - uz
        let rg = cx - dualValue + p.kappa
        return IPMResiduals(rp: rp, rl: rl, ru: ru, rd: rd, rg: rg, mu: comp / Double(boundCount + 1),
                            primalObjective: cx / p.tau, dualObjective: dualValue / p.tau,
                            dualRayValue: dualValue, primalRayValue: cx)
    }

    // MARK: Newton directions

    /// Solves the Newton system at the current point into `d`, for the right-hand side whose
    /// residual parts are η times those of `r` and whose complementarity targets are
    /// `targetL`, `targetU` (the workspace's) and `targetTK`, using the solution (p, q) of
    /// K [p; q] = [c̃; b] of this factorisation (`factorize`). Returns false when the
    /// direction is not finite (NaN or ∞ anywhere).
    func direction(eta: Double, _ r: IPMResiduals, targetTK: Double, into d: IPMDirection) throws -> Bool {
        let pt = point, w = work
        let hasL = hasL, hasU = hasU, l = l, u = u, c = cost, b = rhs
        let ixl = w.inverseXL, ixu = w.inverseXU, ptzl = pt.zl, ptzu = pt.zu
        let rl = r.rl, ru = r.ru, rd = r.rd, rp = r.rp
        let tl = w.targetL, tu = w.targetU, xi1 = w.xi1, xi2 = w.xi2
        // Without branches on the bounds: entries of xl, zl, 1/xl, the targets and rl where
        // the lower bound is infinite are 0 (likewise for the upper side), so the terms of a
        // missing bound add exactly 0 and the values are those of the branching form, bit
        // for bit; the slacks of a missing bound are zeroed by a select.
        for j in 0..<n {
            xi1[j] = eta * rd[j] - (tl[j] + ptzl[j] * eta * rl[j]) * ixl[j] + (tu[j] - ptzu[j] * eta * ru[j]) * ixu[j]
        }
        for i in 0..<m { xi2[i] = eta * rp[i] }
        let t0 = debugIPM ? monotonicSeconds() : 0
        let rx = w.solutionX, sy = w.solutionY
        try kkt.solve(UnsafeBufferPointer(xi1), UnsafeBufferPointer(xi2), dx: rx, dy: sy)
        if debugIPM {
            debugLog(String(format: "solve %.4f s, %d refinement steps", monotonicSeconds() - t0, kkt.info.lastRefinementSteps))
        }
        // The gap equation is affine in dτ: f(dτ) = f0 + dτ f1 = 0; f1 depends on the
        // factorisation only (`gapSlope`).
        var f0 = -eta * r.rg - targetTK / pt.tau
        for i in 0..<m { f0 += b[i] * sy[i] }
        for j in 0..<n {
            f0 -= c[j] * rx[j]
            f0 += l[j] * (tl[j] - ptzl[j] * (rx[j] - eta * rl[j])) * ixl[j]
            f0 -= u[j] * (tu[j] - ptzu[j] * (-rx[j] + eta * ru[j])) * ixu[j]
        }
        let dtau = -f0 / w.gapSlope
        d.tau = dtau
        d.kappa = (targetTK - pt.kappa * dtau) / pt.tau
        // Only whether the direction is finite matters: one sum of everything written.
        var check = d.tau + d.kappa
        let dx = d.x, dxl = d.xl, dxu = d.xu, dzl = d.zl, dzu = d.zu, dy = d.y, px = w.pqX, py = w.pqY
        for j in 0..<n {
            let v = rx[j] + dtau * px[j]
            let vl = (v - l[j] * dtau - eta * rl[j]) * (hasL[j] ? 1 : 0)
            let zl = (tl[j] - ptzl[j] * vl) * ixl[j]
            let vu = (-v + u[j] * dtau + eta * ru[j]) * (hasU[j] ? 1 : 0)
            let zu = (tu[j] - ptzu[j] * vu) * ixu[j]
            dx[j] = v
            dxl[j] = vl
            dzl[j] = zl
            dxu[j] = vu
            dzu[j] = zu
            check += (v + vl) + (zl + vu) + zu
        }
        for i in 0..<m {
            let v = sy[i] + dtau * py[i]
            dy[i] = v
            check += v
        }
        return check.isFinite
    }

    /// Largest α ≤ 1 keeping the iterate's positive parts non-negative.
    func maxStep(_ d: IPMDirection) -> Double {
        var a = 1.0
        let p = point
        let xl = p.xl, xu = p.xu, zl = p.zl, zu = p.zu, dxl = d.xl, dxu = d.xu, dzl = d.zl, dzu = d.zu
        // A missing bound's entries are 0 in the direction (`direction`), so they never
        // limit the step; selects instead of branches.
        for j in 0..<n {
            let a1 = dxl[j] < 0 ? -xl[j] / dxl[j] : 1
            let a2 = dzl[j] < 0 ? -zl[j] / dzl[j] : 1
            let a3 = dxu[j] < 0 ? -xu[j] / dxu[j] : 1
            let a4 = dzu[j] < 0 ? -zu[j] / dzu[j] : 1
            a = min(a, min(min(a1, a2), min(a3, a4)))
        }
        if d.tau < 0 { a = min(a, -p.tau / d.tau) }
        if d.kappa < 0 { a = min(a, -p.kappa / d.kappa) }
        return a
    }

    /// Factorises the KKT system at the current point, solves it for [c̃; b] into the
    /// workspace's (p, q), and computes the gap equation's slope for this factorisation.
    func factorize(regularizationBoost boost: Double = 1) throws {
        let p = point, w = work
        let hasL = hasL, hasU = hasU, l = l, u = u
        let c = cost, ctilde = w.xi1, ixl = w.inverseXL, ixu = w.inverseXU
        let dinv = [Double](count: n) { j in
            var t = 0.0, v = c[j]
            if hasL[j] {
                ixl[j] = 1 / p.xl[j]
                let r = p.zl[j] * ixl[j]
                t += r
                v -= r * l[j]
            }
            if hasU[j] {
                ixu[j] = 1 / p.xu[j]
                let r = p.zu[j] * ixu[j]
                t += r
                v -= r * u[j]
            }
            ctilde[j] = v
            return t
        }
        let t0 = monotonicSeconds()
        try kkt.update(thetaInverse: dinv, primalRegularization: primalRegularization * boost,
                       dualRegularization: dualRegularization * boost)
        if debugIPM {
            debugLog(String(format: "factorize %.4f s flops %.3g", monotonicSeconds() - t0, kkt.info.factorFlops))
        }
        let px = w.pqX, py = w.pqY
        try kkt.solve(UnsafeBufferPointer(ctilde), UnsafeBufferPointer(rhs), dx: px, dy: py)
        // f1 of the gap equation f(dτ) = f0 + dτ f1 (see `direction`).
        var slope = p.kappa / p.tau
        let b = rhs
        for i in 0..<m { slope += b[i] * py[i] }
        for j in 0..<n {
            slope -= c[j] * px[j]
            if hasL[j] { slope -= l[j] * p.zl[j] * (px[j] - l[j]) * ixl[j] }
            if hasU[j] { slope += u[j] * p.zu[j] * (-px[j] + u[j]) * ixu[j] }
        }
        w.gapSlope = slope
    }
}
