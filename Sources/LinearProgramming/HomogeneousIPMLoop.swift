import Foundation
import LinearAlgebra
import Logging

extension HomogeneousIPM {
    /// Mehrotra-style starting point (Mehrotra 1992, adapted to bounds): the least-norm
    /// x with Ax = b and least-squares duals, shifted into the interior and balanced.
    func startingPoint() throws {
        try kkt.update(thetaInverse: [Double](repeating: 1, count: n), primalRegularization: 0, dualRegularization: 1e-8)
        // Least-norm primal: K [x; v] = [0; b]  →  x = Aᵀ (AAᵀ)⁻¹ b.
        let (x0, _) = try kkt.solve([Double](repeating: 0, count: n), problem.b)
        // Least-squares dual: y = (AAᵀ)⁻¹ A c, z = c − Aᵀy.
        let (negz, y0) = try kkt.solve(problem.c, [Double](repeating: 0, count: m))
        let p = IPMPoint(n: n, m: m)
        for j in 0..<n { p.x[j] = x0[j] }
        for i in 0..<m { p.y[i] = y0[i] }
        p.tau = 1
        p.kappa = 1
        var minSlack = Double.infinity, minDual = Double.infinity
        for j in 0..<n {
            let z = -negz[j]  // dx = D(Aᵀy − c) = −z
            if hasL[j] { p.xl[j] = x0[j] - l[j]; minSlack = min(minSlack, p.xl[j]) }
            if hasU[j] { p.xu[j] = u[j] - x0[j]; minSlack = min(minSlack, p.xu[j]) }
            if hasL[j] && hasU[j] { p.zl[j] = max(z, 0) ; p.zu[j] = max(-z, 0) } else if hasL[j] { p.zl[j] = z } else if hasU[j] { p.zu[j] = -z }
            if hasL[j] { minDual = min(minDual, p.zl[j]) }
            if hasU[j] { minDual = min(minDual, p.zu[j]) }
        }
        guard boundCount > 0 else { point = p; return }
        let shiftP = max(-1.5 * minSlack, 0), shiftD = max(-1.5 * minDual, 0)
        var xz = 0.0, sumX = 0.0, sumZ = 0.0
        for j in 0..<n {
            if hasL[j] { p.xl[j] += shiftP; p.zl[j] += shiftD; xz += p.xl[j] * p.zl[j]; sumX += p.xl[j]; sumZ += p.zl[j] }
            if hasU[j] { p.xu[j] += shiftP; p.zu[j] += shiftD; xz += p.xu[j] * p.zu[j]; sumX += p.xu[j]; sumZ += p.zu[j] }
        }
        let dp = sumZ > 0 ? 0.5 * xz / sumZ : 1, dd = sumX > 0 ? 0.5 * xz / sumX : 1
        for j in 0..<n {
            if hasL[j] { p.xl[j] = max(p.xl[j] + dp, 1e-4); p.zl[j] = max(p.zl[j] + dd, 1e-4) }
            if hasU[j] { p.xu[j] = max(p.xu[j] + dp, 1e-4); p.zu[j] = max(p.zu[j] + dd, 1e-4) }
        }
        p.tau = 1
        // Centre the (τ, κ) pair like the others: τκ equal to the mean product.
        var products = 0.0
        for j in 0..<n {
            if hasL[j] { products += p.xl[j] * p.zl[j] }
            if hasU[j] { products += p.xu[j] * p.zu[j] }
        }
        p.kappa = max(1e-8, products / Double(boundCount))
        point = p
    }

