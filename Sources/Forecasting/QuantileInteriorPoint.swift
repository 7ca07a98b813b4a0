import Foundation
import LinearAlgebra

/// The quantile regression's dual solved by a dedicated primal–dual interior point on the
/// dense p × p normal matrix (the Frisch–Newton method of Portnoy and Koenker, 1997), for
/// the tall, narrow problems of the forecasters: hundreds to thousands of rows, a few dozen
/// terms. With a = d + 1 − τ the dual of `QuantileRegression` is
///
///     max yᵀa  s.t.  Xᵀa = (1 − τ)·Xᵀ1,  0 ≤ a ≤ 1,
///
/// whose multipliers are β, with the residual y − Xβ = u − v split into u, v ≥ 0 (u pairs
/// with the upper bound's slack s = 1 − a, v with a). The path follows a∘v = s∘u = μ by Mehrotra's
/// predictor–corrector; each step solves (Xᵀ W X) Δβ = r with W = diag(1 / (u/s + v/a)) by a
/// LAPACK Cholesky, O(n p²) to form and O(p³) to factor. The start is feasible in a
/// (a = 1 − τ) and in β, u, v (least squares, the residual split with a margin), and the
/// steps keep both equations up to the accuracy of the solves (their residuals are carried
/// into the next step); what is left to close is the gap aᵀv + sᵀu.
enum QuantileInteriorPoint {
    /// β for quantile `tau`, or nil when the iteration does not reach `tolerance` (the gap
    /// relative to 1 + the objective, both in the scaled units, with y − Xβ = u − v met to
    /// 1e-8 of y) within `maxIterations`.
    static func solve(_ rows: [[Double]], _ y: [Double], tau: Double, tolerance: Double = 1e-10,
                      maxIterations: Int = 80) -> [Double]? {
        guard let p = rows.first?.count, p > 0, rows.count == y.count, tau > 0, tau < 1,
              rows.allSatisfy({ $0.count == p }) else { return nil }
        let n = rows.count
        // Columns scaled by their largest magnitude and y by its mean magnitude, so that the
        // tolerances mean the same for watts and for kilowatts.
        var colScale = [Double](repeating: 0, count: p)
        for r in rows { for k in 0..<p { colScale[k] = max(colScale[k], abs(r[k])) } }
        for k in 0..<p where !(colScale[k] > 0 && colScale[k].isFinite) { colScale[k] = 1 }
        var x = [Double](repeating: 0, count: n * p)
        for i in 0..<n { for k in 0..<p { x[i * p + k] = rows[i][k] / colScale[k] } }
        let yMean = y.reduce(0) { $0 + abs($1) } / Double(n)
        let yScale = yMean > 0 && yMean.isFinite ? yMean : 1
        let ys = y.map { $0 / yScale }
        guard x.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else { return nil }
        var system = NormalSystem(x: x, n: n, p: p)

        // Start: least squares β, the residual split into u, v with a margin δ.
        guard var beta = system.solve(weights: [Double](repeating: 1, count: n), rhs: system.transposedTimes(ys)) else { return nil }
        var a = [Double](repeating: 1 - tau, count: n), s = [Double](repeating: tau, count: n)
        let fitted = system.times(beta)
        let residual = (0..<n).map { ys[$0] - fitted[$0] }
        let delta = max(residual.reduce(0) { $0 + abs($1) } / Double(n), 1e-3)
        var u = residual.map { max($0, 0) + delta }, v = residual.map { max(-$0, 0) + delta }
        let b = system.transposedTimes([Double](repeating: 1 - tau, count: n))

        // The residual y − Xβ − u + v accepted at the end, relative to y: the objective
        // τΣu + (1 − τ)Σv is then β's check loss. (Xᵀa = b, a's side, is kept by the steps up to
        // the accuracy of the dense solves, about 1e-4 of b near the end; the gap and β's loss
        // do not depend on it.)
        let dualScale = 1e-8 * (1 + (ys.map(abs).max() ?? 0))
        var w = [Double](repeating: 0, count: n), q = [Double](repeating: 0, count: n)
        for _ in 0..<maxIterations {
            var gap = 0.0, objective = 0.0
            for i in 0..<n { gap += a[i] * v[i] + s[i] * u[i]; objective += tau * u[i] + (1 - tau) * v[i] }
            // Residuals of the two equations: zero but for rounding and the factorisation's
            // shift (equal or empty terms), carried into the step so that they cannot grow.
            let xa = system.transposedTimes(a), xb = system.times(beta)
            let r1 = (0..<p).map { b[$0] - xa[$0] }
            let r2 = (0..<n).map { ys[$0] - xb[$0] - u[$0] + v[$0] }
            if gap <= tolerance * (1 + abs(objective)), r2.allSatisfy({ abs($0) <= dualScale }) {
                return (0..<p).map { beta[$0] / colScale[$0] * yScale }
            }
            let mu = gap / Double(2 * n)
            for i in 0..<n { w[i] = 1 / (u[i] / s[i] + v[i] / a[i]) }
            guard system.factor(weights: w) else { return nil }

            /// The Newton direction for complementarity targets r3 (a∘v) and r4 (s∘u).
            func direction(_ r3: [Double], _ r4: [Double]) -> (da: [Double], db: [Double], du: [Double], dv: [Double])? {
                for i in 0..<n { q[i] = r2[i] - r4[i] / s[i] + r3[i] / a[i] }
                var rhs = system.transposedTimes((0..<n).map { w[$0] * q[$0] })
                for k in 0..<p { rhs[k] -= r1[k] }
                guard let db = system.solveFactored(rhs) else { return nil }
                let xdb = system.times(db)
                let da = (0..<n).map { w[$0] * (q[$0] - xdb[$0]) }
                let dv = (0..<n).map { (r3[$0] - v[$0] * da[$0]) / a[$0] }
                let du = (0..<n).map { (r4[$0] + u[$0] * da[$0]) / s[$0] }
                return (da, db, du, dv)
            }
            /// The longest steps in [0, 1] keeping 0 < a < 1 and u, v > 0.
            func steps(_ d: (da: [Double], db: [Double], du: [Double], dv: [Double])) -> (primal: Double, dual: Double) {
                var ap = 1.0, ad = 1.0
                for i in 0..<n {
                    if d.da[i] < 0 { ap = min(ap, -a[i] / d.da[i]) } else if d.da[i] > 0 { ap = min(ap, s[i] / d.da[i]) }
                    if d.du[i] < 0 { ad = min(ad, -u[i] / d.du[i]) }
                    if d.dv[i] < 0 { ad = min(ad, -v[i] / d.dv[i]) }
                }
                return (ap, ad)
            }

            guard let affine = direction((0..<n).map { -a[$0] * v[$0] }, (0..<n).map { -s[$0] * u[$0] }) else { return nil }
            let (pa, da) = steps(affine)
            var gapAffine = 0.0
            for i in 0..<n {
                let da_ = pa * affine.da[i]
                gapAffine += (a[i] + da_) * (v[i] + da * affine.dv[i]) + (s[i] - da_) * (u[i] + da * affine.du[i])
            }
            let sigma = pow(max(gapAffine, 0) / gap, 3)
            let target = sigma * mu
            guard let step = direction((0..<n).map { target - a[$0] * v[$0] - affine.da[$0] * affine.dv[$0] },
                                       (0..<n).map { target - s[$0] * u[$0] + affine.da[$0] * affine.du[$0] }) else { return nil }
            let (primal, dual) = steps(step)
            let ap = min(1, 0.99995 * primal), ad = min(1, 0.99995 * dual)
            for i in 0..<n {
                // s is stepped by itself, not recomputed as 1 − a: near the upper bound 1 − a
                // would round to 0.
                a[i] += ap * step.da[i]
                s[i] -= ap * step.da[i]
                u[i] += ad * step.du[i]
                v[i] += ad * step.dv[i]
            }
            for k in 0..<p { beta[k] += ad * step.db[k] }
            guard a.allSatisfy({ $0 > 0 }), s.allSatisfy({ $0 > 0 }), beta.allSatisfy(\.isFinite) else { return nil }
        }
        return nil
    }

