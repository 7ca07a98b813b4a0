import Foundation
@testable import Forecasting
import TestSupport
import Testing

/// The dense interior point for quantile regression against the general LP solver on the
/// same dual: the same optimal check loss, on terms of very different sizes, equal terms and
/// heavy-tailed errors.
@Suite("Quantile regression's interior point")
struct QuantileInteriorPointTests {
    /// Σ ρτ(yᵢ − xᵢβ), the loss both solvers minimise.
    func checkLoss(_ rows: [[Double]], _ y: [Double], _ beta: [Double], tau: Double) -> Double {
        zip(rows, y).reduce(0) { sum, pair in
            let r = pair.1 - zip(pair.0, beta).reduce(0) { $0 + $1.0 * $1.1 }
            return sum + (r >= 0 ? tau * r : (tau - 1) * r)
        }
    }

    /// Rows with an intercept, a term in the thousands, a 0/1 dummy, a term in thousandths
    /// and a copy of the second term; y linear in them with Cauchy-like errors.
    func problem(n: Int, seed: UInt64) -> (rows: [[Double]], y: [Double]) {
        var rng = SeededGenerator(seed: seed)
        var rows: [[Double]] = [], y: [Double] = []
        for _ in 0..<n {
            let big = Double.random(in: 0..<1000, using: &rng), dummy = Double.random(in: 0..<1, using: &rng) < 0.3 ? 1.0 : 0
            let small = Double.random(in: -1e-3..<1e-3, using: &rng)
            rows.append([1, big, dummy, small, big])
            let u = Double.random(in: 0.02..<0.98, using: &rng)
            y.append(5 + 0.8 * big - 40 * dummy + 3e4 * small + 20 * tan(.pi * (u - 0.5)))
        }
        return (rows, y)
    }

    @Test(arguments: [0.1, 0.5, 0.9])
    func sameLossAsTheLinearProgram(tau: Double) throws {
        for (n, seed) in [(400, UInt64(1)), (60, 2), (1500, 3)] {
            let (rows, y) = problem(n: n, seed: seed)
            let ours = try #require(QuantileInteriorPoint.solve(rows, y, tau: tau), "n \(n): no convergence")
            let lp = try #require(QuantileRegression.fitByLinearProgram(rows, y, tau: tau))
            let a = checkLoss(rows, y, ours, tau: tau), b = checkLoss(rows, y, lp, tau: tau)
            #expect(abs(a - b) <= 1e-7 * b, "n \(n), τ \(tau): interior point \(a), LP \(b)")
            // About τ·n points lie below the fitted quantile (at most p of them on it).
            let below = zip(rows, y).filter { $0.1 < zip($0.0, ours).reduce(0) { $0 + $1.0 * $1.1 } - 1e-7 }.count
            #expect(abs(Double(below) - tau * Double(n)) <= Double(rows[0].count) + 1, "n \(n), τ \(tau): \(below) below")
        }
    }

    /// An exact fit (every residual 0 at the optimum), a zero term, and a near-bound path:
    /// τ close to 0 and 1.
    @Test func degenerateProblems() throws {
        let rows = (0..<50).map { [1, Double($0), 0] }
        let exact = try #require(QuantileInteriorPoint.solve(rows, rows.map { 2 - 0.5 * $0[1] }, tau: 0.5))
        #expect(abs(exact[0] - 2) < 1e-6 && abs(exact[1] + 0.5) < 1e-8, "\(exact)")
        let (big, y) = problem(n: 300, seed: 9)
        for tau in [0.01, 0.99] {
            let ours = try #require(QuantileInteriorPoint.solve(big, y, tau: tau), "τ \(tau): no convergence")
            let lp = try #require(QuantileRegression.fitByLinearProgram(big, y, tau: tau))
            let a = checkLoss(big, y, ours, tau: tau), b = checkLoss(big, y, lp, tau: tau)
            #expect(abs(a - b) <= 1e-7 * b, "τ \(tau): interior point \(a), LP \(b)")
        }
        #expect(QuantileInteriorPoint.solve([], [], tau: 0.5) == nil)
        #expect(QuantileInteriorPoint.solve([[1, .nan]], [1], tau: 0.5) == nil)
        #expect(QuantileInteriorPoint.solve([[1], [1]], [1, .infinity], tau: 0.5) == nil)
        // Rows of different lengths: no fit, by either solver, and no trap.
        #expect(QuantileRegression.fit([[1, 2], [1]], [1, 2], tau: 0.5) == nil)
        // Fewer rows than terms: the fit passes through both points.
        let few = try #require(QuantileInteriorPoint.solve([[1, 0, 2], [1, 1, 0]], [1, 3], tau: 0.5))
        #expect(abs(few[0] + 2 * few[2] - 1) < 1e-6 && abs(few[0] + few[1] - 3) < 1e-6, "\(few)")
    }

    /// When the interior point stops short (here after one iteration) the fit comes from the
    /// general LP solver: the same optimal loss.
    @Test func fallsBackToTheLinearProgram() throws {
        let (rows, y) = problem(n: 200, seed: 4)
        #expect(QuantileInteriorPoint.solve(rows, y, tau: 0.3, maxIterations: 1) == nil)
        let fallback = try #require(QuantileRegression.fit(rows, y, tau: 0.3, interiorPointIterations: 1))
        let full = try #require(QuantileRegression.fit(rows, y, tau: 0.3))
        let a = checkLoss(rows, y, fallback, tau: 0.3), b = checkLoss(rows, y, full, tau: 0.3)
        #expect(abs(a - b) <= 1e-7 * b, "fallback \(a), interior point \(b)")
    }
}