    /// Runs the method. `deadline` is a monotonic time in seconds (`.infinity` for none).
    func run(start: Double, progress: ((IterationRecord) -> Void)?) -> Outcome {
        kkt.setAccuracy(0)  // the tightest, whatever a previous solve on this backend left
        do {
            try startingPoint()
        } catch {
            return Outcome(status: .numericalError, iterations: 0, point: point, message: "starting point: \(error)")
        }
        let eps = settings
        var stalls = 0
        var collapsedIterations = 0
        for iteration in 0...eps.maxIterations {
            let r = residuals(point)
            let tau = point.tau
            // Relative residuals in the units of the original model (see StandardForm).
            let f = problem
            var rpMax = 0.0, rlMax = 0.0, ruMax = 0.0, rdMax = 0.0
            // What projecting x/τ onto its bounds moves the objective by, Σ|cⱼ|·dist(xⱼ/τ,
            // [lⱼ, uⱼ]): thousands of columns each a tolerance outside their bounds add up to
            // far more than the tolerance. Zero for a point inside its bounds.
            var boundEffect = 0.0
            for i in 0..<m { rpMax = max(rpMax, abs(r.rp[i] * f.rowFactor[i])) }
            for j in 0..<n {
                rlMax = max(rlMax, abs(r.rl[j] * f.columnFactor[j]))
                ruMax = max(ruMax, abs(r.ru[j] * f.columnFactor[j]))
                rdMax = max(rdMax, abs(r.rd[j] * f.dualFactor[j]))
                if f.c[j] != 0 {
                    let xj = point.x[j] / tau
                    let outside = (hasL[j] ? max(l[j] - xj, 0) : 0) + (hasU[j] ? max(xj - u[j], 0) : 0)
                    boundEffect += abs(f.c[j]) * outside
                }
            }
            let pinf = max(rpMax / (tau * (1 + normB)), rlMax / (tau * (1 + normL)), ruMax / (tau * (1 + normU)))
            let dinf = rdMax / (tau * (1 + normC))
            let gap = (abs(r.primalObjective - r.dualObjective) + boundEffect) / (1 + abs(r.primalObjective))
            // For a feasible pair the objectives differ by the complementarity (xlᵀzl + xuᵀzu)/τ².
            // When large finite bounds make the dual objective a sum of big cancelling terms,
            // its rounding noise can keep the objectives' difference above the tolerance after
            // the complementarity has vanished; the complementarity then measures the gap, the
            // objectives' difference still within ten tolerances.
            let complementarityGap = (r.mu * Double(boundCount + 1) / (tau * tau) + boundEffect) / (1 + abs(r.primalObjective))
            if let progress {
                progress(IterationRecord(iteration: iteration, primalObjective: r.primalObjective,
                                         dualObjective: r.dualObjective, primalInfeasibility: pinf,
                                         dualInfeasibility: dinf, mu: r.mu, stepPrimal: lastStep, stepDual: lastStep,
                                         seconds: monotonicSeconds() - start))
            }
            if debugIPM {
                debugLog("tau \(point.tau) kappa \(point.kappa) |y| \(Vec.normInf(point.y)) |zl| \(Vec.normInf(point.zl)) |zu| \(Vec.normInf(point.zu)) |x| \(Vec.normInf(point.x))")
            }
            if !(pinf.isFinite && dinf.isFinite && r.mu.isFinite) {
                return Outcome(status: .numericalError, iterations: iteration, point: point, message: "non-finite iterate")
            }
            if pinf <= eps.primalTolerance && dinf <= eps.dualTolerance
                && (gap <= eps.gapTolerance || (complementarityGap <= eps.gapTolerance && gap <= 10 * eps.gapTolerance)) {
                return Outcome(status: .optimal, iterations: iteration, point: point, message: "")
            }
            let nearest = min(pinf, dinf, gap)
            kkt.setAccuracy(accuracyFactor * nearest * nearest)
            if let verdict = infeasibilityVerdict(r) {
                return Outcome(status: verdict, iterations: iteration, point: point, message: "")
            }
            let collapsed = tau <= 1e-14 * max(Vec.normInf(point.x), Vec.normInf(point.y), Vec.normInf(point.zl), Vec.normInf(point.zu))
            // Only while heading for a dual ray (primal infeasibility), which the second look
            // can prove; a primal ray keeps its own test until the iteration limit.
            collapsedIterations = collapsed && r.dualRayValue > 0 ? collapsedIterations + 1 : 0
            if collapsedIterations > 5 {
                // The embedding has converged to a ray too weak for the tests above; more
                // iterations only drive τ into underflow. `LPSolver` takes a second look.
                return Outcome(status: .numericalError, iterations: iteration, point: point,
                               message: "τ vanished without a certificate within the tolerances")
            }
            if iteration == eps.maxIterations {
                return Outcome(status: .iterationLimit, iterations: iteration, point: point, message: "")
            }
            if monotonicSeconds() - start > eps.timeLimit {
                return Outcome(status: .timeLimit, iterations: iteration, point: point, message: "")
            }
            do {
                let alpha = try iterate(r)
                lastStep = alpha
                if alpha < 1e-8 { stalls += 1 } else { stalls = 0 }
                if stalls >= 5 {
                    return Outcome(status: .numericalError, iterations: iteration, point: point,
                                   message: "step lengths vanished (numerical difficulties)")
                }
            } catch {
                return Outcome(status: .numericalError, iterations: iteration, point: point, message: "\(error)")
            }
        }
        return Outcome(status: .iterationLimit, iterations: eps.maxIterations, point: point, message: "")
    }


