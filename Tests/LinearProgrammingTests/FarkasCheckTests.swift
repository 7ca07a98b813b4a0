@testable import LinearProgramming
import Testing

/// The second look at points feasible only within the last decade of the tolerance.
@Suite("Farkas certificates for nearly feasible models")
struct FarkasCheckTests {
    /// x, y ∈ [0, 1] and the rows x + y = 1, x − y = 1 + δ: the only candidate is
    /// x = 1 + δ/2, y = −δ/2, outside the bounds by δ/2. With presolve off (it would
    /// see each row alone) the interior point sees a point within its tolerance.
    static func model(delta: Double) throws -> LinearProgram {
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, upper: 1, cost: 1, name: "x")
        let y = b.addVariable(lower: 0, upper: 1, cost: 1, name: "y")
        b.addConstraint([(x, 1), (y, 1)], lower: 1, upper: 1, name: "sum")
        b.addConstraint([(x, 1), (y, -1)], lower: 1 + delta, upper: 1 + delta, name: "difference")
        return try b.build()
    }

    /// Multipliers (1, 1) on the rows: yᵀr = 2 + δ on the row side, and Aᵀy = (2, 0)
    /// reaches at most 2 on the box, so the margin is δ exactly (up to rounding).
    @Test func marginOfAHandCertificate() throws {
        let lp = try Self.model(delta: 1e-3)
        let (margin, bound) = try #require(FarkasCheck.margin(lp, y: [1, 1]))
        #expect(abs(margin - 1e-3) < 1e-15)
        #expect(bound > 0 && bound < 1e-13)
        // The opposite multipliers prove nothing.
        let (wrong, _) = try #require(FarkasCheck.margin(lp, y: [-1, -1]))
        #expect(wrong < 0)
    }

    /// A multiplier pushing against an infinite bound proves nothing, however small.
    @Test func infiniteBoundBreaksTheProof() throws {
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, cost: 0)
        b.addConstraint([(x, 1)], lower: 1, upper: .infinity)
        #expect(FarkasCheck.margin(try b.build(), y: [1e-30]) == nil)
    }

    /// δ = 4e-8: relative violation 2e-8 / (1 + 1) = 1e-8 sits at the tolerance. The bare
    /// interior point calls it optimal; the check proves it infeasible, and the same
    /// model with δ = 0 stays optimal with its exact answer (x = 1, y = 0, cost 1).
    @Test func nearlyFeasibleModelIsProvenInfeasible() throws {
        var settings = SolverSettings()
        settings.presolve = false
        let infeasible = try Self.model(delta: 4e-8)
        let checked = try LPSolver.solve(infeasible, settings: settings)
        #expect(checked.status == .infeasible)
        #expect(checked.message.contains("Farkas certificate"))
        let feasible = try LPSolver.solve(try Self.model(delta: 0), settings: settings)
        #expect(feasible.status == .optimal)
        #expect(abs(feasible.objective - 1) < 1e-7)
    }

    /// On the feasible model (δ = 0) the search finds no proof: the best multipliers reach
    /// a margin of 0 at most, never above their rounding bound.
    @Test func feasibleModelHasNoCertificate() throws {
        let lp = try Self.model(delta: 0)
        #expect(try FarkasCheck.search(lp, settings: SolverSettings()) == nil)
        let (margin, bound) = try #require(FarkasCheck.margin(lp, y: [1, 1]))
        #expect(!(margin > bound))
    }

    /// Maximising instead: the verdict and the certificate do not depend on the sense, and
    /// the multipliers returned keep the certificate's sign.
    @Test func maximisationKeepsTheCertificate() throws {
        var lp = try Self.model(delta: 4e-8)
        lp.sense = .maximize
        var settings = SolverSettings()
        settings.presolve = false
        let r = try LPSolver.solve(lp, settings: settings)
        #expect(r.status == .infeasible)
        let (margin, bound) = try #require(FarkasCheck.margin(lp, y: r.rowDuals))
        #expect(margin > bound && margin > 0)
    }

    /// The elastic problem: original columns cost nothing, two unit-cost columns per row.
    @Test func elasticProblemShape() throws {
        let lp = try Self.model(delta: 1)
        let e = try FarkasCheck.elastic(lp)
        #expect(e.columnCount == 2 + 4 && e.rowCount == 2)
        #expect(e.objective == [0, 0, 1, 1, 1, 1])
        #expect(e.matrix.nonzeros == lp.matrix.nonzeros + 4)
        let r = try LPSolver.solve(e)
        #expect(r.status == .optimal)
        #expect(abs(r.objective - 1) < 1e-7)  // x = 1, y = 0 misses "difference" by δ = 1
    }
}
