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

    /// Features of hour t; nil when a lag or driver is missing. `origin` bounds what is visible.
    func features(_ s: HourlySeries, _ t: Int) -> [Double]? {
        var x = [Double](repeating: 0, count: 1 + 24 + 6 + 3 + drivers.count)
        x[0] = 1
        x[1 + s.localHour[t]] = 1
        let wd = Self.weekday(s.localDay[t])
        if wd > 0 { x[24 + wd] = 1 }
        var k = 31
        for lag in [24, 48, 168] {
            guard t - lag >= 0, let v = s.values[t - lag] else { return nil }
            x[k] = v
            k += 1
        }
        for d in drivers {
            guard let v = s.drivers[d]?[t] ?? nil else { return nil }
            x[k] = v
            k += 1
        }
        return x
    }

    static func solve(_ rows: [[Double]], _ y: [Double], lambda: Double) -> [Double]? {
        guard let p = rows.first?.count else { return nil }
        var a = DenseMatrix(rows: p, columns: p)
        var b = [Double](repeating: 0, count: p)
        for (r, x) in rows.enumerated() {
            for i in 0..<p {
                b[i] += x[i] * y[r]
                for j in 0...i { a[i, j] += x[i] * x[j] }
            }
        }
        var trace = 0.0
        for i in 0..<p { trace += a[i, i] }
        for i in 0..<p {
            for j in 0..<i { a[j, i] = a[i, j] }
            a[i, i] += lambda * trace / Double(p)
        }
        return try? DenseCholesky(a).solve(b)
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
        var best = (lambda: 1e-4, error: Double.infinity, residuals: [Double]())
        if split > 100 && split < rows.count {
            for lambda in [1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1] {
                guard let bt = Self.solve(Array(rows[..<split]), Array(y[..<split]), lambda: lambda) else { continue }
                var residuals: [Double] = []
                for r in split..<rows.count { residuals.append(y[r] - Vec.dot(rows[r], bt)) }
                let err = residuals.reduce(0) { $0 + abs($1) } / Double(residuals.count)
                if err < best.error { best = (lambda, err, residuals) }
            }
        }
        beta = Self.solve(rows, y, lambda: best.lambda) ?? []
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
