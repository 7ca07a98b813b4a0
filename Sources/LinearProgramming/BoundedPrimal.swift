import LinearAlgebra

extension HomogeneousIPM {
    /// A correction of the final point's primal part x/τ, or nil when none is needed or
    /// none helps.
    ///
    /// An interior point meets its bounds only to the tolerance, and moving it onto them
    /// can leave rows violated by almost the tolerance: a feasible model then looks like
    /// one that is infeasible at that level, which only a second solve for a Farkas
    /// certificate (`FarkasCheck`) can tell apart. When the rows are violated by more than
    /// a hundredth of the primal tolerance after the move, one weighted least-norm
    /// correction is made with the last factorisation,
    ///
    ///     (A Θ Aᵀ) dy = r,   dx = Θ Aᵀ dy,      r = b − A x̂,
    ///
    /// in which a column at a bound (small Θ) barely moves, and the corrected point is
    /// moved onto the bounds again. It is offered when it violates the rows less and its
    /// objective still meets the gap tolerance against the iterate's dual objective (or is
    /// no further from it than the first point). `LPSolver` takes it only when, on the
    /// model itself after postsolve, the first point is near the tolerance's edge and the
    /// corrected one is not. A model that is infeasible by less than the tolerance keeps
    /// its violation (no correction can remove it) and still gets its second look.
    /// Cost: one solve.
    func boundedPrimal() -> [Double]? {
        let p = point
        let x = (0..<n).map { clamp(p.x[$0] / p.tau, $0) }
        let (r, violation) = rowResidual(x)
        guard violation > 0.01 * settings.primalTolerance else { return nil }
        kkt.setAccuracy(0)  // the tightest: this solve corrects a converged point
        guard let (dx, _) = try? kkt.solve([Double](repeating: 0, count: n), r) else { return nil }
        let corrected = (0..<n).map { clamp(x[$0] + dx[$0], $0) }
        let (_, after) = rowResidual(corrected)
        let dual = residuals(p).dualObjective
        func gap(_ v: [Double]) -> Double {
            let primal = Vec.dot(problem.c, v)
            return abs(primal - dual) / (1 + abs(primal))
        }
        guard after < violation, gap(corrected) <= max(settings.gapTolerance, gap(x)) else { return nil }
        return corrected
    }

    private func clamp(_ v: Double, _ j: Int) -> Double {
        var v = v
        if hasL[j] { v = max(v, l[j]) }
        if hasU[j] { v = min(v, u[j]) }
        return v
    }

    /// b − A x and its largest entry relative to the model's scale (in original units).
    private func rowResidual(_ x: [Double]) -> (r: [Double], relative: Double) {
        var r = problem.b
        problem.a.multiplyAdd(x, scale: -1, into: &r)
        var worst = 0.0
        for i in 0..<m { worst = max(worst, abs(r[i] * problem.rowFactor[i])) }
        return (r, worst / (1 + normB))
    }
}
