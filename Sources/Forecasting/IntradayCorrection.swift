import Foundation

/// An intraday update of a day-ahead forecast without a refit: the mean error of the last
/// measured steps, added to the forecast ahead with a weight that decays exponentially
/// with the lead time.
///
/// For an origin k (the first step not yet measured), the recent error is
/// ē = mean(actual[t] − forecast[t]) over t in [k − window, k), and the forecast at step
/// k + h (lead h + 1 steps) becomes forecast[k + h] + ē · exp(−(h + 1) / timeConstant),
/// clamped into `bounds`. Steps before k are left as they were. Only the actuals before k
/// are read, so a forecast corrected at k uses nothing from k on.
///
/// ```swift
/// let update = IntradayCorrection(window: 4, timeConstant: 8)
/// let revised = update.corrected(dayAhead, actual: measured, origin: 52, bounds: 0...Double.infinity)
/// ```
public struct IntradayCorrection: Sendable, Equatable, Codable {
    /// Steps of recent error averaged (at least 1).
    public var window: Int
    /// The decay's time constant, in steps (> 0).
    public var timeConstant: Double

    public init(window: Int, timeConstant: Double) {
        self.window = max(1, window)
        self.timeConstant = timeConstant
    }

    /// The default for a step of `stepMinutes`: errors of the last hour, decaying with a
    /// time constant of two hours.
    public static func standard(stepMinutes: Int) -> IntradayCorrection {
        let perHour = 60.0 / Double(max(1, stepMinutes))
        return IntradayCorrection(window: max(1, Int(perHour.rounded())), timeConstant: 2 * perHour)
    }

    /// The time constant fitted to past errors (steps): the errors as an AR(1) process,
    /// φ = Σ eₜeₜ₋₁ / Σ eₜ₋₁² over consecutive steps that both have an error (no mean is
    /// removed: a bias that persists is what the update corrects), whose best prediction
    /// `h` steps ahead is φʰ times the last error, i.e. exp(−h/τ) with τ = −1/ln φ. Clamped
    /// into `range`; nil with fewer than `minimumPairs` pairs or φ ≤ 0 (nothing persists).
    public static func timeConstant(ofErrors e: [Double], range: ClosedRange<Double>, minimumPairs: Int = 48) -> Double? {
        var cross = 0.0, square = 0.0, pairs = 0
        for t in e.indices.dropFirst() where e[t].isFinite && e[t - 1].isFinite {
            cross += e[t] * e[t - 1]
            square += e[t - 1] * e[t - 1]
            pairs += 1
        }
        guard pairs >= minimumPairs, square > 0 else { return nil }
        let phi = cross / square
        guard phi > 0 else { return nil }
        guard phi < 1 else { return range.upperBound }
        return min(max(-1 / log(phi), range.lowerBound), range.upperBound)
    }

    /// The recent mean error at origin `k`; nil when no step before `k` has an actual value.
    public func recentError(_ forecast: [Double], actual: [Double], origin k: Int) -> Double? {
        let from = max(0, k - window), to = min(k, actual.count, forecast.count)
        guard from < to else { return nil }
        var sum = 0.0, n = 0
        for t in from..<to where actual[t].isFinite && forecast[t].isFinite {
            sum += actual[t] - forecast[t]
            n += 1
        }
        return n > 0 ? sum / Double(n) : nil
    }

    /// `forecast` with the steps from `k` on corrected by the recent error (unchanged when
    /// there is none), each value clamped into `bounds`; steps marked in `fixed` are left alone.
    public func corrected(_ forecast: [Double], actual: [Double], origin k: Int, bounds: ClosedRange<Double>,
                          fixed: [Bool] = []) -> [Double] {
        guard let error = recentError(forecast, actual: actual, origin: k), timeConstant > 0 else { return forecast }
        return shifted(forecast, by: error, origin: k, bounds: bounds, fixed: fixed)
    }

    /// Steps whose whole forecast interval is 0 (P10 = P50 = P90 = 0: PV at night): an error
    /// measured in daylight says nothing about them, so the update leaves them at 0.
    public static func structuralZeros(p10: [Double], p50: [Double], p90: [Double]) -> [Bool] {
        p50.indices.map { t in p50[t] == 0 && (t < p10.count ? p10[t] == 0 : true) && (t < p90.count ? p90[t] == 0 : true) }
    }

    /// `values` from step `k` on shifted by `error` decaying with the lead time, clamped into
    /// `bounds`; steps marked in `fixed` (e.g. ``structuralZeros(p10:p50:p90:)``) are left alone.
    public func shifted(_ values: [Double], by error: Double, origin k: Int, bounds: ClosedRange<Double>,
                        fixed: [Bool] = []) -> [Double] {
        guard timeConstant > 0, timeConstant.isFinite, error.isFinite else { return values }
        var out = values
        for t in max(0, k)..<values.count where !(t < fixed.count && fixed[t]) {
            let weight = exp(-Double(t - k + 1) / timeConstant)
            out[t] = min(max(values[t] + error * weight, bounds.lowerBound), bounds.upperBound)
        }
        return out
    }

    /// Mean absolute errors by lead (1 … `leads` steps) over the origins `origins` of one
    /// series: the forecast as it is, and corrected at each origin.
    public func leadErrors(_ forecast: [Double], actual: [Double], origins: [Int], leads: Int,
                           bounds: ClosedRange<Double>, fixed: [Bool] = []) -> (dayAhead: [Double], corrected: [Double], counts: [Int]) {
        let leads = max(1, leads)
        var plain = [Double](repeating: 0, count: leads), correctedSum = plain, counts = [Int](repeating: 0, count: leads)
        for k in origins {
            let revised = corrected(forecast, actual: actual, origin: k, bounds: bounds, fixed: fixed)
            for lead in 1...max(1, leads) {
                let t = k + lead - 1
                guard t < actual.count, t < forecast.count, actual[t].isFinite else { continue }
                plain[lead - 1] += abs(actual[t] - forecast[t])
                correctedSum[lead - 1] += abs(actual[t] - revised[t])
                counts[lead - 1] += 1
            }
        }
        for i in 0..<leads where counts[i] > 0 {
            plain[i] /= Double(counts[i])
            correctedSum[i] /= Double(counts[i])
        }
        return (plain, correctedSum, counts)
    }
}
