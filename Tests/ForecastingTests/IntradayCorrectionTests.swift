import Forecasting
import TestSupport
import Foundation
import Testing

/// The intraday update: the recent mean error added with a weight decaying by lead time,
/// clamped, and blind to everything from the origin on.
@Suite("Forecasting: intraday correction")
struct IntradayCorrectionTests {
    /// Forecast 10 throughout, measured 12 and 13 in the two steps before origin 2: the mean
    /// error 2.5 is added with weights e^(−1/τ), e^(−2/τ), … (τ = 2 steps).
    @Test func theRecentErrorDecaysWithTheLead() throws {
        let update = IntradayCorrection(window: 2, timeConstant: 2)
        let forecast = [Double](repeating: 10, count: 6)
        let actual: [Double] = [12, 13, 99, 99, 99, 99]
        #expect(update.recentError(forecast, actual: actual, origin: 2) == 2.5)
        let revised = update.corrected(forecast, actual: actual, origin: 2, bounds: 0...Double.infinity)
        #expect(revised[0] == 10 && revised[1] == 10)
        for t in 2..<6 { #expect(abs(revised[t] - (10 + 2.5 * exp(-Double(t - 1) / 2))) <= 1e-12) }
        // Nothing from the origin on is read.
        let other = update.corrected(forecast, actual: [12, 13, 0, 0, 0, 0], origin: 2, bounds: 0...Double.infinity)
        #expect(other == revised)
        // No measured step before the origin: unchanged; a profile stays within [0, 1].
        #expect(update.corrected(forecast, actual: actual, origin: 0, bounds: 0...Double.infinity) == forecast)
        let profile = update.corrected([0.9, 0.9, 0.9], actual: [1, 1, 1], origin: 1, bounds: 0...1)
        #expect(profile[1] <= 1 && profile[2] <= 1 && profile[1] > 0.9)
        #expect(IntradayCorrection.standard(stepMinutes: 15) == IntradayCorrection(window: 4, timeConstant: 8))
        // Structural zeros (P10 = P50 = P90 = 0: PV at night) stay 0; a P50 of 0 whose P90 is
        // not (snow on the panels in daylight) moves with the error.
        let p10 = [0.4, 0.1, 0, 0], p50 = [0.5, 0.2, 0, 0], p90 = [0.6, 0.3, 0.2, 0]
        let night = IntradayCorrection.structuralZeros(p10: p10, p50: p50, p90: p90)
        #expect(night == [false, false, false, true])
        let evening = update.shifted(p50, by: 0.3, origin: 1, bounds: 0...1, fixed: night)
        #expect(evening[3] == 0 && evening[2] > 0 && evening[1] > 0.2)
    }

    /// A forecast off by a constant 3: the day-ahead error is 3 at every lead; corrected at
    /// each origin with τ = 1 step it is 3·(1 − e^(−lead)).
    @Test func leadErrorsCompareBothForecasts() throws {
        let update = IntradayCorrection(window: 1, timeConstant: 1)
        let forecast = [Double](repeating: 5, count: 10), actual = [Double](repeating: 8, count: 10)
        let e = update.leadErrors(forecast, actual: actual, origins: [1, 2, 3], leads: 3, bounds: 0...Double.infinity)
        #expect(e.counts == [3, 3, 3] && e.dayAhead == [3, 3, 3])
        for lead in 1...3 { #expect(abs(e.corrected[lead - 1] - 3 * (1 - exp(-Double(lead)))) <= 1e-12) }
    }

    /// Errors from an AR(1) process with φ = 0.7: the fitted time constant is −1/ln 0.7 ≈ 2.80
    /// steps; white noise has none; a constant bias persists for the whole range.
    @Test func timeConstantFittedToPersistentErrors() throws {
        var rng = SeededGenerator(seed: 21)
        let shocks = GaussianCopula.standardNormals(20_000, using: &rng)
        var e = [shocks[0]]
        for t in 1..<shocks.count { e.append(0.7 * e[t - 1] + shocks[t]) }
        let tau = try #require(IntradayCorrection.timeConstant(ofErrors: e, range: 0.5...24))
        #expect(abs(tau - (-1 / log(0.7))) < 0.15, "τ \(tau)")
        let white = IntradayCorrection.timeConstant(ofErrors: shocks, range: 0.5...24)
        #expect(white == nil || white! < 0.6)
        #expect(IntradayCorrection.timeConstant(ofErrors: [Double](repeating: 2, count: 100), range: 0.5...24) == 24)
        #expect(IntradayCorrection.timeConstant(ofErrors: [1, 2, 3], range: 0.5...24) == nil)
        e[5] = .nan   // a missing error drops its two pairs
        #expect(IntradayCorrection.timeConstant(ofErrors: e, range: 0.5...24) != nil)
    }
}
