import LinearAlgebra

/// Ridge regression on calendar terms (hour of day, weekday), seasonal lags (24, 48, 168 h)
/// and the exogenous drivers, solved by LAPACK Cholesky on the normal equations
/// (XᵀX + λI)β = Xᵀy (O(n·p² + p³), p ≈ 40). λ is chosen by time-series validation: fit on
/// all but the last 14 days of the training window, score the held-out days, keep the
/// best λ of a log grid, refit on everything. Intervals: the empirical 10 % and 90 %
/// quantiles of the held-out residuals.
public struct RidgeForecaster: ForecastModel {
    public var name: String { "ridge" }
    public let drivers: [String]
    /// Training window in days.
    public var windowDays = 365
    var beta: [Double] = []
    var q10 = 0.0
    var q90 = 0.0
    var fallback = 0.0

    public init(drivers: [String]) { self.drivers = drivers }

    /// Weekday 0…6 of a local date (1970-01-01 was a Thursday).
    static func weekday(_ date: String) -> Int {
        let u = Array(date.utf8)
        func n(_ a: Int, _ l: Int) -> Int { u[a..<(a + l)].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let days = TimeParser.daysFromCivil(n(0, 4), n(5, 2), n(8, 2))
        return ((days % 7) + 7 + 3) % 7
    }

    /// Features of hour t: intercept, hour-of-week dummies (168, interacting hour of day and
    /// weekday), lags 24/48/168 h, the last value before the local day by hour of day, and
    /// each driver by itself and by hour of day. nil when
    /// a lag or driver is missing.
    func features(_ s: HourlySeries, _ t: Int) -> [Double]? {
        var x = [Double](repeating: 0, count: 1 + 167 + 3 + 24 + drivers.count * 25)
        x[0] = 1
        let how = Self.weekday(s.localDay[t]) * 24 + s.localHour[t]
        if how > 0 { x[how] = 1 }
        var k = 168
        for lag in [24, 48, 168] {
            guard t - lag >= 0, let v = s.values[t - lag] else { return nil }
            x[k] = v
            k += 1
        }
        // The last value before the target's local day, by hour of day (how far the
        // morning's level carries depends on the hour).
        let dayStart = t - s.localHour[t]
        guard dayStart >= 1, let last = s.values[dayStart - 1] else { return nil }
        x[k + s.localHour[t]] = last
        k += 24
        for d in drivers {
            guard let v = s.drivers[d]?[t] ?? nil else { return nil }
            x[k] = v
            x[k + 1 + s.localHour[t]] = v
            k += 25
        }
        return x
    }

    /// (XᵀX + λ·tr(XᵀX)/p·I)⁻¹ Xᵀy with XᵀX by one BLAS product (dgemm) and a LAPACK
    /// Cholesky: O(n·p² + p³).
    static func solve(_ rows: [[Double]], _ y: [Double], lambda: Double) -> [Double]? {
        guard let p = rows.first?.count, !rows.isEmpty else { return nil }
        return solve(gram(rows[...], y[...], p: p), lambda: lambda)
    }

    /// XᵀX and Xᵀy of some rows (one dgemm, no transposed copy). Grams of disjoint row
    /// sets add up, so λ validation and the final fit share one pass over the data.
    struct Gram {
        var a: DenseMatrix
        var b: [Double]
        static func + (l: Gram, r: Gram) -> Gram {
            var g = l
            for k in 0..<g.a.values.count { g.a.values[k] += r.a.values[k] }
            for k in 0..<g.b.count { g.b[k] += r.b[k] }
            return g
        }
    }

    static func gram(_ rows: ArraySlice<[Double]>, _ y: ArraySlice<Double>, p: Int) -> Gram {
        var xt = DenseMatrix(rows: p, columns: rows.count)
        for (r, x) in rows.enumerated() { for i in 0..<p { xt.values[i + r * p] = x[i] } }
        return Gram(a: DenseMatrix.product(xt, transposed: false, xt, transposed: true), b: rows.isEmpty ? [Double](repeating: 0, count: p) : xt.multiply(Array(y)))
    }

    /// The Gram matrix of the model without the level-by-hour block (columns 171 ..< 195):
    /// those rows and columns become the identity with a zero right-hand side, so their
    /// coefficients solve to 0.
    static func withoutLevel(_ g: Gram) -> Gram {
        var out = g
        let p = g.a.rows, block = 171..<195
        for k in block {
            for j in 0..<p { out.a[k, j] = 0; out.a[j, k] = 0 }
            out.b[k] = 0
        }
        var trace = 0.0
        for i in 0..<p where !block.contains(i) { trace += g.a[i, i] }
        for k in block { out.a[k, k] = max(trace / Double(p), 1) }
        return out
    }

    /// (A + λ·tr(A)/p·I)⁻¹ b by LAPACK Cholesky.
    static func solve(_ g: Gram, lambda: Double) -> [Double]? {
        var a = g.a
        let p = a.rows
        var trace = 0.0
        for i in 0..<p { trace += a[i, i] }
        guard trace > 0 else { return nil }
        for i in 0..<p { a[i, i] += lambda * trace / Double(p) + 1e-12 * trace }
        return try? DenseCholesky(a).solve(g.b)
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        let first = max(168, origin - windowDays * 24)
        var rows: [[Double]] = [], y: [Double] = [], times: [Int] = []
        for t in first..<origin {
            guard let v = s.values[t], let x = features(s, t) else { continue }
            rows.append(x); y.append(v); times.append(t)
        }
        fallback = y.isEmpty ? 0 : y.reduce(0, +) / Double(y.count)
        let split = times.firstIndex { $0 >= origin - 14 * 24 } ?? rows.count
        var best = (lambda: 1e-4, level: true, error: Double.infinity, residuals: [Double]())
        guard let p = rows.first?.count else { beta = []; return }
        let train = Self.gram(rows[..<split], y[..<split], p: p), held = Self.gram(rows[split...], y[split...], p: p)
        if split > 100 && split < rows.count {
            // λ and whether the day's starting level helps, both by the held-out days.
            for level in [true, false] {
                for lambda in [1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1] {
                    guard let bt = Self.solve(level ? train : Self.withoutLevel(train), lambda: lambda) else { continue }
                    var residuals: [Double] = []
                    for r in split..<rows.count { residuals.append(y[r] - Vec.dot(rows[r], bt)) }
                    let err = residuals.reduce(0) { $0 + abs($1) } / Double(residuals.count)
                    if err < best.error { best = (lambda, level, err, residuals) }
                }
            }
        }
        let all = train + held
        beta = Self.solve(best.level ? all : Self.withoutLevel(all), lambda: best.lambda) ?? []
        let sorted = best.residuals.sorted()
        q10 = Quantile.sorted(sorted, 0.1)
        q90 = Quantile.sorted(sorted, 0.9)
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        (0..<horizon).map { h in
            let t = origin + h
            let p: Double
            if !beta.isEmpty, let x = features(s, t) { p = Vec.dot(x, beta) } else {
                p = s.values[t - 168 >= 0 ? t - 168 : 0] ?? fallback
            }
            return (p + q10, p, p + q90)
        }
    }
}