    /// Farkas tests on the homogeneous iterate. As τ → 0 the embedding converges to a
    /// ray: (y, zl, zu) with Aᵀy + zl − zu ≈ 0 and bᵀy + lᵀzl − uᵀzu > 0 proves primal
    /// infeasibility; x with Ax ≈ 0, x in the bounds' recession cone (x ≥ 0 where l is
    /// finite, x ≤ 0 where u is finite) and cᵀx < 0 proves dual infeasibility. Both are
    /// tested relative to the size of the ray and to its objective value, so neither the
    /// scale of the iterate nor that of the data can fake a certificate.
    func infeasibilityVerdict(_ r: IPMResiduals) -> SolveStatus? {
        let p = point
        let eps = settings.infeasibilityTolerance
        if r.dualRayValue > 0 {
            var size = Vec.normInf(p.y)
            var worst = 0.0
            for j in 0..<n {
                // ‖Aᵀy + zl − zu‖∞ = ‖τc − rd‖∞
                worst = max(worst, abs(p.tau * problem.c[j] - r.rd[j]))
                size = max(size, p.zl[j], p.zu[j])
            }
            if worst <= eps * r.dualRayValue && worst <= eps * size && p.tau <= eps * size * 1e4 { return .infeasible }
        }
        if r.primalRayValue < 0 {
            let size = Vec.normInf(p.x)
            var worst = 0.0
            for i in 0..<m { worst = max(worst, abs(p.tau * problem.b[i] - r.rp[i])) }
            for j in 0..<n {
                if hasL[j] { worst = max(worst, -p.x[j]) }
                if hasU[j] { worst = max(worst, p.x[j]) }
            }
            if worst <= eps * -r.primalRayValue && worst <= eps * size && p.tau <= eps * size * 1e4 { return .unbounded }
        }
        return nil
    }

    /// One predictor-corrector iteration with Gondzio correctors; returns the step taken.
    /// When the factorization yields a non-finite direction (pivots lost to rounding near
    /// the end, where Θ spans 30 orders of magnitude and a positive-definite factor can
    /// still be numerically singular), the iteration is redone with the regularisation
    /// raised 10⁴-fold, up to three times; the iterate is not touched until a finite step.
    func iterate(_ r: IPMResiduals) throws -> Double {
        var boost = 1.0
        for _ in 0..<4 {
            if let alpha = try attemptIteration(r, regularizationBoost: boost) { return alpha }
            if debugIPM { debugLog("non-finite direction: regularisation ×\(boost * 1e4)") }
            boost *= 1e4
        }
        throw LinearAlgebraError.notPositiveDefinite(column: -1)
    }

