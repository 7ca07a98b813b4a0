import Forecasting
import Foundation
import ParkModel

/// How much an intraday update improves a scenario's forecasts, measured on the scenario's
/// own realised values: at every origin step of the horizon (after a full error window),
/// the forecast as it is and as corrected at that origin, compared by lead time.
///
/// ```swift
/// let s = try DailyBatch.read("datasets/ordos-park")
/// for row in IntradayEvaluation.evaluate(s, correction: .standard(stepMinutes: s.stepMinutes), leadHours: 6) {
///     print(row.role, row.leadHour, row.dayAhead, row.corrected)
/// }
/// ```
public enum IntradayEvaluation {
    /// One role's errors at one lead hour.
    public struct Row: Sendable, Equatable, Codable {
        /// "load" or "profile".
        public var role: String
        /// Leads from (leadHour − 1) h to leadHour h after the origin.
        public var leadHour: Int
        /// Mean absolute error over the series of the role, each divided by its mean realised value.
        public var dayAhead: Double
        public var corrected: Double
        /// How many (series, origin, lead) values the row averages.
        public var samples: Int
        /// corrected / dayAhead.
        public var ratio: Double { dayAhead > 0 ? corrected / dayAhead : .nan }
    }

    /// The rows for every role of `s`'s forecasts that have realised values, leads of 1 to
    /// `leadHours` hours; empty when the error window is not shorter than the horizon.
    public static func evaluate(_ s: Scenario, correction: IntradayCorrection, leadHours: Int) -> [Row] {
        let leads = max(1, Int((Double(leadHours) * 60 / Double(s.stepMinutes)).rounded(.up)))
        guard correction.window < s.steps else { return [] }
        let origins = Array(correction.window..<s.steps)
        var sums: [String: (plain: [Double], fixed: [Double], counts: [Int])] = [:]
        for f in s.forecasts {
            guard let actual = f.actual else { continue }
            let scale = actual.reduce(0) { $0 + abs($1) } / Double(max(1, actual.count))
            guard scale > 0 else { continue }
            let bounds: ClosedRange<Double> = f.role == "profile" ? 0...1 : 0...Double.infinity
            let e = correction.leadErrors(f.p50, actual: actual, origins: origins, leads: leads, bounds: bounds)
            var acc = sums[f.role] ?? ([Double](repeating: 0, count: leadHours), [Double](repeating: 0, count: leadHours),
                                       [Int](repeating: 0, count: leadHours))
            for lead in 0..<leads where e.counts[lead] > 0 {
                let hour = ((lead + 1) * s.stepMinutes - 1) / 60  // lead (lead + 1) steps lies in this lead hour
                guard hour < leadHours else { continue }
                acc.plain[hour] += e.dayAhead[lead] / scale * Double(e.counts[lead])
                acc.fixed[hour] += e.corrected[lead] / scale * Double(e.counts[lead])
                acc.counts[hour] += e.counts[lead]
            }
            sums[f.role] = acc
        }
        return sums.keys.sorted().flatMap { role in
            let acc = sums[role]!
            return (0..<leadHours).compactMap { h in
                acc.counts[h] > 0 ? Row(role: role, leadHour: h + 1, dayAhead: acc.plain[h] / Double(acc.counts[h]),
                                        corrected: acc.fixed[h] / Double(acc.counts[h]), samples: acc.counts[h]) : nil
            }
        }
    }
}
