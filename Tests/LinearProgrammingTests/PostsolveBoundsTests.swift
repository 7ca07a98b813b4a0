import LinearProgramming
import Testing

/// The point a solve returns respects the column bounds exactly, and its objective is
/// accurate to the tolerance, not only its relative gap.
@Suite("Returned points respect their bounds")
struct PostsolveBoundsTests {
    /// min Σ (1 + i mod 7)·xᵢ  s.t.  Σ xᵢ ≥ 1, x ≥ 0, 5,000 columns: optimum 1 (every xᵢ
    /// with cost 1 shares the unit). Every xᵢ returned is ≥ 0 and the objective is within
    /// 1e-8 of 1, though thousands of xᵢ end near their bound.
    @Test(arguments: [true, false])
    func manyCheapColumns(presolve: Bool) throws {
        var b = ModelBuilder()
        let n = 5000
        let x = (0..<n).map { i in b.addVariable(lower: 0, cost: Double(1 + i % 7)) }
        b.addConstraint(x.map { ($0, 1.0) }, lower: 1, upper: .infinity)
        var settings = SolverSettings()
        settings.presolve = presolve
        let r = try LPSolver.solve(b.build(), settings: settings)
        #expect(r.status == .optimal)
        #expect(r.x.allSatisfy { $0 >= 0 }, "\(r.x.filter { $0 < 0 }.count) negative, least \(r.x.min() ?? 0)")
        #expect(abs(r.objective - 1) <= 1e-8, "objective \(r.objective)")
        let row = r.x.reduce(0, +)
        #expect(row >= 1 - 1e-8)
        // The objective is the returned point's own.
        let own = (0..<n).reduce(0.0) { $0 + Double(1 + $1 % 7) * r.x[$1] }
        #expect(abs(own - r.objective) <= 1e-12 * max(1, abs(own)))
    }
}
