import LinearProgramming
import TestSupport
import Testing

/// Hand-computed LPs: objective, primal and dual values known exactly.
@Suite("Small LPs with known answers")
struct SmallLPTests {
    /// min x + 2y  s.t.  x + y ≥ 2,  x ≤ 1.5,  x, y ≥ 0   →  x = 1.5, y = 0.5, obj = 2.5;
    /// the demand row's dual is 2 (one more unit of demand costs 2).
    @Test func twoVariableDemand() throws {
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, upper: 1.5, cost: 1, name: "x")
        let y = b.addVariable(lower: 0, cost: 2, name: "y")
        b.addConstraint([(x, 1), (y, 1)], lower: 2, upper: .infinity, name: "demand")
        let r = try LPSolver.solve(b.build())
        #expect(r.status == .optimal)
        #expect(abs(r.objective - 2.5) < 1e-7)
        #expect(abs(r.x[0] - 1.5) < 1e-6 && abs(r.x[1] - 0.5) < 1e-6)
        #expect(abs(r.rowDuals[0] - 2) < 1e-6)
        #expect(abs(r.reducedCosts[0] - (-1)) < 1e-6)  // x at its upper bound: c − aᵀy = 1 − 2
    }

    /// The iteration log shows the objective of the model as given: in its sense, with its
    /// constant and the cost of the column presolve fixes.
    @Test(arguments: [ObjectiveSense.maximize, .minimize])
    func iterationLogShowsTheModelsObjective(sense: ObjectiveSense) throws {
        let sign = sense == .maximize ? 1.0 : -1.0
        var b = ModelBuilder(sense: sense)
        b.objectiveOffset = 100
        let x = b.addVariable(lower: 0, upper: 3, cost: sign * 3e4)
        let y = b.addVariable(lower: 0, cost: sign * 2e4)
        let f = b.addVariable(lower: 4, upper: 4, cost: 5e4)
        b.addConstraint([(x, 1), (y, 1), (f, 1)], lower: -.infinity, upper: 8)
        b.addConstraint([(x, 1), (y, 3)], lower: -.infinity, upper: 7)
        var last: IterationRecord?
        var settings = SolverSettings()
        settings.presolve = true
        let r = try LPSolver.solve(b.build(), settings: settings, progress: { last = $0 })
        // x + y ≤ 4 once f = 4 is fixed: (3, 1), sign·(9e4 + 2e4) + 2e5 + 100.
        let expected = sign * 11e4 + 2e5 + 100
        #expect(r.status == .optimal)
        #expect(abs(r.objective - expected) < 1e-6 * abs(expected))
        let record = try #require(last)
        #expect(abs(record.primalObjective - r.objective) < 1e-6 * abs(expected), "log \(record.primalObjective), result \(r.objective)")
        #expect(abs(record.dualObjective - r.objective) < 1e-6 * abs(expected), "log \(record.dualObjective), result \(r.objective)")
    }

    /// max 3x + 2y  s.t.  x + y ≤ 4,  x + 3y ≤ 7,  x ≤ 3  →  (3, 1), obj 11; only the
    /// first row and x's bound bind: row dual 2, reduced cost of x 3 − 2 = 1.
    @Test func maximisation() throws {
        var b = ModelBuilder(sense: .maximize)
        let x = b.addVariable(lower: 0, upper: 3, cost: 3)
        let y = b.addVariable(lower: 0, cost: 2)
        b.addConstraint([(x, 1), (y, 1)], lower: -.infinity, upper: 4)
        b.addConstraint([(x, 1), (y, 3)], lower: -.infinity, upper: 7)
        let r = try LPSolver.solve(b.build())
        #expect(r.status == .optimal)
        #expect(abs(r.objective - 11) < 1e-7)
        #expect(abs(r.x[0] - 3) < 1e-6 && abs(r.x[1] - 1) < 1e-6)
        #expect(abs(r.rowDuals[0] - 2) < 1e-6)  // maximisation: d obj / d rhs = 2
        #expect(abs(r.rowDuals[1]) < 1e-6)
        #expect(abs(r.reducedCosts[0] - 1) < 1e-6)
    }

    /// Free variable, equality and range row, fixed variable and an objective constant:
    /// min 10 + x − z  s.t.  x − z = 1 (x free),  1 ≤ z + w ≤ 3,  w = 0.5,  z ≥ 0.
    /// x = 1 + z so the objective is 11 for any z: then the range row must be feasible.
    @Test func freeFixedRangeAndConstant() throws {
        var b = ModelBuilder()
        b.objectiveOffset = 10
        let x = b.addVariable(lower: -.infinity, upper: .infinity, cost: 1)
        let z = b.addVariable(lower: 0, cost: -1)
        let w = b.addVariable(lower: 0.5, upper: 0.5, cost: 2)
        b.addConstraint([(x, 1), (z, -1)], lower: 1, upper: 1)
        b.addConstraint([(z, 1), (w, 1)], lower: 1, upper: 3)
        let r = try LPSolver.solve(b.build())
        #expect(r.status == .optimal)
        #expect(abs(r.objective - 12) < 1e-7)
        #expect(abs(r.x[0] - r.x[1] - 1) < 1e-7)
        #expect(r.x[1] >= 0.5 - 1e-7 && r.x[1] <= 2.5 + 1e-7)
        #expect(abs(r.x[2] - 0.5) < 1e-12)
    }

    @Test(arguments: [true, false])
    func infeasibleIsReported(presolve: Bool) throws {
        // x + y ≥ 3 with x, y ≤ 1.
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, upper: 1, cost: 1)
        let y = b.addVariable(lower: 0, upper: 1, cost: 1)
        b.addConstraint([(x, 1), (y, 1)], lower: 3, upper: .infinity)
        b.addConstraint([(x, 1), (y, -1)], lower: -1, upper: 1)
        var s = SolverSettings()
        s.presolve = presolve
        #expect(try LPSolver.solve(b.build(), settings: s).status == .infeasible)
    }

    @Test(arguments: [true, false])
    func unboundedIsReported(presolve: Bool) throws {
        // min −x − y  s.t.  x − y ≤ 1,  x, y ≥ 0: the ray (1, 1) is feasible forever.
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, cost: -1)
        let y = b.addVariable(lower: 0, cost: -1)
        b.addConstraint([(x, 1), (y, -1)], lower: -.infinity, upper: 1)
        b.addConstraint([(x, 2), (y, 1)], lower: 0, upper: .infinity)
        var s = SolverSettings()
        s.presolve = presolve
        #expect(try LPSolver.solve(b.build(), settings: s).status == .unbounded)
    }

    /// Both primal and dual infeasible: must be reported infeasible, not unbounded.
    @Test func primalAndDualInfeasibleIsInfeasible() throws {
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, cost: -1)
        let y = b.addVariable(lower: 0, cost: 0)
        b.addConstraint([(y, 1)], lower: 2, upper: 2)
        b.addConstraint([(y, 1)], lower: -.infinity, upper: 1)
        _ = x
        #expect(try LPSolver.solve(b.build()).status == .infeasible)
    }

    @Test func presolveRemovesEverything() throws {
        // Singleton rows and fixed columns only: presolve solves it alone.
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, upper: 10, cost: 2)
        let y = b.addVariable(lower: 1, upper: 1, cost: 5)
        b.addConstraint([(x, 2)], lower: 4, upper: 8)
        b.addConstraint([(y, 1)], lower: 0, upper: 3)
        let r = try LPSolver.solve(b.build())
        #expect(r.status == .optimal)
        #expect(abs(r.objective - 9) < 1e-9)
        #expect(abs(r.x[0] - 2) < 1e-9)
        #expect(abs(r.rowDuals[0] - 1) < 1e-9)  // the singleton row carries x's bound dual
    }

    @Test func builderRejectsDuplicateCoefficients() throws {
        var b = ModelBuilder()
        let x = b.addVariable()
        b.addConstraint([(x, 1), (x, 2)], lower: 0, upper: 1)
        #expect(throws: LPModelError.duplicateEntry(row: 0, column: 0)) { try b.build() }
    }

    @Test func invalidSettingsAreRejected() throws {
        var s = SolverSettings()
        s.primalTolerance = 0
        var b = ModelBuilder()
        b.addVariable(cost: 1)
        #expect(throws: SolverSettingsError.self) { try LPSolver.solve(b.build(), settings: s) }
    }

    /// A transportation problem (2 plants, 3 markets), optimum computed by hand: 1850.
    @Test func transportation() throws {
        let supply = [350.0, 600], demand = [325.0, 300, 275]
        let cost = [[2.5, 1.7, 1.8], [2.5, 1.8, 1.4]]
        var b = ModelBuilder()
        var v = [[Int]](repeating: [], count: 2)
        for i in 0..<2 { for j in 0..<3 { v[i].append(b.addVariable(lower: 0, cost: cost[i][j])) } }
        for i in 0..<2 { b.addConstraint((0..<3).map { (v[i][$0], 1.0) }, lower: -.infinity, upper: supply[i]) }
        for j in 0..<3 { b.addConstraint((0..<2).map { (v[$0][j], 1.0) }, lower: demand[j], upper: .infinity) }
        let r = try LPSolver.solve(b.build())
        #expect(r.status == .optimal)
        // Cheapest: market 1 at 2.5 either way (325), market 2 from plant 1 (300 at 1.7),
        // market 3 from plant 2 (275 at 1.4): 812.5 + 510 + 385 = 1707.5.
        #expect(relativeError(r.objective, 1707.5) < 1e-8)
        #expect(r.primalInfeasibility < 1e-8 && r.relativeGap < 1e-8)
    }
}
