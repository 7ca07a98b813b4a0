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
    let hasL: [Bool]
    let hasU: [Bool]
    let l: [Double]   // lower bounds with 0 where infinite
    let u: [Double]   // upper bounds with 0 where infinite
    let boundCount: Int
    let normB: Double
    let normC: Double
    let normL: Double
    let normU: Double
    var point: IPMPoint
    var primalRegularization = 1e-8
    var dualRegularization = 1e-8
    var lastStep = 0.0

    init(_ p: StandardForm, settings: SolverSettings, kkt: KKTSolver) {
        problem = p
        self.settings = settings
        self.kkt = kkt
        m = p.a.rows
        n = p.a.columns
        hasL = p.lower.map { $0.isFinite }
        hasU = p.upper.map { $0.isFinite }
        l = p.lower.map { $0.isFinite ? $0 : 0 }
        u = p.upper.map { $0.isFinite ? $0 : 0 }
        boundCount = hasL.filter { $0 }.count + hasU.filter { $0 }.count
        normB = Vec.normInf(zip(p.b, p.rowFactor).map { $0 * $1 })
        normC = Vec.normInf(zip(p.c, p.dualFactor).map { $0 * $1 })
        normL = Vec.normInf(zip(l, p.columnFactor).map { $0 * $1 })
        normU = Vec.normInf(zip(u, p.columnFactor).map { $0 * $1 })
        point = IPMPoint(n: n, m: m)
        point.tau = 1
        point.kappa = 1
    }

    struct Outcome {
        var status: SolveStatus
        var iterations: Int
        var point: IPMPoint
        var message: String
    }

    // MARK: residuals

    func residuals(_ p: IPMPoint) -> IPMResiduals {
        let a = problem.a, c = problem.c
        let hasL = hasL, hasU = hasU, l = l, u = u
        let x = p.x, xl = p.xl, xu = p.xu, zl = p.zl, zu = p.zu, tau = p.tau
        var rp = problem.b.map { $0 * p.tau }
        rp.withUnsafeMutableBufferPointer { a.multiplyAdd(UnsafeBufferPointer(p.x), scale: -1, into: $0) }
        let rl = [Double](count: n) { j in hasL[j] ? tau * l[j] - x[j] + xl[j] : 0 }
        let ru = [Double](count: n) { j in hasU[j] ? tau * u[j] - x[j] - xu[j] : 0 }
        var rd = [Double](repeating: 0, count: n)
        var comp = p.tau * p.kappa
        var lz = 0.0, uz = 0.0
        rd.withUnsafeMutableBufferPointer { rd in
            a.multiplyTransposed(UnsafeBufferPointer(p.y), into: rd)
            for j in 0..<n {
                rd[j] = tau * c[j] - rd[j]
                if hasL[j] { rd[j] -= zl[j]; comp += xl[j] * zl[j]; lz += l[j] * zl[j] }
                if hasU[j] { rd[j] += zu[j]; comp += xu[j] * zu[j]; uz += u[j] * zu[j] }
            }
        }
        let cx = Vec.dot(c, p.x)
        let by = Vec.dot(problem.b, p.y)
        let dualValue = by + lz - uz
        let rg = cx - dualValue + p.kappa
        return IPMResiduals(rp: rp, rl: rl, ru: ru, rd: rd, rg: rg, mu: comp / Double(boundCount + 1),
                            primalObjective: cx / p.tau, dualObjective: dualValue / p.tau,
                            dualRayValue: dualValue, primalRayValue: cx)
    }

    // MARK: Newton directions

    /// Solves the Newton system for right-hand side ξ at the current point, given the
    /// solution (p, q) of K [p; q] = [c̃; b] for this factorization.
    func direction(_ r: IPMRightHandSide, pq: (dx: [Double], dy: [Double])) throws -> IPMDirection {
        let pt = point
        let hasL = hasL, hasU = hasU, l = l, u = u
        let ptxl = pt.xl, ptxu = pt.xu, ptzl = pt.zl, ptzu = pt.zu
        let xid = [Double](count: n) { j in
            var v = r.xd[j]
            if hasL[j] { v -= (r.xzl[j] + ptzl[j] * r.xl[j]) / ptxl[j] }
            if hasU[j] { v += (r.xzu[j] - ptzu[j] * r.xu[j]) / ptxu[j] }
            return v
        }
        let t0 = monotonicSeconds()
        let (rx, sy) = try kkt.solve(xid, r.xp)
        if debugIPM {
            debugLog(String(format: "solve %.4f s, %d refinement steps", monotonicSeconds() - t0, kkt.info.lastRefinementSteps))
        }
        // The gap equation is affine in dτ: f(dτ) = f0 + dτ f1 = 0.
        var f0 = -Vec.dot(problem.c, rx) + Vec.dot(problem.b, sy) - r.xtk / pt.tau - r.xg
        var f1 = -Vec.dot(problem.c, pq.dx) + Vec.dot(problem.b, pq.dy) + pt.kappa / pt.tau
        for j in 0..<n {
            if hasL[j] {
                let dzl0 = (r.xzl[j] - ptzl[j] * (rx[j] - r.xl[j])) / ptxl[j]
                let dzl1 = -ptzl[j] * (pq.dx[j] - l[j]) / ptxl[j]
                f0 += l[j] * dzl0
                f1 += l[j] * dzl1
            }
            if hasU[j] {
                let dzu0 = (r.xzu[j] - ptzu[j] * (-rx[j] + r.xu[j])) / ptxu[j]
                let dzu1 = -ptzu[j] * (-pq.dx[j] + u[j]) / ptxu[j]
                f0 -= u[j] * dzu0
                f1 -= u[j] * dzu1
            }
        }
        let dtau = -f0 / f1
        let d = IPMDirection(n: n, m: m)
        d.tau = dtau
        d.kappa = (r.xtk - pt.kappa * dtau) / pt.tau
        let dx = d.x, dxl = d.xl, dxu = d.xu, dzl = d.zl, dzu = d.zu, dy = d.y
        for j in 0..<n {
            let v = rx[j] + dtau * pq.dx[j]
            dx[j] = v
            if hasL[j] {
                let vl = v - l[j] * dtau - r.xl[j]
                dxl[j] = vl
                dzl[j] = (r.xzl[j] - ptzl[j] * vl) / ptxl[j]
            }
            if hasU[j] {
                let vu = -v + u[j] * dtau + r.xu[j]
                dxu[j] = vu
                dzu[j] = (r.xzu[j] - ptzu[j] * vu) / ptxu[j]
            }
        }
        for i in 0..<m { dy[i] = sy[i] + dtau * pq.dy[i] }
        return d
    }

    /// Largest α ≤ 1 keeping the iterate's positive parts non-negative.
    func maxStep(_ d: IPMDirection) -> Double {
        var a = 1.0
        let p = point, hasL = hasL, hasU = hasU
        let xl = p.xl, xu = p.xu, zl = p.zl, zu = p.zu, dxl = d.xl, dxu = d.xu, dzl = d.zl, dzu = d.zu
        for j in 0..<n {
            if hasL[j] {
                if dxl[j] < 0 { a = min(a, -xl[j] / dxl[j]) }
                if dzl[j] < 0 { a = min(a, -zl[j] / dzl[j]) }
            }
            if hasU[j] {
                if dxu[j] < 0 { a = min(a, -xu[j] / dxu[j]) }
                if dzu[j] < 0 { a = min(a, -zu[j] / dzu[j]) }
            }
        }
        if d.tau < 0 { a = min(a, -p.tau / d.tau) }
        if d.kappa < 0 { a = min(a, -p.kappa / d.kappa) }
        return a
    }

    /// Factorises the KKT system at the current point and returns the solution for [c̃; b].
    func factorize(regularizationBoost boost: Double = 1) throws -> (dx: [Double], dy: [Double]) {
        let p = point
        let hasL = hasL, hasU = hasU, l = l, u = u
        let dinv = [Double](count: n) { j in
            var t = 0.0
            if hasL[j] { t += p.zl[j] / p.xl[j] }
            if hasU[j] { t += p.zu[j] / p.xu[j] }
            return t
        }
        let c = problem.c
        let ctilde = [Double](count: n) { j in
            var v = c[j]
            if hasL[j] { v -= p.zl[j] / p.xl[j] * l[j] }
            if hasU[j] { v -= p.zu[j] / p.xu[j] * u[j] }
            return v
        }
        let t0 = monotonicSeconds()
        try kkt.update(thetaInverse: dinv, primalRegularization: primalRegularization * boost,
                       dualRegularization: dualRegularization * boost)
        if debugIPM {
            debugLog(String(format: "factorize %.4f s flops %.3g", monotonicSeconds() - t0, kkt.info.factorFlops))
        }
        return try kkt.solve(ctilde, problem.b)
    }
}
