/// Double-seasonal additive Holt–Winters for hourly load (Taylor 2003, "Short-term
/// electricity demand forecasting using double seasonal exponential smoothing"): a level ℓ,
/// a daily seasonal d (period 24) and a weekly seasonal w (period 168),
///
///     e_t = y_t − (ℓ_{t−1} + d_{t−24} + w_{t−168})
///     ℓ_t = ℓ_{t−1} + α e_t,   d_t = d_{t−24} + δ e_t,   w_t = w_{t−168} + ω e_t
///
/// and forecasts ℓ + d + w from the last state. (α, δ, ω) minimise the one-step squared
/// error on the training window over a grid; missing values leave the state unchanged.
/// Intervals: quantiles of day-ahead errors over the last 14 training days. O(grid × n).
public struct DoubleSeasonalHoltWinters: ForecastModel {
    public var name: String { "holt_winters" }
    /// Two weeks to start the daily and weekly seasonal parts, a day to fit on.
    public var minimumHistoryDays: Int { 15 }
    public var windowDays = 120
    var alpha = 0.05, delta = 0.1, omega = 0.1
    var q10 = 0.0, q90 = 0.0
    var validationMAE: Double?
    public var heldOutMAE: Double? { validationMAE }
    var start = 0

    public init() {}

    struct State {
        var level: Double
        var daily: [Double]
        var weekly: [Double]
    }

    /// Initial state from the first two weeks of the window; nil when they hold no data.
    func initial(_ s: HourlySeries, from: Int) -> State? {
        var sum = 0.0, n = 0
        var hod = [Double](repeating: 0, count: 24), hodN = [Int](repeating: 0, count: 24)
        var how = [Double](repeating: 0, count: 168), howN = [Int](repeating: 0, count: 168)
        for t in from..<min(from + 336, s.count) {
            guard let v = s.values[t] else { continue }
            sum += v; n += 1
            hod[(t - from) % 24] += v; hodN[(t - from) % 24] += 1
            how[(t - from) % 168] += v; howN[(t - from) % 168] += 1
        }
        guard n > 0 else { return nil }
        let level = sum / Double(n)
        let daily = (0..<24).map { hodN[$0] > 0 ? hod[$0] / Double(hodN[$0]) - level : 0 }
        let weekly = (0..<168).map { howN[$0] > 0 ? how[$0] / Double(howN[$0]) - level - daily[$0 % 24] : 0 }
        return State(level: level, daily: daily, weekly: weekly)
    }

    /// Runs the filter over [from, to); returns the state and the sum of squared errors.
    func filter(_ s: HourlySeries, from: Int, to: Int, _ a: Double, _ dl: Double, _ om: Double) -> (State, Double)? {
        filter(s, from: from, to: to, a, dl, om, snapshots: [], { _, _ in })
    }

    /// `filter(_:from:to:_:_:_:)`, handing `snapshot` the state before each hour of
    /// `snapshots` (ascending, within [from, to)) on the way.
    func filter(_ s: HourlySeries, from: Int, to: Int, _ a: Double, _ dl: Double, _ om: Double,
                snapshots: [Int], _ snapshot: (Int, State) -> Void) -> (State, Double)? {
        guard from >= 0, to <= s.values.count, var st = initial(s, from: from) else { return nil }
        var sse = 0.0, level = st.level, next = 0
        var i = 0, k = 0
        st.daily.withUnsafeMutableBufferPointer { daily in
            st.weekly.withUnsafeMutableBufferPointer { weekly in
                s.values.withUnsafeBufferPointer { values in
                    for t in from..<to {
                        while next < snapshots.count, snapshots[next] == t {
                            snapshot(t, State(level: level, daily: Array(daily), weekly: Array(weekly)))
                            next += 1
                        }
                        if let y = values[t] {
                            let e = y - (level + daily[i] + weekly[k])
                            if t >= from + 336 { sse += e * e }
                            level += a * e
                            daily[i] += dl * e
                            weekly[k] += om * e
                        }
                        i += 1; if i == 24 { i = 0 }
                        k += 1; if k == 168 { k = 0 }
                    }
                }
            }
        }
        st.level = level
        return (st, sse)
    }

