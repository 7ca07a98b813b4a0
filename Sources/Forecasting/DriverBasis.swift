/// Non-linear terms of the exogenous drivers for linear models. Load answers temperature
/// in a bent, not a straight line (heating below a comfort band, cooling above it, and
/// cooling grows steeper in a heat wave), with a lag (buildings store heat), differently
/// by time of day; calendar flags such as holidays act by hour and carry into the next
/// day. Learned from the training window only:
///
/// - a continuous driver gets hinges max(0, v − k) at `knotCount` knots spread evenly from
///   its 5th to its 99th percentile (a piecewise-linear response), the same hinges by
///   4-hour block of the day, the hinges and value 24 h and 168 h earlier (what the lagged
///   loads saw), and its trailing means over 3, 6, 12 and 24 h;
/// - a 0/1 driver (a holiday flag) gets its values 24 h and 168 h earlier.
///
/// The target day's drivers are perfect forecasts in the backtest protocol; the trailing
/// means use only driver values up to the hour itself.
struct DriverBasis: Sendable {
    enum Kind: Sendable {
        case flag
        case continuous(knots: [Double])
    }

    static let knotCount = 6
    static let blocks = 6
    let drivers: [String]
    let kinds: [Kind]

    /// Kinds learned from the driver values at hours `range`.
    init(_ s: HourlySeries, drivers: [String], range: Range<Int>) {
        self.drivers = drivers
        kinds = drivers.map { d in
            let values = (s.drivers[d] ?? [])[clamped(range, s.values.count)].compactMap { $0 }
            if values.isEmpty || values.allSatisfy({ $0 == 0 || $0 == 1 }) { return .flag }
            let sorted = values.sorted()
            let lo = Quantile.sorted(sorted, 0.05), hi = Quantile.sorted(sorted, 0.99)
            guard hi > lo else { return .flag }
            let knots = (0..<Self.knotCount).map { lo + (hi - lo) * Double($0) / Double(Self.knotCount - 1) }
            return .continuous(knots: knots)
        }
    }

    /// Number of terms `append` adds.
    var count: Int {
        kinds.reduce(0) { n, kind in
            switch kind {
            case .flag: return n + 2
            case .continuous: return n + Self.knotCount * (1 + Self.blocks + 2) + 2 + 4
            }
        }
    }

    /// Appends the terms of hour t to x; false when a value it needs is missing.
    func append(_ s: HourlySeries, _ t: Int, to x: inout [Double]) -> Bool {
        for (d, kind) in zip(drivers, kinds) {
            guard let series = s.drivers[d], t >= 168, t < series.count else { return false }
            switch kind {
            case .flag:
                guard let a = series[t - 24], let b = series[t - 168] else { return false }
                x.append(a)
                x.append(b)
            case .continuous(let knots):
                guard let v = series[t], let v24 = series[t - 24], let v168 = series[t - 168] else { return false }
                let hinges = knots.map { max(0, v - $0) }
                x.append(contentsOf: hinges)
                let block = s.localHour[t] * Self.blocks / 24
                for b in 0..<Self.blocks {
                    if b == block { x.append(contentsOf: hinges) } else { x.append(contentsOf: repeatElement(0, count: knots.count)) }
                }
                for lagged in [v24, v168] {
                    x.append(contentsOf: knots.map { max(0, lagged - $0) })
                    x.append(lagged)
                }
                guard let means = Self.trailingMeans(series, t) else { return false }
                x.append(contentsOf: means)
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
        means.reserveCapacity(trailingSpans.count)
        var sum = 0.0, n = 0, next = 0
        for back in 0...trailingSpans[trailingSpans.count - 1] {
            if t - back >= 0, t - back < series.count, let w = series[t - back] { sum += w; n += 1 }
            if back == trailingSpans[next] {
                guard n > 0 else { return nil }
                means.append(sum / Double(n))
                next += 1
            }
        }
        return means
    }
}

private func clamped(_ r: Range<Int>, _ n: Int) -> Range<Int> {
    max(0, min(r.lowerBound, n))..<max(0, min(r.upperBound, n))
}
