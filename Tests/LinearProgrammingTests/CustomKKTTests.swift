import LinearAlgebra
import LinearProgramming
import Testing

/// A KKT backend written against the public protocol only (this file does not import the
/// solver's internals): dense normal equations (A D Aᵀ + ρd I) dy = ξ₂ + A D ξ₁ by LAPACK,
/// refined three times against the unregularised system, ρd raised a hundredfold when a
/// pivot breaks down. Small LPs only (m × m dense).
final class DenseNormalEquationsKKT: KKTSolver {
    let a: SparseMatrix
    private var d: [Double] = []
    private var thetaInverse: [Double] = []
    private var factor: DenseCholesky?
    private(set) var factorizations = 0
    /// The accuracy hints received (`setAccuracy`); this backend refines three times anyway.
    private(set) var accuracies: [Double] = []

    init(_ a: SparseMatrix) { self.a = a }

    func setAccuracy(_ relative: Double) { accuracies.append(relative) }

    func update(thetaInverse: [Double], primalRegularization: Double, dualRegularization: Double) throws {
        self.thetaInverse = thetaInverse
        d = thetaInverse.map { $0 > 0 ? 1 / $0 : 1 / primalRegularization }
        var m = DenseMatrix(rows: a.rows, columns: a.rows)
        for j in 0..<a.columns {
            let range = a.columnStarts[j]..<a.columnStarts[j + 1]
            for p in range { for q in range { m[a.rowIndices[p], a.rowIndices[q]] += d[j] * a.values[p] * a.values[q] } }
        }
        var rho = dualRegularization
        for attempt in 0...8 {
            var regularized = m
            for i in 0..<a.rows { regularized[i, i] += rho }
            do {
                factor = try DenseCholesky(regularized)
                break
            } catch where attempt < 8 {
                rho = max(rho * 100, 1e-10)
            }
        }
        factorizations += 1
    }

    private func solveRegularized(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double]) {
        var rhs = xi2
        a.multiplyAdd((0..<a.columns).map { xi1[$0] * d[$0] }, into: &rhs)
        let dy = try factor!.solve(rhs)
        let aty = a.multiplyTransposed(dy)
        return ((0..<a.columns).map { d[$0] * (aty[$0] - xi1[$0]) }, dy)
    }

    func solve(_ xi1: [Double], _ xi2: [Double]) throws -> (dx: [Double], dy: [Double]) {
        var (dx, dy) = try solveRegularized(xi1, xi2)
        for _ in 0..<3 {
            let aty = a.multiplyTransposed(dy)
            let r1 = (0..<a.columns).map { xi1[$0] - (aty[$0] - thetaInverse[$0] * dx[$0]) }
            var r2 = xi2
            a.multiplyAdd(dx, scale: -1, into: &r2)
            let (cx, cy) = try solveRegularized(r1, r2)
            for j in 0..<dx.count { dx[j] += cx[j] }
            for i in 0..<dy.count { dy[i] += cy[i] }
        }
        return (dx, dy)
    }

    var info: KKTInfo { KKTInfo(backend: "dense-test", factorNonzeros: a.rows * (a.rows + 1) / 2, lastRefinementSteps: 3) }
}

/// The solver around a researcher's backend: the same known optima, the same verdicts, and
/// the result says which backend ran.
@Suite("KKT backend from outside the solver")
struct CustomKKTTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func aBackendFromOutsideReachesTheKnownOptimum(seed: UInt64) throws {
        let (lp, optimum) = try KKTConformanceTests.blockLP(seed: seed, blocks: 2 + Int(seed), rows: 10, columns: 16,
                                                           linkingRows: 3, linkingColumns: Int(seed % 3))
        var settings = SolverSettings()
        settings.primalTolerance = 1e-10
        settings.dualTolerance = 1e-10
        settings.gapTolerance = 1e-10
        var made: [DenseNormalEquationsKKT] = []
        let r = try LPSolver.solve(lp, settings: settings, kkt: { a, _ in
            let k = DenseNormalEquationsKKT(a)
            made.append(k)
            return k
        })
        #expect(r.status == .optimal && r.kktBackend == "dense-test", "\(r.status) \(r.message) \(r.iterations)")
        #expect(relativeError(r.objective, optimum) <= 1e-8, "seed \(seed): \(r.objective) vs \(optimum)")
        #expect(made.count == 1 && made[0].factorizations == r.iterations + 1, "one factorisation per iteration and the starting point's")
        // The hints: the tightest at the start, then one per iteration, 1e-2 × ν² of an
        // iterate converging to 1e-10, so the last iteration's is below the backend's 1e-13
        // floor; the tightest again if the final point gets its bounded-primal correction.
        let hints = made.first?.accuracies ?? []
        #expect((r.iterations + 1...r.iterations + 2).contains(hints.count) && hints.first == 0, "\(hints)")
        #expect(hints.allSatisfy { $0.isFinite && $0 >= 0 } && hints[1] > 1e-8, "\(hints)")
        #expect(hints.count > r.iterations && hints[r.iterations] <= 1e-13, "\(hints)")
        if hints.count == r.iterations + 2 { #expect(hints.last == 0) }
        let own = try LPSolver.solve(lp, settings: settings)
        #expect(own.kktBackend == KKTBackend.normalEquations.rawValue && relativeError(own.objective, r.objective) <= 1e-8)
    }

    @Test func infeasibleAndUnboundedThroughABackendFromOutside() throws {
        var infeasible = ModelBuilder()
        let p = infeasible.addVariable(), q = infeasible.addVariable(upper: 3)
        infeasible.addConstraint([(p, 1), (q, 1)], lower: 4, upper: 4)
        infeasible.addConstraint([(p, 1), (q, 2)], lower: -.infinity, upper: 2)
        var unbounded = ModelBuilder()
        let u = unbounded.addVariable(cost: -1), v = unbounded.addVariable()
        unbounded.addConstraint([(u, 1), (v, -1)], lower: 0, upper: 0)
        var settings = SolverSettings()
        settings.presolve = false
        let factory: LPSolver.KKTFactory = { a, _ in DenseNormalEquationsKKT(a) }
        #expect(try LPSolver.solve(infeasible.build(), settings: settings, kkt: factory).status == .infeasible)
        #expect(try LPSolver.solve(unbounded.build(), settings: settings, kkt: factory).status == .unbounded)
    }
}

private func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(1, abs(b)) }
