import LinearProgramming
import TestSupport
import Testing

/// Presolve reductions and postsolve, checked through the solver with presolve on and
/// off: same objective, and the postsolved duals satisfy the KKT conditions.
@Suite("Presolve and postsolve")
struct PresolveTests {
    func solveBoth(_ lp: LinearProgram) throws -> (on: SolveResult, off: SolveResult) {
        var off = SolverSettings()
        off.presolve = false
        return (try LPSolver.solve(lp), try LPSolver.solve(lp, settings: off))
    }

    /// A free column singleton (x appears in one equality row only) is eliminated with its
    /// row; postsolve recovers x from the row and the row's dual c_x / a.
    /// min 3x + y + 2z  s.t.  2x + y + z = 10 (x free),  y + z ≥ 2,  0 ≤ y, z ≤ 8.
    @Test func freeColumnSingletonMatchesNoPresolve() throws {
        var b = ModelBuilder()
        let x = b.addVariable(lower: -.infinity, upper: .infinity, cost: 3)
        let y = b.addVariable(lower: 0, upper: 8, cost: 1)
        let z = b.addVariable(lower: 0, upper: 8, cost: 2)
        b.addConstraint([(x, 2), (y, 1), (z, 1)], lower: 10, upper: 10)
        b.addConstraint([(y, 1), (z, 1)], lower: 2, upper: .infinity)
        let r = try solveBoth(b.build())
        // Effective costs after substituting x: y → 1 − 1.5 = −0.5, z → 2 − 1.5 = 0.5,
        // constant 15: y = 8, z = 0, x = 1: objective 3 + 8 = 11.
        #expect(r.on.status == .optimal && r.off.status == .optimal)
        #expect(abs(r.on.objective - 11) < 1e-7 && abs(r.off.objective - 11) < 1e-7)
        #expect(abs(r.on.x[0] - 1) < 1e-6 && abs(r.on.x[1] - 8) < 1e-6 && abs(r.on.x[2]) < 1e-6)
        #expect(abs(r.on.rowDuals[0] - 1.5) < 1e-6)
        #expect(r.on.dualInfeasibility < 1e-8 && r.on.relativeGap < 1e-8)
    }

    /// A row whose activity range from the bounds misses its bounds is proven infeasible
    /// by presolve alone (no iteration).
    @Test func activityConflictIsInfeasible() throws {
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, upper: 2, cost: 1)
        let y = b.addVariable(lower: 0, upper: 3, cost: 1)
        let z = b.addVariable(lower: 0, upper: 1, cost: 1)
        b.addConstraint([(x, 1), (y, 1), (z, -1)], lower: 6, upper: .infinity)
        b.addConstraint([(x, 1), (z, 1)], lower: 0, upper: 10)
        let r = try LPSolver.solve(b.build())
        #expect(r.status == .infeasible)
        #expect(r.iterations == 0)
        #expect(r.message.contains("R0"))
    }

    @Test func emptyRowOutsideItsBoundsIsInfeasible() throws {
        var b = ModelBuilder()
        b.addVariable(lower: 0, upper: 1, cost: 1)
        b.addRow(lower: 1, upper: 2)
        #expect(try LPSolver.solve(b.build()).status == .infeasible)
    }

    @Test(.requires("PresolveTests/netlibSameObjectiveWithAndWithoutPresolve", .shared("Netlib LP sets")),
          arguments: ["sc50b", "scagr7", "standmps", "ship04s"])
    func netlibSameObjectiveWithAndWithoutPresolve(name: String) throws {
        let r = try solveBoth(MPSReader.read(path: SharedData.netlib(name)))
        #expect(r.on.status == .optimal && r.off.status == .optimal)
        #expect(relativeError(r.on.objective, r.off.objective) < 1e-7)
        #expect(r.on.dualInfeasibility < 1e-6 && r.on.primalInfeasibility < 1e-6)
    }
}
