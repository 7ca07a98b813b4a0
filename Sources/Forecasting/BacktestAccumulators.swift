import Foundation
import LinearAlgebra

/// The intraday update's errors by lead hour over a backtest's test days: at every hour of a
/// day after its first, the day-ahead P50 corrected by the error of the hours before it
/// (``IntradayCorrection``), against the day-ahead P50 alone, for leads that stay in the day.
struct IntradayAccumulator {
    /// Days of day-ahead errors the time constant is fitted on.
    static let historyDays = 28
    let leads: Int
    let correction: IntradayCorrection
    let fitted: Bool
    let bounds: ClosedRange<Double>
    var plain: [Double], correctedSum: [Double], counts: [Int]
    /// Day-ahead errors of the days scored so far (the fitted time constant's data).
    var pastErrors: [Double] = []
    var timeConstants: [Double] = []

    init(leads: Int, correction: IntradayCorrection, fitted: Bool, nonnegative: Bool) {
        self.leads = max(0, leads)
        self.correction = correction
        self.fitted = fitted
        bounds = nonnegative ? 0...Double.infinity : -Double.infinity...Double.infinity
        plain = [Double](repeating: 0, count: self.leads)
        correctedSum = plain
        counts = [Int](repeating: 0, count: self.leads)
    }

    /// Scores a test day (`scored`); a warm-up day only adds its errors to the past.
    mutating func add(forecast f: [(p10: Double, p50: Double, p90: Double)], actual: [Double], scored: Bool) {
        guard leads > 0, f.count > 1 else { return }
        let forecast = f.map(\.p50)
        var correction = self.correction
        if fitted {
            if pastErrors.count >= 7 * 24,
               let tau = IntradayCorrection.timeConstant(ofErrors: Array(pastErrors.suffix(Self.historyDays * 24)), range: 0.5...24) {
                correction.timeConstant = tau
            }
            pastErrors += zip(actual, forecast).map { $0 - $1 }
        }
        guard scored else { return }
        timeConstants.append(correction.timeConstant)
        let fixed = IntradayCorrection.structuralZeros(p10: f.map(\.p10), p50: forecast, p90: f.map(\.p90))
        let e = correction.leadErrors(forecast, actual: actual, origins: Array(1..<forecast.count), leads: leads, bounds: bounds,
                                      fixed: fixed)
        for l in 0..<leads where e.counts[l] > 0 {
            plain[l] += e.dayAhead[l] * Double(e.counts[l])
            correctedSum[l] += e.corrected[l] * Double(e.counts[l])
            counts[l] += e.counts[l]
        }
    }

    func leads(scale: Double) -> [Backtest.IntradayLead]? {
        guard leads > 0 else { return nil }
        return (0..<leads).filter { counts[$0] > 0 }.map { l in
            Backtest.IntradayLead(leadHours: l + 1, dayAheadMASE: plain[l] / Double(counts[l]) / scale,
                                  correctedMASE: correctedSum[l] / Double(counts[l]) / scale, samples: counts[l],
                                  timeConstantHours: timeConstants.isEmpty ? correction.timeConstant
                                      : timeConstants.reduce(0, +) / Double(timeConstants.count))
        }
    }
}

/// Energy scores of joint scenarios over a backtest's test days. Each day's hours are one
/// vector of 24 by local clock hour (the repeated hour of a 25-hour day shares its clock
/// hour's score; the skipped hour of a 23-hour day has none): the copula is fitted on the
/// normal scores of the days forecast before it, and the day's scenarios are drawn from it
/// and, with the same random numbers, independently per hour. A day without any observed
/// value is not scored.
struct ScenarioAccumulator {
    static let dimension = 24
    let samples: Int
    let historyDays: Int
    let nonnegative: Bool
    var rng: SplitMix64
    var past: [[Double]] = []
    var copulaSum = 0.0, independentSum = 0.0, shrinkageSum = 0.0
    var days = 0

    init(options: Backtest.Options, nonnegative: Bool) {
        samples = max(0, options.scenarioSamples)
        historyDays = max(1, options.scenarioHistoryDays)
        self.nonnegative = nonnegative
        rng = SplitMix64(seed: options.seed)
    }

    mutating func add(forecast: [(p10: Double, p50: Double, p90: Double)], actual: [Double], hours: [Int], scored: Bool) {
        guard samples > 0 else { return }
        let marginals = forecast.map { QuantileMarginal(p10: $0.p10, p50: $0.p50, p90: $0.p90) }
        let d = Self.dimension
        let clock = hours.map { min(max($0, 0), d - 1) }
        if scored && actual.contains(where: \.isFinite) {
            let copula = GaussianCopula.fit(Array(past.suffix(historyDays)), dimension: d)
            var joint: [[Double]] = [], independent: [[Double]] = []
            for _ in 0..<samples {
                let e = GaussianCopula.standardNormals(d, using: &rng)
                joint.append(scenario(marginals, copula.correlate(e), clock))
                independent.append(scenario(marginals, e, clock))
            }
            copulaSum += EnergyScore.score(joint, observed: actual)
            independentSum += EnergyScore.score(independent, observed: actual)
            shrinkageSum += copula.shrinkage
            days += 1
        }
        var scores = [Double](repeating: .nan, count: d)
        for p in marginals.indices where scores[clock[p]].isNaN { scores[clock[p]] = marginals[p].score(of: actual[p]) ?? .nan }
        past.append(scores)
    }

    func scenario(_ marginals: [QuantileMarginal], _ z: [Double], _ clock: [Int]) -> [Double] {
        marginals.indices.map { p in
            let v = marginals[p].value(atScore: z[clock[p]])
            return nonnegative ? max(0, v) : v
        }
    }

    var score: Backtest.ScenarioScore? {
        guard samples > 0, days > 0 else { return nil }
        let n = Double(days)
        return Backtest.ScenarioScore(samples: samples, days: days, copula: copulaSum / n, independent: independentSum / n,
                                      ratio: independentSum > 0 ? copulaSum / independentSum : 1, shrinkage: shrinkageSum / n)
    }
}
