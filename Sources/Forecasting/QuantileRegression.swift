import LinearProgramming

/// Linear quantile regression (Koenker–Bassett) solved as a linear program with the
/// project's own interior-point solver:
///
///     min  Σᵢ τ·u⁺ᵢ + (1 − τ)·u⁻ᵢ   s.t.  xᵢ·β + u⁺ᵢ − u⁻ᵢ = yᵢ,  u± ≥ 0,  β free.
///
/// The optimum's β gives the τ-quantile of y given x (the fit crosses about τ·n points
/// from above). n rows and p features make an LP of n rows and p + 2n columns.
public enum QuantileRegression {
    /// β for quantile `tau` ∈ (0, 1); nil when the rows are empty or the LP does not solve.
    public static func fit(_ rows: [[Double]], _ y: [Double], tau: Double) -> [Double]? {
        guard let p = rows.first?.count, !rows.isEmpty, rows.count == y.count, tau > 0, tau < 1 else { return nil }
        var b = ModelBuilder(name: "quantile")
        let beta = (0..<p).map { _ in b.addVariable(lower: -.infinity, upper: .infinity) }
        for (i, x) in rows.enumerated() {
            let plus = b.addVariable(cost: tau), minus = b.addVariable(cost: 1 - tau)
            var entries: [(variable: Int, value: Double)] = [(plus, 1), (minus, -1)]
            for k in 0..<p where x[k] != 0 { entries.append((beta[k], x[k])) }
            b.addConstraint(entries, lower: y[i], upper: y[i])
        }
        guard let lp = try? b.build(), let r = try? LPSolver.solve(lp), r.status == .optimal else { return nil }
        return Array(r.x[0..<p])
    }
}

/// Prediction intervals from held-out errors: the 10 % and 90 % quantiles of the error
/// e = y − P50 regressed (by `QuantileRegression`) on an intercept, the P50 itself and
/// six 4-hour blocks of the day, so that intervals widen with the level (PV at noon) and
/// close where the series is quiet (PV at night). Falls back to plain error quantiles with
/// fewer than 96 held-out points.
public struct IntervalCalibration: Sendable {
    var lower: [Double] = []
    var upper: [Double] = []
    var flatLower = 0.0
    var flatUpper = 0.0
    var scale = 1.0

    public init() {}

    func features(p50: Double, hour: Int) -> [Double] {
        var x = [Double](repeating: 0, count: 7)
        x[0] = 1
        x[1] = p50 / scale
        if hour / 4 > 0 { x[1 + hour / 4] = 1 }
        return x
    }

    /// Fits from held-out (P50, hour of day, actual) triples.
    public mutating func fit(p50: [Double], hours: [Int], actual: [Double]) {
        let errors = zip(actual, p50).map { $0 - $1 }
        let sorted = errors.sorted()
        flatLower = Quantile.sorted(sorted, 0.1)
        flatUpper = Quantile.sorted(sorted, 0.9)
        lower = []; upper = []
        guard errors.count >= 96 else { return }
        scale = max(p50.map(abs).max() ?? 1, 1e-12)
        let rows = zip(p50, hours).map { features(p50: $0.0, hour: $0.1) }
        if let lo = QuantileRegression.fit(rows, errors, tau: 0.1), let hi = QuantileRegression.fit(rows, errors, tau: 0.9) {
            lower = lo
            upper = hi
        }
    }

    /// (P10, P50, P90) around `p50` at local `hour`, ordered.
    public func interval(p50: Double, hour: Int) -> (p10: Double, p50: Double, p90: Double) {
        guard !lower.isEmpty else { return (p50 + flatLower, p50, p50 + flatUpper) }
        let x = features(p50: p50, hour: hour)
        var lo = 0.0, hi = 0.0
        for k in 0..<x.count { lo += x[k] * lower[k]; hi += x[k] * upper[k] }
        return (p50 + min(lo, 0), p50, p50 + max(hi, 0))
    }
}
