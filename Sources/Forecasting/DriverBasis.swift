/// Non-linear terms of the exogenous drivers for linear models. Load answers temperature
/// in a bent, not a straight line (heating below a comfort band, cooling above it, and
/// cooling grows steeper in a heat wave), with a lag (buildings store heat), differently
/// by time of day; calendar flags such as holidays act by hour and carry into the next
/// day. Learned from the training window only:
///
/// - a continuous driver gets hinges max(0, v − k) at `knotCount` knots spread evenly from
///   its 5th to its 99th percentile (a piecewise-linear response), the same hinges by
///   4-hour block of the day, the hinges and value 24 h and 168 h earlier (what the lagged
///   loads saw), its trailing means over 3, 6, 12 and 24 h, and the whole local day's
///   maximum, mean and minimum, each with hinges at its own 10th/50th/90th percentile,
///   and the previous day's maximum with hinges at its median and 90th percentile (a
///   heat wave's demand follows the day's peak and the heat already stored);
/// - a 0/1 driver (a holiday flag) gets its values 24 h and 168 h earlier.
///
/// The target day's drivers are perfect forecasts in the backtest protocol: the day terms
/// read the whole target local day (later hours included, never a later day); the
/// trailing means use only driver values up to the hour itself. The day statistics are
/// cached for the series the basis was learned on (fit and forecast read the same drivers;
/// a series of another length is read directly).
struct DriverBasis: Sendable {
    enum Kind: Sendable {
        case flag
        case continuous(knots: [Double], day: DayKnots)
    }

    /// A driver's maximum, mean and minimum over one local day, and the day's first hour.
    struct DayStats: Sendable {
        var max: Double, mean: Double, min: Double, start: Int
    }

    /// Knots of the daily aggregates: the day's maximum, mean and minimum (three each) and
    /// the previous day's maximum (two).
    struct DayKnots: Sendable {
        var max: [Double], mean: [Double], min: [Double], previousMax: [Double]
        var count: Int { max.count + mean.count + min.count + previousMax.count + 4 }
    }

    static let knotCount = 6
    static let blocks = 6
    let drivers: [String]
    let kinds: [Kind]
    /// `dayStats` of every hour of the series the basis was learned on, per driver (empty
    /// for flags); a series of another length is read directly.
    let dayCache: [[DayStats?]]

    /// Kinds learned from the driver values at hours `range`.
    init(_ s: HourlySeries, drivers: [String], range: Range<Int>) {
        self.drivers = drivers
        let range = clamped(range, s.values.count)
        var kinds: [Kind] = [], tables: [[DayStats?]] = []
        for d in drivers {
            let series = s.drivers[d] ?? []
            let values = series[clamped(range, series.count)].compactMap { $0 }
            let sorted = values.sorted()
            let lo = sorted.isEmpty ? 0 : Quantile.sorted(sorted, 0.05), hi = sorted.isEmpty ? 0 : Quantile.sorted(sorted, 0.99)
            guard !values.allSatisfy({ $0 == 0 || $0 == 1 }), hi > lo else {
                kinds.append(.flag)
                tables.append([])
                continue
            }
            let knots = (0..<Self.knotCount).map { lo + (hi - lo) * Double($0) / Double(Self.knotCount - 1) }
            let table = Self.dayStatsTable(s, series)
            kinds.append(.continuous(knots: knots, day: Self.dayKnots(table, range: range)))
            tables.append(table)
        }
        self.kinds = kinds
        dayCache = tables
    }

    /// Percentile knots of the daily aggregates over the local days starting in `range`
    /// (from the `dayStatsTable`: a day starts where its first hour is, DST days included).
    static func dayKnots(_ table: [DayStats?], range: Range<Int>) -> DayKnots {
        var maxima: [Double] = [], means: [Double] = [], minima: [Double] = []
        for t in range where t < table.count {
            guard let day = table[t], day.start == t || t == range.lowerBound else { continue }
            maxima.append(day.max); means.append(day.mean); minima.append(day.min)
        }
        func at(_ v: [Double], _ ps: [Double]) -> [Double] {
            let sorted = v.sorted()
            return sorted.isEmpty ? ps.map { _ in 0 } : ps.map { Quantile.sorted(sorted, $0) }
        }
        return DayKnots(max: at(maxima, [0.1, 0.5, 0.9]), mean: at(means, [0.1, 0.5, 0.9]),
                        min: at(minima, [0.1, 0.5, 0.9]), previousMax: at(maxima, [0.5, 0.9]))
    }

    /// Maximum, mean and minimum of the driver over the local day of hour t (missing values
    /// skipped; nil when the day has none), and the day's first hour.
    static func dayStats(_ s: HourlySeries, _ series: [Double?], _ t: Int) -> DayStats? {
        guard t >= 0, t < series.count, t < s.localDay.count else { return nil }
        let lo = s.dayStart[t]
        var hi = t
        while hi + 1 < min(series.count, s.localDay.count), s.dayStart[hi + 1] == lo { hi += 1 }
        var top = -Double.infinity, bottom = Double.infinity, sum = 0.0, n = 0
        for u in lo...hi {
            guard let v = series[u] else { continue }
            top = max(top, v); bottom = min(bottom, v); sum += v; n += 1
        }
        return n == 0 ? nil : DayStats(max: top, mean: sum / Double(n), min: bottom, start: lo)
    }

