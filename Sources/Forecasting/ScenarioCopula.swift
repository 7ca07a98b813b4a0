import Foundation
import LinearAlgebra

/// A forecast step's marginal distribution from its P10, P50 and P90: a two-piece normal
/// centred on the P50, with the left half's spread set by P10 and the right half's by P90
/// (σ = (P50 − P10) / z₀.₉ and (P90 − P50) / z₀.₉, z₀.₉ = 1.2816), so that its 10 %, 50 % and
/// 90 % quantiles are the forecast's own. A degenerate side (P10 = P50, e.g. PV at night)
/// has no spread: every draw on that side is the P50.
public struct QuantileMarginal: Sendable, Equatable {
    /// The standard normal's 90 % quantile.
    public static let z90 = 1.2815515655446004
    public var p10: Double, p50: Double, p90: Double

    public init(p10: Double, p50: Double, p90: Double) {
        self.p10 = min(p10, p50)
        self.p50 = p50
        self.p90 = max(p90, p50)
    }

    var lowerSpread: Double { (p50 - p10) / Self.z90 }
    var upperSpread: Double { (p90 - p50) / Self.z90 }

    /// The value at standard normal score `z` (its quantile at Φ(z)).
    public func value(atScore z: Double) -> Double { p50 + z * (z < 0 ? lowerSpread : upperSpread) }

    /// Φ⁻¹(F(y)), the normal score of an observation under this marginal; nil when the side
    /// `y` falls on has no spread or `y` is not finite (the copula cannot learn from it).
    public func score(of y: Double) -> Double? {
        guard y.isFinite else { return nil }
        let s = y < p50 ? lowerSpread : upperSpread
        guard s > 0 else { return nil }
        return (y - p50) / s
    }
}

/// A Gaussian copula over the steps of a forecast (and over several series stacked one
/// after another): the dependence of the forecast errors, learned from past days' normal
/// scores, so that scenarios drawn from it keep an error's persistence (a cloudy morning
/// stays cloudy) and the co-movement of series, while each step keeps its own marginal.
///
/// The correlation is the pairwise Pearson correlation of the normal scores over the past
/// days where both steps have one, shrunk towards the identity with the intensity of
/// Schäfer and Strimmer (2005, target "D"): λ = Σᵢ≠ⱼ Var(rᵢⱼ) / Σᵢ≠ⱼ rᵢⱼ², with
/// Var(rᵢⱼ) ≈ (1 − rᵢⱼ²)² / nᵢⱼ. A step with fewer than `minimumPairs` scores (a PV night
/// hour) is independent of the others. If the shrunk matrix is not positive definite (steps
/// that move exactly together) the shrinkage is raised, from 10⁻⁶ and doubling, until it is.
///
/// ```swift
/// let copula = GaussianCopula.fit(pastScores, dimension: 24)       // pastScores: [[Double]], NaN = none
/// var rng = SplitMix64(seed: 7)
/// let draws = copula.sample(count: 100, using: &rng)                 // normal scores
/// let scenario = zip(draws[0], marginals).map { $1.value(atScore: $0) }
/// ```
public struct GaussianCopula: Sendable {
    public let dimension: Int
    /// The shrunk correlation matrix.
    public let correlation: DenseMatrix
    /// The shrinkage intensity used (0: the sample correlation, 1: independence).
    public let shrinkage: Double
    /// Lower Cholesky factor of `correlation`.
    let factor: DenseMatrix

    /// Independent steps: the baseline a copula is compared with.
    public static func independent(dimension: Int) -> GaussianCopula {
        GaussianCopula(dimension: dimension, correlation: .identity(dimension), shrinkage: 1, factor: .identity(dimension))
    }

