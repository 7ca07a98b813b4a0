import Foundation
import LinearAlgebra
@testable import LinearProgramming
import TestSupport
import Testing

/// What every KKT backend must do, run for each case of `KKTBackend`: solve the augmented
/// system of an iteration to the unregularised residual, and through the whole solver give
/// the same statuses and objectives (to 1e-8) on LPs whose answers are known — random
/// block-angular LPs built around a chosen optimum, LPs with free, fixed and dense columns,
/// a Netlib subset, and infeasible and unbounded LPs.
@Suite("KKT backend conformance")
struct KKTConformanceTests {
    /// A block-angular LP with a known optimum: `blocks` blocks of `rows` × `columns` (each
    /// row of a block touches a few of its columns), `linkingRows` rows over every block and
    /// `linkingColumns` columns in every row. x*, y* and the reduced costs z* are chosen to be
    /// complementary — columns at a bound carry z of the right sign, the others z = 0, among
    /// them free columns; rows at a side carry y of the right sign, slack rows y = 0 — and c,
    /// the row bounds and the column bounds are built from them, so c·x* is the optimum.
    static func blockLP(seed: UInt64, blocks: Int, rows: Int, columns: Int, linkingRows: Int, linkingColumns: Int,
                        freeLinking: Bool = false) throws -> (lp: LinearProgram, optimum: Double) {
        var r = SplitMix64(seed: seed)
        let n = blocks * columns + linkingColumns, m = blocks * rows + linkingRows
        var entries: [[(Int, Double)]] = Array(repeating: [], count: m)   // per row
        for k in 0..<blocks {
            for i in 0..<rows {
                let row = k * rows + i
                // A diagonal entry keeps each block's rows independent; a few more couple them.
                entries[row].append((k * columns + i % columns, r.uniform(1, 2)))
                for _ in 0..<3 { entries[row].append((k * columns + r.below(columns), r.uniform(-1, 1))) }
            }
        }
        for i in 0..<linkingRows {
            for j in 0..<(blocks * columns) where r.unit() < 0.2 { entries[blocks * rows + i].append((j, r.uniform(0.1, 1))) }
        }
        for j in 0..<linkingColumns {
            for i in 0..<m { entries[i].append((blocks * columns + j, r.uniform(0.5, 1.5))) }
        }
        // One coefficient per (row, column): repeated picks are summed.
        entries = entries.map { row in
            var merged: [Int: Double] = [:]
            for (j, v) in row { merged[j, default: 0] += v }
            return merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        // Column kinds: 0 basic in (0, 10), 1 at lower 0, 2 at upper 10, 3 free, 4 fixed.
        var x = [Double](repeating: 0, count: n), z = [Double](repeating: 0, count: n)
        var lower = [Double](repeating: 0, count: n), upper = [Double](repeating: 10, count: n)
        for j in 0..<n {
            switch j < blocks * columns ? r.below(5) : (freeLinking ? 3 : 0) {
            case 0: x[j] = r.uniform(1, 9)
            case 1: x[j] = 0; z[j] = r.uniform(0.5, 2)
            case 2: x[j] = 10; z[j] = -r.uniform(0.5, 2)
            case 3: lower[j] = -.infinity; upper[j] = .infinity; x[j] = r.uniform(-5, 5)
            default: x[j] = r.uniform(1, 9); lower[j] = x[j]; upper[j] = x[j]; z[j] = r.uniform(-2, 2)
            }
        }
        var y = [Double](repeating: 0, count: m)
        var b = ModelBuilder()
        for j in 0..<n { _ = b.addVariable(lower: lower[j], upper: upper[j]) }
        for i in 0..<m {
            let activity = entries[i].reduce(0) { $0 + $1.1 * x[$1.0] }
            // Row kinds: equality (y free), active lower side (y > 0), slack (y = 0).
            switch r.below(3) {
            case 0: y[i] = r.uniform(-1, 1); b.addConstraint(entries[i], lower: activity, upper: activity)
            case 1: y[i] = r.uniform(0.2, 1); b.addConstraint(entries[i], lower: activity, upper: activity + r.uniform(1, 5))
            default: b.addConstraint(entries[i], lower: activity - r.uniform(1, 5), upper: .infinity)
            }
        }
        var c = z
        for i in 0..<m { for (j, v) in entries[i] { c[j] += v * y[i] } }
        for j in 0..<n { b.setCost(j, c[j]) }
        return (try b.build(), zip(c, x).reduce(0) { $0 + $1.0 * $1.1 })
    }

    /// The solver's settings for `backend`, with tolerances of 1e-10 so that objectives can
    /// be compared to 1e-8 (at the default 1e-8 the stopping rule alone allows that much).
    static func settings(_ backend: KKTBackend, presolve: Bool = true) -> SolverSettings {
        var s = SolverSettings()
        s.primalTolerance = 1e-10
        s.dualTolerance = 1e-10
        s.gapTolerance = 1e-10
        s.kktBackend = backend
        s.presolve = presolve
        return s
    }

    /// The augmented system of one iteration, with free columns (Θ⁻¹ = 0) and a wide spread
    /// of Θ⁻¹, is solved to a relative residual of 1e-9 of the unregularised system — with
    /// every column in the factor, and with the two linking columns kept out of it.
    @Test(arguments: KKTBackend.allCases, [false, true])
    func theAugmentedSystemIsSolved(backend: KKTBackend, keepLinkingOut: Bool) throws {
        let (lp, _) = try Self.blockLP(seed: 11, blocks: 4, rows: 12, columns: 20, linkingRows: 3, linkingColumns: 2)
        let a = lp.matrix
        var r = SplitMix64(seed: 5)
        let kkt: KKTSolver = keepLinkingOut
            ? try NormalEquationsKKT(a, choice: LinkingColumnChoice.given([a.columns - 2, a.columns - 1], in: a))
            : try LPSolver.makeKKT(backend, a, settings: SolverSettings(), rule: .off)
        #expect(kkt.info.keptOutColumns == (keepLinkingOut ? 2 : 0))
        for round in 0..<3 {
            let thetaInverse = (0..<a.columns).map { j in j % 17 == 0 ? 0 : pow(10, r.uniform(-6, 6) * Double(round) / 2) }
            try kkt.update(thetaInverse: thetaInverse, primalRegularization: 1e-8, dualRegularization: 1e-8)
            let xi1 = (0..<a.columns).map { _ in r.uniform(-1, 1) }, xi2 = (0..<a.rows).map { _ in r.uniform(-1, 1) }
            let (dx, dy) = try kkt.solve(xi1, xi2)
            // −Θ⁻¹dx + Aᵀdy = ξ₁ and A dx = ξ₂.
            let aty = a.multiplyTransposed(dy), ax = a.multiply(dx)
            var residual = 0.0, size = 0.0
            for j in 0..<a.columns {
                let rj: Double = aty[j] - thetaInverse[j] * dx[j] - xi1[j]
                residual = max(residual, abs(rj))
                size = max(size, abs(dx[j]))
            }
            for i in 0..<a.rows {
                residual = max(residual, abs(ax[i] - xi2[i]))
                size = max(size, abs(dy[i]))
            }
            let scale = 1 + size
            #expect(residual <= 1e-9 * scale, "round \(round): residual \(residual), size \(size)")
        }
    }

    /// Random block-angular LPs built around a known optimum, with and without presolve.
    @Test(arguments: KKTBackend.allCases, [1, 2, 3, 4, 5] as [UInt64])
    func blockAngularLPsReachTheirKnownOptimum(backend: KKTBackend, seed: UInt64) throws {
        let (lp, optimum) = try Self.blockLP(seed: seed, blocks: 2 + Int(seed), rows: 15, columns: 25, linkingRows: 4, linkingColumns: Int(seed % 3))
        for presolve in [true, false] {
            let r = try LPSolver.solve(lp, settings: Self.settings(backend, presolve: presolve))
            #expect(r.status == .optimal, "seed \(seed), presolve \(presolve)")
            #expect(relativeError(r.objective, optimum) <= 1e-8, "seed \(seed), presolve \(presolve): \(r.objective) vs \(optimum)")
        }
    }

    /// Columns in every row: whichever rule decides how the backend treats them (apart
    /// from the sparse factor, or inside it when that is cheaper), the answer is the known
    /// optimum and no solve falls back to the full factor. At the default tolerances, so to
    /// 1e-7: with these columns inside the factor, the normal equations' rounding stops the
    /// iterates short of 1e-10 (the kept-out path below reaches it).
    @Test(arguments: KKTBackend.allCases, LinkingColumnRule.allCases)
    func linkingColumnsReachTheKnownOptimum(backend: KKTBackend, rule: LinkingColumnRule) throws {
        let (lp, optimum) = try Self.blockLP(seed: 42, blocks: 8, rows: 20, columns: 30, linkingRows: 2, linkingColumns: 6)
        var s = SolverSettings()
        s.kktBackend = backend
        s.linkingColumns = rule
        s.denseColumnMinimum = 10
        s.denseColumnFraction = 0.05
        let r = try LPSolver.solve(lp, settings: s)
        #expect(r.status == .optimal)
        #expect(!r.linkingColumnsAbandoned)
        #expect(relativeError(r.objective, optimum) <= 1e-7, "\(r.objective) vs \(optimum)")
    }

    /// The kept-out path through a whole solve, to 1e-8 at tolerances 1e-10, on block LPs
    /// whose linking columns are kept out of the factor — free linking columns (Θ⁻¹ = 0) for
    /// the odd seeds.
    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func keptOutLinkingColumnsReachTheKnownOptimum(seed: UInt64) throws {
        let linking = 2 + Int(seed % 5)
        let (lp, optimum) = try Self.blockLP(seed: seed, blocks: 8, rows: 20, columns: 30, linkingRows: 2, linkingColumns: linking,
                                             freeLinking: seed % 2 == 1)
        var s = Self.settings(.normalEquations, presolve: false)
        s.linkingColumns = .fill
        s.linkingColumnGain = 1
        s.linkingColumnMinimumEntries = 100
        let r = try LPSolver.solve(lp, settings: s)
        #expect(r.status == .optimal)
        #expect(r.linkingColumns?.keptOut == linking, "\(String(describing: r.linkingColumns))")
        #expect(!r.linkingColumnsAbandoned)
        #expect(relativeError(r.objective, optimum) <= 1e-8, "\(r.objective) vs \(optimum)")
    }

    /// An infeasible LP and an unbounded one, each with and without presolve.
    @Test(arguments: KKTBackend.allCases)
    func infeasibleAndUnboundedAreRecognised(backend: KKTBackend) throws {
        var infeasible = ModelBuilder()
        let p = infeasible.addVariable(), q = infeasible.addVariable(upper: 3), f = infeasible.addVariable(lower: -.infinity, upper: .infinity)
        infeasible.addConstraint([(p, 1), (q, 1), (f, 1)], lower: 4, upper: 4)
        infeasible.addConstraint([(f, 1)], lower: 1, upper: .infinity)
        infeasible.addConstraint([(p, 1), (q, 2), (f, 1)], lower: -.infinity, upper: 2)
        var unbounded = ModelBuilder()
        let u = unbounded.addVariable(cost: -1), v = unbounded.addVariable(), w = unbounded.addVariable(lower: -.infinity, upper: .infinity)
        unbounded.addConstraint([(u, 1), (v, -1), (w, 1)], lower: 0, upper: 0)
        unbounded.addConstraint([(w, 1)], lower: -1, upper: 1)
        for presolve in [true, false] {
            #expect(try LPSolver.solve(infeasible.build(), settings: Self.settings(backend, presolve: presolve)).status == .infeasible)
            #expect(try LPSolver.solve(unbounded.build(), settings: Self.settings(backend, presolve: presolve)).status == .unbounded)
        }
    }
}

/// The Netlib part of the conformance suite (read in place from ../shared/lp).
@Suite("KKT backend conformance: Netlib", .requires("KKTConformanceNetlibTests", .shared("Netlib LP sets")))
struct KKTConformanceNetlibTests {
    static let names = ["afiro", "adlittle", "sc50a", "blend", "share2b", "kb2"]

    @Test(arguments: KKTBackend.allCases, names)
    func netlibObjectivesMatch(backend: KKTBackend, name: String) throws {
        let reference = try #require(SharedData.netlibOptima()[name])
        let lp = try MPSReader.read(path: SharedData.netlib(name))
        let r = try LPSolver.solve(lp, settings: KKTConformanceTests.settings(backend))
        #expect(r.status == .optimal)
        let objective = reference.excludesConstant ? r.objective - lp.objectiveOffset : r.objective
        #expect(relativeError(objective, reference.value) <= 1e-8, "\(name): \(objective) vs \(reference.value)")
    }

    @Test(arguments: KKTBackend.allCases, ["klein1", "itest6"])
    func netlibInfeasibleIsDetected(backend: KKTBackend, name: String) throws {
        let r = try LPSolver.solve(MPSReader.read(path: SharedData.infeasible(name)), settings: KKTConformanceTests.settings(backend, presolve: false))
        #expect(r.status == .infeasible)
    }
}

/// Draws for the generated LPs, from the seeded generator (a failing case can be rerun).
extension SplitMix64 {
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
    mutating func below(_ n: Int) -> Int { min(n - 1, Int(unit() * Double(n))) }
}