    /// X with products by X and Xᵀ and the Cholesky of Xᵀ W X, held as Xᵀ (p × n, one
    /// observation per column) for BLAS.
    struct NormalSystem {
        let xt: DenseMatrix
        var cholesky: DenseCholesky?

        /// `x` row-major n × p.
        init(x: [Double], n: Int, p: Int) {
            var xt = DenseMatrix(rows: p, columns: n)
            xt.values = x
            self.xt = xt
        }

        /// X β (BLAS dgemv).
        func times(_ beta: [Double]) -> [Double] { xt.multiplyTransposed(beta) }

        /// Xᵀ r (BLAS dgemv).
        func transposedTimes(_ r: [Double]) -> [Double] { xt.multiply(r) }

        /// Factors Xᵀ W X (BLAS dsyrk on the columns of Xᵀ scaled by √w) plus a shift of 1e-12
        /// of its largest diagonal (more, up to 1e-6, if the factorisation fails: equal or
        /// empty terms make the matrix singular). False when no shift helps.
        mutating func factor(weights w: [Double]) -> Bool {
            let p = xt.rows
            var scaled = xt
            scaled.values.withUnsafeMutableBufferPointer { v in
                for i in 0..<xt.columns {
                    let root = w[i].squareRoot()
                    for k in 0..<p { v[i * p + k] *= root }
                }
            }
            let m = scaled.outerGram(columns: 0..<xt.columns)
            var largest = 0.0
            for j in 0..<p { largest = max(largest, m[j, j]) }
            guard largest > 0, largest.isFinite else { return false }
            for shift in [1e-12, 1e-9, 1e-6] {
                var shifted = m
                for j in 0..<p { shifted.values[j * p + j] += shift * largest }
                if let c = try? DenseCholesky(shifted) { cholesky = c; return true }
            }
            return false
        }

        func solveFactored(_ rhs: [Double]) -> [Double]? {
            guard let cholesky, let out = try? cholesky.solve(rhs), out.allSatisfy(\.isFinite) else { return nil }
            return out
        }

        mutating func solve(weights: [Double], rhs: [Double]) -> [Double]? {
            guard factor(weights: weights) else { return nil }
            return solveFactored(rhs)
        }
    }
}
