import LinearProgramming
import TestSupport
import Testing

/// A representative subset of Netlib, read in place from ../shared/lp. The whole sets
/// run with `flexdispatch lp check` (see docs/solver.md).
@Suite("Netlib subset", .requires("NetlibTests", .shared("Netlib LP sets")))
struct NetlibTests {
    static let feasible = [
        "afiro", "adlittle", "blend", "sc50a", "sc105", "share2b", "kb2", "stocfor1", "scagr7", "israel",
        "e226",     // objective constant
        "boeing1",  // RANGES
        "forplan",  // names with blanks, RANGES
        "pilot4",   // PL bounds
        "grow7", "agg", "bandm", "degen2", "25fv47",
        "seba",     // dense columns kept out of the factor
        "fit1p",    // dense columns kept out of the factor
    ]

    @Test(arguments: feasible)
    func optimalObjectiveMatchesReference(name: String) throws {
        let optima = SharedData.netlibOptima()
        let reference = try #require(optima[name])
        let lp = try MPSReader.read(path: SharedData.netlib(name))
        let r = try LPSolver.solve(lp)
        #expect(r.status == .optimal)
        let objective = reference.excludesConstant ? r.objective - lp.objectiveOffset : r.objective
        #expect(relativeError(objective, reference.value) <= 1e-6, "\(name): \(objective) vs \(reference.value)")
        #expect(r.primalInfeasibility < 1e-6)
        #expect(r.relativeGap < 1e-6)
        #expect(r.x.count == lp.columnCount && r.rowDuals.count == lp.rowCount)
    }

    static let infeasible = ["bgdbg1", "box1", "ex72a", "itest6", "galenet", "cplex1", "cplex2", "klein1", "woodinfe", "forest6", "gran"]

    @Test(arguments: infeasible)
    func infeasibleIsDetected(name: String) throws {
        let lp = try MPSReader.read(path: SharedData.infeasible(name))
        #expect(try LPSolver.solve(lp).status == .infeasible)
    }

    /// seba's and fit1p's dense columns are kept out of the factor, and the kept-out path
    /// reaches the optimum without falling back to the full factor.
    @Test(arguments: ["seba", "fit1p"])
    func denseColumnsAreKeptOut(name: String) throws {
        let r = try LPSolver.solve(MPSReader.read(path: SharedData.netlib(name)))
        #expect(r.status == .optimal)
        #expect((r.linkingColumns?.keptOut ?? 0) > 0, "\(String(describing: r.linkingColumns))")
        #expect(!r.linkingColumnsAbandoned)
    }

    /// The second look is reported: sctap3 ends well inside the tolerance once its point is
    /// on its bounds and gets none; cplex2, infeasible at the 1e-9 level, ends "optimal"
    /// within the tolerance and gets the second look that proves it infeasible.
    @Test func aFeasibleModelNeedsNoSecondLook() throws {
        let feasible = try LPSolver.solve(MPSReader.read(path: SharedData.netlib("sctap3")))
        #expect(feasible.status == .optimal)
        #expect(!feasible.secondLook)
        #expect(feasible.primalInfeasibility <= 0.1 * SolverSettings().primalTolerance)
        let reference = try #require(SharedData.netlibOptima()["sctap3"])
        #expect(relativeError(feasible.objective, reference.value) <= 1e-8)
        let edge = try LPSolver.solve(MPSReader.read(path: SharedData.infeasible("cplex2")))
        #expect(edge.status == .infeasible)
        #expect(edge.secondLook)
    }

    @Test(arguments: ["afiro", "klein1"])
    func infeasibilityAndOptimalityWithoutPresolve(name: String) throws {
        var s = SolverSettings()
        s.presolve = false
        let path = name == "klein1" ? SharedData.infeasible(name) : SharedData.netlib(name)
        let r = try LPSolver.solve(MPSReader.read(path: path), settings: s)
        #expect(r.status == (name == "klein1" ? .infeasible : .optimal))
    }

    /// A maximisation is the negated minimisation.
    @Test func maximiseNegatedProblem() throws {
        var lp = try MPSReader.read(path: SharedData.netlib("afiro"))
        let min = try LPSolver.solve(lp)
        lp.sense = .maximize
        lp.objective = lp.objective.map { -$0 }
        let max = try LPSolver.solve(lp)
        #expect(max.status == .optimal)
        #expect(relativeError(max.objective, -min.objective) < 1e-8)
    }
}