    /// Fits the copula on past normal scores: one vector of `dimension` per past day, NaN
    /// where a step had none.
    public static func fit(_ scores: [[Double]], dimension d: Int, minimumPairs: Int = 10) -> GaussianCopula {
        let rows = scores.filter { $0.count == d }
        var r = DenseMatrix.identity(d)
        var varSum = 0.0, sqSum = 0.0
        var active = [Bool](repeating: false, count: d)
        for i in 0..<d { active[i] = rows.reduce(0) { $0 + ($1[i].isFinite ? 1 : 0) } >= minimumPairs }
        for i in 0..<d where active[i] {
            for j in 0..<i where active[j] {
                var n = 0.0, si = 0.0, sj = 0.0
                for v in rows where v[i].isFinite && v[j].isFinite { n += 1; si += v[i]; sj += v[j] }
                guard n >= Double(minimumPairs) else { continue }
                let mi = si / n, mj = sj / n
                var cij = 0.0, cii = 0.0, cjj = 0.0
                for v in rows where v[i].isFinite && v[j].isFinite {
                    let a = v[i] - mi, b = v[j] - mj
                    cij += a * b; cii += a * a; cjj += b * b
                }
                guard cii > 0, cjj > 0 else { continue }
                let rij = max(-1, min(1, cij / (cii * cjj).squareRoot()))
                r[i, j] = rij; r[j, i] = rij
                varSum += (1 - rij * rij) * (1 - rij * rij) / n
                sqSum += rij * rij
            }
        }
        var lambda = sqSum > 0 ? min(1, max(0, varSum / sqSum)) : 1
        while true {
            var shrunk = r
            for i in 0..<d { for j in 0..<d where i != j { shrunk[i, j] = (1 - lambda) * r[i, j] } }
            if let l = try? DenseCholesky(shrunk).factor {
                var lower = l
                for j in 0..<d { for i in 0..<j { lower[i, j] = 0 } }
                return GaussianCopula(dimension: d, correlation: shrunk, shrinkage: lambda, factor: lower)
            }
            guard lambda < 1 else { return independent(dimension: d) }
            lambda = min(1, max(2 * lambda, 1e-6))
        }
    }

    /// `count` vectors of correlated standard normal scores.
    public func sample(count: Int, using rng: inout SplitMix64) -> [[Double]] {
        (0..<max(0, count)).map { _ in correlate(Self.standardNormals(dimension, using: &rng)) }
    }

    /// L ε: independent standard normals `e` made correlated.
    public func correlate(_ e: [Double]) -> [Double] {
        precondition(e.count == dimension)
        var z = [Double](repeating: 0, count: dimension)
        for i in 0..<dimension {
            var s = 0.0
            for j in 0...i { s += factor[i, j] * e[j] }
            z[i] = s
        }
        return z
    }

    /// Independent standard normals (Box–Muller on the generator's uniforms).
    public static func standardNormals(_ n: Int, using rng: inout SplitMix64) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(n + 1)
        while out.count < n {
            let u1 = max(rng.unit(), .leastNonzeroMagnitude), u2 = rng.unit()
            let radius = (-2 * log(u1)).squareRoot()
            out.append(radius * cos(2 * .pi * u2))
            out.append(radius * sin(2 * .pi * u2))
        }
        return Array(out.prefix(n))
    }
}

/// The energy score of an ensemble of scenarios against what happened (Gneiting and Raftery
/// 2007): ES = (1/M) Σₘ ‖xₘ − y‖ − 1/(2M²) Σₘ Σₘ′ ‖xₘ − xₘ′‖, in the series' unit; lower is
/// better, and it rewards scenarios whose steps move together the way the truth does. Steps
/// where the observation is missing (NaN) are left out of every distance.
public enum EnergyScore {
    public static func score(_ scenarios: [[Double]], observed y: [Double]) -> Double {
        let m = scenarios.count
        guard m > 0 else { return .nan }
        precondition(scenarios.allSatisfy { $0.count == y.count }, "every scenario has the observation's length")
        let steps = y.indices.filter { y[$0].isFinite }
        func distance(_ a: [Double], _ b: [Double]) -> Double {
            var s = 0.0
            for t in steps { let d = a[t] - b[t]; s += d * d }
            return s.squareRoot()
        }
        var toTruth = 0.0
        for x in scenarios { toTruth += distance(x, y) }
        var spread = 0.0
        for a in 0..<m { for b in 0..<a { spread += distance(scenarios[a], scenarios[b]) } }
        return toTruth / Double(m) - spread / Double(m * m)  // the pairs a > b counted once: 2/(2M²)
    }
}