    /// The (α, δ, ω) grid, α slowest.
    static let grid: [(Double, Double, Double)] = [0.005, 0.02, 0.05, 0.1, 0.2].flatMap { a in
        [0.02, 0.1, 0.2, 0.4].flatMap { dl in [0.02, 0.1, 0.2, 0.4].map { om in (a, dl, om) } }
    }

    /// The sum of squared errors of `filter` for every triple of `parameters`, all filtered in
    /// one pass over the data (each triple's arithmetic is that of its own pass).
    func squaredErrors(_ s: HourlySeries, from: Int, to: Int, _ parameters: [(Double, Double, Double)]) -> [Double]? {
        guard from >= 0, to <= s.values.count, let st = initial(s, from: from) else { return nil }
        let m = parameters.count
        let a = parameters.map(\.0), dl = parameters.map(\.1), om = parameters.map(\.2)
        var level = [Double](repeating: st.level, count: m), sse = [Double](repeating: 0, count: m)
        // Season slot i of triple c at i·m + c.
        var daily = st.daily.flatMap { [Double](repeating: $0, count: m) }
        var weekly = st.weekly.flatMap { [Double](repeating: $0, count: m) }
        var i = 0, k = 0
        level.withUnsafeMutableBufferPointer { level in
            sse.withUnsafeMutableBufferPointer { sse in
                daily.withUnsafeMutableBufferPointer { daily in
                    weekly.withUnsafeMutableBufferPointer { weekly in
                        for t in from..<to {
                            if let y = s.values[t] {
                                let scored = t >= from + 336, d = i * m, w = k * m
                                for c in 0..<m {
                                    let e = y - (level[c] + daily[d + c] + weekly[w + c])
                                    if scored { sse[c] += e * e }
                                    level[c] += a[c] * e
                                    daily[d + c] += dl[c] * e
                                    weekly[w + c] += om[c] * e
                                }
                            }
                            i += 1; if i == 24 { i = 0 }
                            k += 1; if k == 168 { k = 0 }
                        }
                    }
                }
            }
        }
        return sse
    }

    func predict(_ st: State, from: Int, at t: Int) -> Double {
        st.level + st.daily[(t - from) % 24] + st.weekly[(t - from) % 168]
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        start = max(0, origin - windowDays * 24)
        start -= start % 24 == 0 ? 0 : start % 24
        var best = Double.infinity
        if let errors = squaredErrors(s, from: start, to: origin, Self.grid) {
            for (c, sse) in errors.enumerated() where sse < best {
                best = sse
                (alpha, delta, omega) = Self.grid[c]
            }
        }
        // Day-ahead errors over the last 14 training days, for the intervals.
        // One pass, the state taken at each of the 14 origins; the errors latest day first.
        var byDay = [[Double]](repeating: [], count: 15)
        let origins = (1...14).reversed().map { origin - $0 * 24 }.filter { $0 > start + 336 }
        _ = filter(s, from: start, to: origin, alpha, delta, omega, snapshots: origins) { o, st in
            for h in 0..<24 { if let y = s.values[o + h] { byDay[(origin - o) / 24].append(y - predict(st, from: start, at: o + h)) } }
        }
        var errors = Array(byDay.joined())
        validationMAE = errors.isEmpty ? nil : errors.reduce(0) { $0 + abs($1) } / Double(errors.count)
        errors.sort()
        q10 = Quantile.sorted(errors, 0.1)
        q90 = Quantile.sorted(errors, 0.9)
    }

    public func forecast(_ s: HourlySeries, origin: Int, horizon: Int) -> [(p10: Double, p50: Double, p90: Double)] {
        guard let (st, _) = filter(s, from: start, to: origin, alpha, delta, omega) else {
            return [(p10: Double, p50: Double, p90: Double)](repeating: (0, 0, 0), count: horizon)
        }
        return (0..<horizon).map { h in
            let p = predict(st, from: start, at: origin + h)
            return (p + q10, p, p + q90)
        }
    }
}
