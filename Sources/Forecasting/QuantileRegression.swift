import LinearProgramming

/// Linear quantile regression (Koenker–Bassett) solved as a linear program with the
/// project's own interior-point solver. The primal problem,
///
///     min  Σᵢ τ·u⁺ᵢ + (1 − τ)·u⁻ᵢ   s.t.  xᵢ·β + u⁺ᵢ − u⁻ᵢ = yᵢ,  u± ≥ 0,  β free,
///
/// is solved through its dual, which has one row per feature instead of one per observation:
///
///     max  Σᵢ yᵢ·dᵢ   s.t.  Σᵢ xᵢ·dᵢ = 0,  τ − 1 ≤ dᵢ ≤ τ.
///
/// β is the dual's row multipliers. The optimum's β gives the τ-quantile of y given x (the
/// fit crosses about τ·n points from above). n rows and p features make an LP of p rows and
/// n columns, solved by a dedicated dense interior point (`QuantileInteriorPoint`), or by
/// the general LP solver when that one does not converge.
public enum QuantileRegression {
    /// β for quantile `tau` ∈ (0, 1); nil when the rows are empty or the LP does not solve.
    public static func fit(_ rows: [[Double]], _ y: [Double], tau: Double) -> [Double]? {
        fit(rows, y, tau: tau, interiorPointIterations: 80)
    }

    /// `fit(_:_:tau:)` with the dedicated interior point limited to `interiorPointIterations`.
    static func fit(_ rows: [[Double]], _ y: [Double], tau: Double, interiorPointIterations: Int) -> [Double]? {
        QuantileInteriorPoint.solve(rows, y, tau: tau, maxIterations: interiorPointIterations)
            ?? fitByLinearProgram(rows, y, tau: tau)
    }

    /// The dual as a general LP through `LPSolver`; β is its row multipliers negated (the
    /// solver reports ∂objective/∂row bound of the minimised −Σ yᵢdᵢ).
    static func fitByLinearProgram(_ rows: [[Double]], _ y: [Double], tau: Double) -> [Double]? {
        guard let p = rows.first?.count, !rows.isEmpty, rows.count == y.count, tau > 0, tau < 1,
              rows.allSatisfy({ $0.count == p }) else { return nil }
        var b = ModelBuilder(name: "quantile-dual")
        let d = y.map { b.addVariable(lower: tau - 1, upper: tau, cost: -$0) }
        for k in 0..<p {
            var entries: [(variable: Int, value: Double)] = []
            for (i, x) in rows.enumerated() where x[k] != 0 { entries.append((d[i], x[k])) }
            b.addConstraint(entries, lower: 0, upper: 0)
        }
        guard let lp = try? b.build(), let r = try? LPSolver.solve(lp), r.status == .optimal, r.rowDuals.count == p else { return nil }
        return r.rowDuals.map { -$0 }
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
