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
        guard var st = initial(s, from: from) else { return nil }
        var sse = 0.0
        for t in from..<to {
            let i = (t - from) % 24, k = (t - from) % 168
            guard let y = s.values[t] else { continue }
            let e = y - (st.level + st.daily[i] + st.weekly[k])
            if t >= from + 336 { sse += e * e }
            st.level += a * e
            st.daily[i] += dl * e
            st.weekly[k] += om * e
        }
        return (st, sse)
    }

    func predict(_ st: State, from: Int, at t: Int) -> Double {
        st.level + st.daily[(t - from) % 24] + st.weekly[(t - from) % 168]
    }

    public mutating func fit(_ s: HourlySeries, origin: Int) {
        start = max(0, origin - windowDays * 24)
        start -= start % 24 == 0 ? 0 : start % 24
        var best = Double.infinity
        for a in [0.005, 0.02, 0.05, 0.1, 0.2] {
            for dl in [0.02, 0.1, 0.2, 0.4] {
                for om in [0.02, 0.1, 0.2, 0.4] {
                    guard let (_, sse) = filter(s, from: start, to: origin, a, dl, om) else { continue }
                    if sse < best { best = sse; alpha = a; delta = dl; omega = om }
                }
            }
        }
        // Day-ahead errors over the last 14 training days, for the intervals.
        var errors: [Double] = []
        for day in 1...14 {
            let o = origin - day * 24
            guard o > start + 336, let (st, _) = filter(s, from: start, to: o, alpha, delta, omega) else { continue }
            for h in 0..<24 { if let y = s.values[o + h] { errors.append(y - predict(st, from: start, at: o + h)) } }
        }
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
