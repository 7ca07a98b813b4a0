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
        point = IPMPoint(x: .init(repeating: 0, count: n), xl: .init(repeating: 0, count: n),
                         xu: .init(repeating: 0, count: n), y: .init(repeating: 0, count: m),
                         zl: .init(repeating: 0, count: n), zu: .init(repeating: 0, count: n), tau: 1, kappa: 1)
    }

    struct Outcome {
        var status: SolveStatus
        var iterations: Int
        var point: IPMPoint
        var message: String
    }

    // MARK: residuals

    func residuals(_ p: IPMPoint) -> IPMResiduals {
        let a = problem.a
        var rp = problem.b.map { $0 * p.tau }
        a.multiplyAdd(p.x, scale: -1, into: &rp)
        var rl = [Double](repeating: 0, count: n), ru = [Double](repeating: 0, count: n)
        var rd = a.multiplyTransposed(p.y)
        var comp = p.tau * p.kappa
        var lz = 0.0, uz = 0.0
        for j in 0..<n {
            rd[j] = p.tau * problem.c[j] - rd[j]
            if hasL[j] { rl[j] = p.tau * l[j] - p.x[j] + p.xl[j]; rd[j] -= p.zl[j]; comp += p.xl[j] * p.zl[j]; lz += l[j] * p.zl[j] }
            if hasU[j] { ru[j] = p.tau * u[j] - p.x[j] - p.xu[j]; rd[j] += p.zu[j]; comp += p.xu[j] * p.zu[j]; uz += u[j] * p.zu[j] }
        }
        let cx = Vec.dot(problem.c, p.x)
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
        var xid = r.xd
        for j in 0..<n {
            if hasL[j] { xid[j] -= (r.xzl[j] + pt.zl[j] * r.xl[j]) / pt.xl[j] }
            if hasU[j] { xid[j] += (r.xzu[j] - pt.zu[j] * r.xu[j]) / pt.xu[j] }
        }
        let t0 = monotonicSeconds()
        let (rx, sy) = try kkt.solve(xid, r.xp)
        if debugIPM { debugLog(String(format: "solve %.4f s", monotonicSeconds() - t0)) }
        // The gap equation is affine in dτ: f(dτ) = f0 + dτ f1 = 0.
        var f0 = -Vec.dot(problem.c, rx) + Vec.dot(problem.b, sy) - r.xtk / pt.tau - r.xg
        var f1 = -Vec.dot(problem.c, pq.dx) + Vec.dot(problem.b, pq.dy) + pt.kappa / pt.tau
        for j in 0..<n {
            if hasL[j] {
                let dzl0 = (r.xzl[j] - pt.zl[j] * (rx[j] - r.xl[j])) / pt.xl[j]
                let dzl1 = -pt.zl[j] * (pq.dx[j] - l[j]) / pt.xl[j]
                f0 += l[j] * dzl0
                f1 += l[j] * dzl1
            }
            if hasU[j] {
                let dzu0 = (r.xzu[j] - pt.zu[j] * (-rx[j] + r.xu[j])) / pt.xu[j]
                let dzu1 = -pt.zu[j] * (-pq.dx[j] + u[j]) / pt.xu[j]
                f0 -= u[j] * dzu0
                f1 -= u[j] * dzu1
            }
        }
        let dtau = -f0 / f1
        var d = IPMDirection(dx: rx, dxl: .init(repeating: 0, count: n), dxu: .init(repeating: 0, count: n), dy: sy,
                             dzl: .init(repeating: 0, count: n), dzu: .init(repeating: 0, count: n),
                             dtau: dtau, dkappa: (r.xtk - pt.kappa * dtau) / pt.tau)
        for j in 0..<n {
            d.dx[j] += dtau * pq.dx[j]
            if hasL[j] {
                d.dxl[j] = d.dx[j] - l[j] * dtau - r.xl[j]
                d.dzl[j] = (r.xzl[j] - pt.zl[j] * d.dxl[j]) / pt.xl[j]
            }
            if hasU[j] {
                d.dxu[j] = -d.dx[j] + u[j] * dtau + r.xu[j]
                d.dzu[j] = (r.xzu[j] - pt.zu[j] * d.dxu[j]) / pt.xu[j]
            }
        }
        for i in 0..<m { d.dy[i] += dtau * pq.dy[i] }
        return d
    }

    /// Largest α ≤ 1 keeping the iterate's positive parts non-negative.
    func maxStep(_ d: IPMDirection) -> Double {
        var a = 1.0
        let p = point
        for j in 0..<n {
            if hasL[j] {
                if d.dxl[j] < 0 { a = min(a, -p.xl[j] / d.dxl[j]) }
                if d.dzl[j] < 0 { a = min(a, -p.zl[j] / d.dzl[j]) }
            }
            if hasU[j] {
                if d.dxu[j] < 0 { a = min(a, -p.xu[j] / d.dxu[j]) }
                if d.dzu[j] < 0 { a = min(a, -p.zu[j] / d.dzu[j]) }
            }
        }
        if d.dtau < 0 { a = min(a, -p.tau / d.dtau) }
        if d.dkappa < 0 { a = min(a, -p.kappa / d.dkappa) }
        return a
    }

    func step(_ d: IPMDirection, _ alpha: Double) {
        for j in 0..<n {
            point.x[j] += alpha * d.dx[j]
            if hasL[j] { point.xl[j] += alpha * d.dxl[j]; point.zl[j] += alpha * d.dzl[j] }
            if hasU[j] { point.xu[j] += alpha * d.dxu[j]; point.zu[j] += alpha * d.dzu[j] }
        }
        for i in 0..<m { point.y[i] += alpha * d.dy[i] }
        point.tau += alpha * d.dtau
        point.kappa += alpha * d.dkappa
    }

    /// Factorises the KKT system at the current point and returns the solution for [c̃; b].
    func factorize(regularizationBoost boost: Double = 1) throws -> (dx: [Double], dy: [Double]) {
        var dinv = [Double](repeating: 0, count: n)
        var ctilde = problem.c
        let p = point
        for j in 0..<n {
            if hasL[j] { let t = p.zl[j] / p.xl[j]; dinv[j] += t; ctilde[j] -= t * l[j] }
            if hasU[j] { let t = p.zu[j] / p.xu[j]; dinv[j] += t; ctilde[j] -= t * u[j] }
        }
        let t0 = monotonicSeconds()
        try kkt.update(thetaInverse: dinv, primalRegularization: primalRegularization * boost,
                       dualRegularization: dualRegularization * boost)
        if debugIPM, let k = kkt as? NormalEquationsKKT {
            debugLog(String(format: "factorize %.4f s flops %.3g", monotonicSeconds() - t0, k.factorFlops))
        }
        return try kkt.solve(ctilde, problem.b)
    }
}
