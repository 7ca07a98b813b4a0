import Foundation
@testable import Forecasting
import TestSupport
import Testing

/// The terms added for measured loads: driver hinges, least absolute deviations, and
/// which ensemble members take part.
@Suite("Forecast model terms")
struct ModelTermsTests {
    /// y = 10, and 60 one hour in ten at random: the mean is 15, the median 10. Least
    /// squares would forecast about 15 (day-ahead MAE ≈ 9); the median forecast 10 has MAE
    /// ≈ 5, so ridge's held-out comparison must pick least absolute deviations.
    @Test func ridgeForecastsTheMedianOfASkewedLoad() throws {
        var rng = SeededGenerator(seed: 11)
        let s = try ModelTests().history(days: 120) { _ in
            (Double.random(in: 0..<1, using: &rng) < 0.1 ? 60 : 10, 0)
        }
        var ridge = RidgeForecaster(drivers: [])
        let origin = s.count - 24 * 7
        ridge.fit(s, origin: origin)
        #expect(ridge.leastAbsolute)
        let p50 = ridge.forecast(s, origin: origin, horizon: 24).map(\.p50)
        #expect(p50.allSatisfy { abs($0 - 10) < 1.5 }, "P50 \(p50)")  // the mean, 15, is far outside
        // A symmetric noise keeps least squares (the two fits then tie; it must not lose).
        var rng2 = SeededGenerator(seed: 12)
        func shape(_ h: Int) -> Double { 50 + 10 * sin(2 * Double.pi * Double(h) / 24) }
        let g = try ModelTests().history(days: 120) { t in
            let noise = Double.random(in: -1...1, using: &rng2)
            return (shape(t % 24) + noise, 0)
        }
        var plain = RidgeForecaster(drivers: [])
        plain.fit(g, origin: origin)
        let f = plain.forecast(g, origin: origin, horizon: 24)
        for h in 0..<24 {
            let error = abs(f[h].p50 - shape(h))
            #expect(error < 1.5)
        }
    }

    /// Knots spread from the 5th to the 99th percentile; a 0/1 driver is a flag; the terms
    /// appended are as many as `count` says, and hinges are max(0, x − knot).
    @Test func driverBasisTerms() throws {
        let s = try ModelTests().history(days: 30) { t in (Double(t % 24), Double(t % 101)) }
        let basis = DriverBasis(s, drivers: ["x"], range: 0..<s.count)
        guard case .continuous(let knots) = basis.kinds[0] else { Issue.record("x is not a flag"); return }
        #expect(knots.count == DriverBasis.knotCount)
        #expect(abs(knots[0] - 5) < 1.5 && abs(knots[knots.count - 1] - 99) < 1.5)
        var x: [Double] = []
        let t = 24 * 20 + 13
        #expect(basis.append(s, t, to: &x))
        #expect(x.count == basis.count)
        let v = s.drivers["x"]![t]!
        for (k, knot) in knots.enumerated() { #expect(x[k] == max(0, v - knot)) }
        // Hours before a week of history have no lagged drivers.
        var early: [Double] = []
        #expect(!basis.append(s, 100, to: &early))
        let flags = try ModelTests().history(days: 30) { t in (1, t / 24 % 7 == 0 ? 1 : 0) }
        let flagBasis = DriverBasis(flags, drivers: ["x"], range: 0..<flags.count)
        guard case .flag = flagBasis.kinds[0] else { Issue.record("a 0/1 driver is a flag"); return }
        #expect(flagBasis.count == 2)
    }

    /// Members more than `admission` × the best held-out MAE sit out; without every
    /// member's error, all take part.
    @Test func ensembleAdmission() {
        #expect(EnsembleForecaster.admitted([1.0, 1.4, 2.0], admission: 1.5) == [true, true, false])
        #expect(EnsembleForecaster.admitted([3.0, 2.0, 2.9], admission: 1.5) == [true, true, true])
        #expect(EnsembleForecaster.admitted([1.0, nil, 5.0], admission: 1.5) == [true, true, true])
        // An admission below 1 still keeps the best member (no empty average).
        #expect(EnsembleForecaster.admitted([2.0, 1.0], admission: 0.5) == [false, true])
    }
}
