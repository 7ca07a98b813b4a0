import LinearProgramming
import Testing

/// Overflow columns (`ModelBuilder.addOverflow`): a soft bound without a row.
@Suite("Model builder: overflow columns")
struct OverflowColumnTests {
    /// x ∈ [0, 10] at 1 per unit, demand ≥ 12 added after the overflow (e at 100 on top):
    /// x = 10, e = 2, cost 10 + 2 · 101 = 212; read through `folded`, x is 12.
    @Test func aDemandBeyondTheBoundIsMetByTheOverflow() throws {
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, upper: 10, cost: 1, name: "import")
        let e = b.addOverflow(of: x, side: .above, cost: 100, name: "import_breach")
        b.addConstraint([(x, 1)], lower: 12, upper: .infinity, name: "demand")
        let lp = try b.build()
        #expect(lp.objective == [1, 101])
        #expect(lp.matrix.nonzeros == 2)
        let r = try LPSolver.solve(lp)
        #expect(r.status == .optimal)
        #expect(abs(r.objective - 212) <= 1e-8 * 212)
        #expect(abs(r.x[x] - 10) <= 1e-7 && abs(r.x[e] - 2) <= 1e-7)
        let v = b.folded(r.x)
        #expect(abs(v[x] - 12) <= 1e-7 && v[e] == r.x[e])
    }

    /// y ∈ [−5, 5] at cost 3, an overflow below at 4 (so −3 + 4 = 1 per unit in the LP), the
    /// row −y ≥ 7 (an export of 7), and a second row 2y + z = 0 with z free at cost 0: y = −5,
    /// e = 2 (entering the second row as −2), objective 3 · (−5) + 1 · 2 = −13; folded y = −7.
    @Test func theOverflowBelowEntersEveryRowNegated() throws {
        var b = ModelBuilder()
        let y = b.addVariable(lower: -5, upper: 5, cost: 3, name: "exchange")
        let z = b.addVariable(lower: -.infinity, upper: .infinity, cost: 0, name: "z")
        b.addConstraint([(y, -1)], lower: 7, upper: .infinity, name: "export")
        let e = b.addOverflow(of: y, side: .below, cost: 4, upper: 10, name: "exchange_breach_neg")
        b.addConstraint([(y, 2), (z, 1)], lower: 0, upper: 0, name: "link")
        let lp = try b.build()
        #expect(lp.objective[e] == 1 && lp.columnUpper[e] == 10)
        let r = try LPSolver.solve(lp)
        #expect(r.status == .optimal)
        #expect(abs(r.objective + 13) <= 1e-8 * 13, "\(r.objective)")
        let v = b.folded(r.x)
        #expect(abs(v[y] + 7) <= 1e-7 && abs(r.x[e] - 2) <= 1e-7)
        // z balances the folded y: 2 · (−7) + z = 0.
        #expect(abs(r.x[z] - 14) <= 1e-6)
    }

    @Test func anOverflowOfAnOverflowIsRefused() throws {
        var b = ModelBuilder()
        let x = b.addVariable(lower: 0, upper: 1, cost: 1, name: "x")
        let e = b.addOverflow(of: x, side: .above, cost: 1, name: "e")
        b.addOverflow(of: e, side: .above, cost: 1, name: "f")
        #expect(throws: LPModelError.self) { try b.build() }
    }
}
