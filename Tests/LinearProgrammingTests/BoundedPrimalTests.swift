@testable import LinearProgramming
import Testing

/// The final point moved onto its bounds, and corrected when that leaves rows violated.
@Suite("Bounded primal point")
struct BoundedPrimalTests {
    /// min x₁ s.t. x₁ + x₂ + x₃ = 1, x ≥ 0, at an iterate with x₁ a little below its bound
    /// (−1e-7) and the row met exactly: moving x₁ onto 0 violates the row by 1e-7, the
    /// correction with Θ₁ small moves x₂ and x₃ instead and meets it again.
    @Test func aRowViolatedByTheBoundsIsCorrected() throws {
        var b = ModelBuilder()
        let x = (0..<3).map { b.addVariable(cost: $0 == 0 ? 1 : 0) }
        b.addConstraint(x.map { ($0, 1.0) }, lower: 1, upper: 1)
        let standard = try StandardForm(b.build())
        let settings = SolverSettings()
        let kkt = try LPSolver.makeKKT(.normalEquations, standard.a, settings: settings, rule: .off)
        try kkt.update(thetaInverse: [1e8, 1, 1], primalRegularization: 1e-8, dualRegularization: 1e-8)
        let ipm = HomogeneousIPM(standard, settings: settings, kkt: kkt)
        ipm.point = IPMPoint(x: [-1e-7, 0.5, 0.5 + 1e-7], xl: [1e-9, 0.5, 0.5], xu: [0, 0, 0], y: [0],
                             zl: [1, 1e-9, 1e-9], zu: [0, 0, 0], tau: 1, kappa: 1e-9)
        let point = try #require(ipm.boundedPrimal())
        #expect(point[0] == 0)
        #expect(point.allSatisfy { $0 >= 0 })
        #expect(abs(point.reduce(0, +) - 1) <= 1e-12, "\(point)")
    }

    /// A point inside its bounds that meets its rows needs no correction.
    @Test func aPointInsideItsBoundsIsKept() throws {
        var b = ModelBuilder()
        let x = (0..<2).map { _ in b.addVariable(upper: 4, cost: 1) }
        b.addConstraint(x.map { ($0, 1.0) }, lower: 3, upper: 3)
        let standard = try StandardForm(b.build())
        let kkt = try LPSolver.makeKKT(.normalEquations, standard.a, settings: SolverSettings(), rule: .off)
        try kkt.update(thetaInverse: [1, 1], primalRegularization: 1e-8, dualRegularization: 1e-8)
        let ipm = HomogeneousIPM(standard, settings: SolverSettings(), kkt: kkt)
        ipm.point = IPMPoint(x: [3, 3], xl: [3, 3], xu: [5, 5], y: [1], zl: [0, 0], zu: [0, 0], tau: 2, kappa: 0)
        #expect(ipm.boundedPrimal() == nil)
    }
}