    /// Appends the day terms of hour t (each aggregate and its hinges); false when a day has
    /// no value. `cache` holds `dayStats` of every hour of this series, when known.
    static func appendDayTerms<X: TermSink>(_ s: HourlySeries, _ series: [Double?], _ t: Int, _ k: DayKnots,
                                            cache: [DayStats?]?, to x: inout X) -> Bool {
        func stats(_ u: Int) -> DayStats? {
            if let cache { return u >= 0 && u < cache.count ? cache[u] : nil }
            return dayStats(s, series, u)
        }
        guard let today = stats(t), let yesterday = stats(today.start - 1) else { return false }
        func put(_ v: Double, _ knots: [Double]) {
            x.append(v)
            for knot in knots { x.append(max(0, v - knot)) }
        }
        put(today.max, k.max)
        put(today.mean, k.mean)
        put(today.min, k.min)
        put(yesterday.max, k.previousMax)
        return true
    }

    /// `dayStats` of every hour of the series, one pass per local day.
    static func dayStatsTable(_ s: HourlySeries, _ series: [Double?]) -> [DayStats?] {
        var table = [DayStats?](repeating: nil, count: series.count)
        var t = 0
        while t < series.count {
            let day = dayStats(s, series, t)
            var end = t + 1
            while end < series.count, end < s.localDay.count, s.dayStart[end] == s.dayStart[t] { end += 1 }
            for u in t..<end { table[u] = day }
            t = end
        }
        return table
    }

    /// Number of terms `append` adds.
    var count: Int {
        kinds.reduce(0) { n, kind in
            switch kind {
            case .flag: return n + 2
            case .continuous(_, let day): return n + Self.knotCount * (1 + Self.blocks + 2) + 2 + 4 + day.count
            }
        }
    }

    /// Appends the terms of hour t to x; false when a value it needs is missing.
    func append<X: TermSink>(_ s: HourlySeries, _ t: Int, to x: inout X) -> Bool {
        append(s, t, drivers.map { s.drivers[$0] }, to: &x)
    }

    /// `append(s, t, to:)` with the drivers' series looked up once by the caller
    /// (`driverSeries[k]` is `drivers[k]`'s).
    func append<X: TermSink>(_ s: HourlySeries, _ t: Int, _ driverSeries: [[Double?]?], to x: inout X) -> Bool {
        for j in 0..<kinds.count {
            guard j < driverSeries.count, let series = driverSeries[j], t >= 168, t < series.count else { return false }
            let kind = kinds[j]
            switch kind {
            case .flag:
                guard let a = series[t - 24], let b = series[t - 168] else { return false }
                x.append(a)
                x.append(b)
            case .continuous(let knots, let day):
                guard let v = series[t], let v24 = series[t - 24], let v168 = series[t - 168] else { return false }
                for k in knots { x.append(max(0, v - k)) }
                let block = s.localHour[t] * Self.blocks / 24
                x.appendZeros(block * knots.count)
                for k in knots { x.append(max(0, v - k)) }
                x.appendZeros((Self.blocks - 1 - block) * knots.count)
                for k in knots { x.append(max(0, v24 - k)) }
                x.append(v24)
                for k in knots { x.append(max(0, v168 - k)) }
                x.append(v168)
                guard Self.appendTrailingMeans(series, t, to: &x) else { return false }
                let stats = j < dayCache.count && dayCache[j].count == series.count ? dayCache[j] : nil
                guard Self.appendDayTerms(s, series, t, day, cache: stats, to: &x) else { return false }
            }
        }
        return true
    }
}

extension DriverBasis {
    /// The trailing windows, hours t − span … t.
    static let trailingSpans = [3, 6, 12, 24]

    /// Means of `series` over the trailing windows ending at t, in one pass (missing values
    /// skipped); nil when a window holds no value.
    static func trailingMeans(_ series: [Double?], _ t: Int) -> [Double]? {
        var means: [Double] = []
        return appendTrailingMeans(series, t, to: &means) ? means : nil
    }

    /// `trailingMeans` appended to x; false when a window holds no value.
    static func appendTrailingMeans<X: TermSink>(_ series: [Double?], _ t: Int, to means: inout X) -> Bool {
        var sum = 0.0, n = 0, next = 0
        for back in 0...trailingSpans[trailingSpans.count - 1] {
            if t - back >= 0, t - back < series.count, let w = series[t - back] { sum += w; n += 1 }
            if back == trailingSpans[next] {
                guard n > 0 else { return false }
                means.append(sum / Double(n))
                next += 1
            }
        }
        return true
    }
}

private func clamped(_ r: Range<Int>, _ n: Int) -> Range<Int> {
    max(0, min(r.lowerBound, n))..<max(0, min(r.upperBound, n))
}