    func attemptIteration(_ r: IPMResiduals, regularizationBoost boost: Double) throws -> Double? {
        try factorize(regularizationBoost: boost)
        let pt = point, hasL = hasL, hasU = hasU, w = work
        let tl = w.targetL, tu = w.targetU
        // Predictor (affine scaling).
        for j in 0..<n {
            if hasL[j] { tl[j] = -pt.xl[j] * pt.zl[j] }
            if hasU[j] { tu[j] = -pt.xu[j] * pt.zu[j] }
        }
        let affine = w.affine
        guard try direction(eta: 1, r, targetTK: -pt.tau * pt.kappa, into: affine) else { return nil }
        let alphaAff = maxStep(affine)
        // μ after the affine step, and Mehrotra's centring parameter σ = (μ_aff/μ)³.
        var comp = (pt.tau + alphaAff * affine.tau) * (pt.kappa + alphaAff * affine.kappa)
        for j in 0..<n {
            if hasL[j] { comp += (pt.xl[j] + alphaAff * affine.xl[j]) * (pt.zl[j] + alphaAff * affine.zl[j]) }
            if hasU[j] { comp += (pt.xu[j] + alphaAff * affine.xu[j]) * (pt.zu[j] + alphaAff * affine.zu[j]) }
        }
        let muAff = comp / Double(boundCount + 1)
        let sigma = min(1, max(1e-8, pow(muAff / r.mu, 3)))
        let eta = 1 - sigma
        let target = sigma * r.mu
        for j in 0..<n {
            if hasL[j] { tl[j] = target - pt.xl[j] * pt.zl[j] - affine.xl[j] * affine.zl[j] }
            if hasU[j] { tu[j] = target - pt.xu[j] * pt.zu[j] - affine.xu[j] * affine.zu[j] }
        }
        // From here on the affine direction's storage is the spare (its values are spent).
        var d = w.corrector, spare = w.affine
        guard try direction(eta: eta, r, targetTK: target - pt.tau * pt.kappa - affine.tau * affine.kappa,
                            into: d) else { return nil }
        var alpha = maxStep(d)
        // Gondzio's multiple centrality correctors: push outlying products into
        // [βmin σμ, βmax σμ] at a trial step, keep the correction if the step grows.
        for _ in 0..<settings.maxCorrectors where alpha < 0.95 {
            let trial = min(1, 1.5 * alpha + 0.1)
            let lo = 0.1 * target, hi = 10 * target
            func correction(_ v: Double) -> Double {
                if v < lo { return lo - v }
                if v > hi { return max(-hi, hi - v) }
                return 0
            }
            for j in 0..<n {
                if hasL[j] { tl[j] = correction((pt.xl[j] + trial * d.xl[j]) * (pt.zl[j] + trial * d.zl[j])) }
                if hasU[j] { tu[j] = correction((pt.xu[j] + trial * d.xu[j]) * (pt.zu[j] + trial * d.zu[j])) }
            }
            let ctk = correction((pt.tau + trial * d.tau) * (pt.kappa + trial * d.kappa))
            // A non-finite correction is not taken; the direction without it stands.
            guard try direction(eta: 0, r, targetTK: ctk, into: spare) else { break }
            spare.add(d)
            let alphaNew = maxStep(spare)
            if alphaNew >= 1.01 * alpha {
                swap(&d, &spare)
                alpha = alphaNew
            } else {
                break
            }
        }
        if debugIPM {
            var lin = problem.a.multiplyTransposed(Array(d.y))
            var worst = 0.0, wj = 0
            for j in 0..<n {
                lin[j] += d.zl[j] - d.zu[j] - problem.c[j] * d.tau - eta * r.rd[j]
                if abs(lin[j]) > worst { worst = abs(lin[j]); wj = j }
            }
            var lp = problem.b.map { $0 * d.tau }
            problem.a.multiplyAdd(Array(d.x), scale: -1, into: &lp)
            for i in 0..<m { lp[i] = -lp[i] - eta * r.rp[i] }
            debugLog("lin dual err \(worst) at \(wj) (L \(hasL[wj]) U \(hasU[wj]) xl \(point.xl[wj]) zl \(point.zl[wj]) xu \(point.xu[wj]) zu \(point.zu[wj])) |rd| \(Vec.normInf(Array(r.rd))) lin primal err \(Vec.normInf(lp)) |rp| \(Vec.normInf(Array(r.rp)))")
        }
        let taken = min(1, 0.9995 * alpha)
        point.add(d, scale: taken)
        return taken
    }
}

/// Developer diagnostics of the interior point (factorization and solve times, linear
/// residuals of each direction, iterate norms), on with FLEXDISPATCH_DEBUG_IPM=1, written
/// through swift-log at debug level.
let debugIPM = ProcessInfo.processInfo.environment["FLEXDISPATCH_DEBUG_IPM"] != nil

func debugLog(_ message: String) {
    var logger = Logger(label: "flexdispatch.ipm.debug")
    logger.logLevel = .debug
    logger.debug("\(message)")
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
