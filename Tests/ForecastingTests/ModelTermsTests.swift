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
        guard case .continuous(let knots, _) = basis.kinds[0] else { Issue.record("x is not a flag"); return }
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

    /// Weights (least / eᵢ)², normalised, over the active members; equal when an active
    /// member has no error.
    @Test func ensembleWeights() {
        func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 } }
        #expect(close(EnsembleForecaster.weights([1.0, 2.0, 4.0], active: [true, true, false]), [0.8, 0.2, 0]))
        #expect(close(EnsembleForecaster.weights([2.0, 1.0], active: [true, true]), [0.2, 0.8]))
        #expect(close(EnsembleForecaster.weights([1.0, nil, 5.0], active: [true, true, true]), [1.0 / 3, 1.0 / 3, 1.0 / 3]))
        #expect(close(EnsembleForecaster.weights([1.0, nil, 0.5], active: [true, false, true]), [0.2, 0, 0.8]),
                "an inactive member's missing error does not matter")
        #expect(close(EnsembleForecaster.weights([0.0, 1.0], active: [true, true]), [0.5, 0.5]), "a zero error gives equal weights")
        #expect(close(EnsembleForecaster.weights([1.0, .infinity, 2.0], active: [true, true, true]), [0.8, 0, 0.2]),
                "an infinite error takes no part")
        #expect(close(EnsembleForecaster.weights([.nan, 1.0], active: [true, true]), [0.5, 0.5]))
        #expect(close(EnsembleForecaster.weights([.infinity, .infinity], active: [true, true]), [0.5, 0.5]))
        #expect(close(EnsembleForecaster.weights([1.0, 2.0], active: [false, false]), [0, 0]))
    }

    /// The day terms: the whole local day's maximum, mean and minimum of the driver and the
    /// previous day's maximum, each followed by its hinges. x = hour + 10 × (day mod 3).
    @Test func driverDayTerms() throws {
        let s = try ModelTests().history(days: 30) { t in (1, Double(t % 24 + 10 * (t / 24 % 3))) }
        let basis = DriverBasis(s, drivers: ["x"], range: 0..<s.count)
        guard case .continuous(_, let day) = basis.kinds[0] else { Issue.record("x is not a flag"); return }
        #expect(day.count == 15)
        var x: [Double] = []
        let t = 24 * 20 + 7   // day 20: 20 mod 3 = 2; day 19: 1
        #expect(basis.append(s, t, to: &x))
        let terms = Array(x.suffix(15))
        #expect(terms[0] == 23 + 20 && terms[4] == 11.5 + 20 && terms[8] == 20 && terms[12] == 23 + 10)
        for (k, knot) in day.max.enumerated() { #expect(terms[1 + k] == max(0, 43 - knot)) }
        for (k, knot) in day.previousMax.enumerated() { #expect(terms[13 + k] == max(0, 33 - knot)) }
        // Every hour of a day sees the same day terms (later hours' drivers included).
        var y: [Double] = []
        #expect(basis.append(s, 24 * 20 + 23, to: &y))
        #expect(Array(y.suffix(15)) == terms)
        // Read directly (as for a series of another length): the same terms as from the cache.
        var z: [Double] = []
        #expect(DriverBasis.appendDayTerms(s, s.drivers["x"]!, t, day, cache: nil, to: &z))
        #expect(z == terms)
    }

    /// XᵀWX and XᵀWy of the sparse design (dense block by BLAS, one-hot columns over their
    /// nonzeros) equal the dense sums, over a range of rows, with and without weights.
    @Test func sparseDesignGram() throws {
        var rng = SeededGenerator(seed: 5)
        let p = 12, n = 60
        let rows: [[Double]] = (0..<n).map { r in
            var x = [Double](repeating: 0, count: p)
            x[0] = 1
            x[1 + r % 5] = 1                                            // one-hot, sparse
            x[6] = Double.random(in: -2...2, using: &rng)               // dense
            x[7] = r % 2 == 0 ? Double.random(in: 0...3, using: &rng) : 0   // half dense
            x[8 + r % 3] = Double.random(in: 1...2, using: &rng)        // sparse, valued
            x[11] = Double(r)                                           // dense
            return x
        }
        let y = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        let w = (0..<n).map { _ in Double.random(in: 0.1...2, using: &rng) }
        let design = try #require(SparseDesign(rows, columns: p))
        #expect(SparseDesign(rows, columns: p - 1) == nil)   // a term beyond the columns
        #expect(!design.denseColumns.isEmpty && design.denseColumns.count < p)
        for weights in [nil, w] {
            let range = 7..<53
            let g = design.gram(range, y, weights: weights)
            for i in 0..<p {
                var bi = 0.0
                for r in range { bi += (weights?[r] ?? 1) * rows[r][i] * y[r] }
                #expect(abs(g.b[i] - bi) < 1e-9 * max(1, abs(bi)))
                for j in 0..<p {
                    var aij = 0.0
                    for r in range { aij += (weights?[r] ?? 1) * rows[r][i] * rows[r][j] }
                    #expect(abs(g.a[i, j] - aij) < 1e-9 * max(1, abs(aij)), "(\(i), \(j))")
                }
            }
        }
        #expect(abs(design.dot(9, y.prefix(p).map { $0 }) - zip(rows[9], y.prefix(p)).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-12)
        // Ridge's interval blocks downdate: the Gram of rows 0..<40 minus that of 25..<40
        // is the Gram of 0..<25 (the fit before the block sees nothing of it).
        let down = design.gram(0..<40, y) - design.gram(25..<40, y), direct = design.gram(0..<25, y)
        for k in 0..<down.a.values.count { #expect(abs(down.a.values[k] - direct.a.values[k]) < 1e-9 * max(1, abs(direct.a.values[k]))) }
        for k in 0..<p { #expect(abs(down.b[k] - direct.b[k]) < 1e-9 * max(1, abs(direct.b[k]))) }
    }

    /// The standardised penalty is blind to a term's units: a driver given in thousandths
    /// gets a coefficient 1000× larger and the same forecasts. The unscaled penalty shrinks
    /// the small-unit term harder, so its forecasts change.
    @Test func standardisedPenaltyIgnoresUnits() throws {
        var rng = SeededGenerator(seed: 9)
        let rows: [[Double]] = (0..<200).map { _ in [1, Double.random(in: 0...10, using: &rng), Double.random(in: -1...1, using: &rng)] }
        let y = rows.map { 2 + 3 * $0[1] - $0[2] + 0.1 * Double.random(in: -1...1, using: &rng) }
        let milli = rows.map { [$0[0], $0[1] / 1000, $0[2]] }
        for lambda in [0.01, 0.3] {
            let a = try #require(RidgeForecaster.solve(rows, y, lambda: lambda))
            let b = try #require(RidgeForecaster.solve(milli, y, lambda: lambda))
            // (Up to the tiny floor on every diagonal entry, a fraction of the trace.)
            #expect(abs(b[1] / 1000 - a[1]) < 1e-4 * abs(a[1]))
            #expect(abs(a[0] - b[0]) < 1e-4 && abs(a[2] - b[2]) < 1e-4)
        }
        let a = try #require(RidgeForecaster.solve(rows, y, lambda: 1e-2, scaled: false))
        let b = try #require(RidgeForecaster.solve(milli, y, lambda: 1e-2, scaled: false))
        #expect(abs(b[1] / 1000 - a[1]) > 0.1 * abs(a[1]))
        #expect(RidgeForecaster(drivers: []).name == "ridge")
        #expect(RidgeForecaster(drivers: [], standardized: false).name == "ridge_unscaled")
        #expect(ForecastModels.make("ridge_unscaled")?.name == "ridge_unscaled")
    }

    /// An origin within the first week (no lag 168 yet) leaves ridge without coefficients,
    /// held-out error or intervals, forecasting the seasonal naive — no crash.
    @Test func ridgeOnLessThanAWeek() throws {
        let s = try ModelTests().history(days: 10) { t in (Double(t % 24), 0) }
        var ridge = RidgeForecaster(drivers: [])
        ridge.fit(s, origin: 100)
        #expect(ridge.heldOutMAE == nil)
        let f = ridge.forecast(s, origin: 200, horizon: 24)
        for h in 0..<24 { #expect(f[h].p50 == s.values[200 + h - 168]!) }
    }

    /// Ridge's level-scaled daily shape: after the last value before the day by hour of day
    /// comes the mean of the 24 hours before the target's day, in the target hour's slot of 24.
    @Test func ridgeYesterdaysMeanByHour() throws {
        let s = try ModelTests().history(days: 30) { t in (Double(t % 24) + Double(t / 24), 0) }
        let ridge = RidgeForecaster(drivers: [])
        let t = 24 * 20 + 13
        var x: [Double] = []
        #expect(ridge.features(s, t, into: &x))
        // intercept, 167 hour-of-week dummies (the first hour of the week is the base), 3
        // lags, 24 last-value slots, then the 24 slots.
        let first = 1 + 167 + 3 + 24
        let yesterday = (0..<24).map { Double($0) + 19 }.reduce(0, +) / 24   // day 19: hour + 19
        #expect(x[first + 13] == yesterday, "\(x[first + 13]) against \(yesterday)")
        #expect((0..<24).allSatisfy { $0 == 13 || x[first + $0] == 0 })
        // The last value before the day (day 19, 23:00) sits in the same hour's slot of the
        // block before.
        #expect(x[first - 24 + 13] == 23 + 19)
    }

    /// Ridge on the leading terms alone: the same coefficients as a fit on rows cut to those
    /// terms, the rest 0, with either penalty.
    @Test func ridgeOnTheLeadingTerms() throws {
        var rng = SeededGenerator(seed: 21)
        let rows = (0..<300).map { _ in [1.0] + (0..<5).map { _ in Double.random(in: -2..<2, using: &rng) } }
        let y = rows.map { 1 + 2 * $0[1] - $0[2] + 0.5 * $0[4] + Double.random(in: -0.1..<0.1, using: &rng) }
        let full = try #require(SparseDesign(rows, columns: 6)).gram(0..<300, y)
        for scaled in [true, false] {
            let cut = try #require(RidgeForecaster.solve(rows.map { Array($0[0..<3]) }, y, lambda: 0.01, scaled: scaled))
            let leading = try #require(RidgeForecaster.solve(full, lambda: 0.01, scaled: scaled, columns: 3))
            #expect(leading.count == 6 && leading[3...].allSatisfy { $0 == 0 })
            for k in 0..<3 { #expect(abs(leading[k] - cut[k]) <= 1e-10 * (1 + abs(cut[k])), "scaled \(scaled), term \(k)") }
            #expect(try #require(RidgeForecaster.solve(full, lambda: 0.01, scaled: scaled, columns: nil)).count == 6)
        }
    }

    /// A driver that only adds noise: the fit leaves its non-linear terms out (chosen on the
    /// held-out days), their coefficients 0. A driver the load follows through a hinge keeps
    /// them.
    @Test func ridgeChoosesTheDriverTerms() throws {
        var rng = SeededGenerator(seed: 8)
        let noise = try ModelTests().history(days: 120) { t in
            (y: 10 + 3 * sin(Double(t % 24) / 24 * 2 * .pi) + Double.random(in: -1..<1, using: &rng),
             x: Double.random(in: 0..<100, using: &rng))
        }
        var ridge = RidgeForecaster(drivers: ["x"])
        ridge.fit(noise, origin: 110 * 24)
        let p = ridge.beta.count, basisCount = try #require(ridge.basis).count
        let c = try #require(ridge.columnsInUse, "the noise driver's non-linear terms are left out")
        #expect(c == p - basisCount && ridge.beta[c...].allSatisfy { $0 == 0 })
        let heat = try ModelTests().history(days: 120) { t in
            // Phased so that the 14 days held out before the origin reach above the hinge.
            let temp = 15 + 15 * sin(Double(t) / 240 + 3.8) + 5 * sin(Double(t % 24) / 24 * 2 * .pi)
            return (y: 50 + 4 * max(0, temp - 24) + Double.random(in: -0.5..<0.5, using: &rng), x: temp)
        }
        let heldOut = (96 * 24)..<(110 * 24)
        #expect(heldOut.contains { (heat.drivers["x"]?[$0] ?? 0) ?? 0 > 28 }, "the held-out days cross the hinge")
        var hinge = RidgeForecaster(drivers: ["x"])
        hinge.fit(heat, origin: 110 * 24)
        #expect(hinge.columnsInUse == nil, "a hinge response keeps the driver's non-linear terms")
    }
}
