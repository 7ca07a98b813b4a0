import Foundation
import LinearProgramming
import TestSupport
import Testing

/// Park LPs from `datasets/lp` with the optimum HiGHS finds for them.
@Suite("Park LPs against HiGHS's optimum")
struct ParkLPTests {
    static func read(_ name: String) throws -> LinearProgram {
        let path = SharedData.packageRoot.appendingPathComponent("datasets/lp/\(name)").path
        return try MPSReader.parse(try String(contentsOfFile: path, encoding: .utf8), options: .init(format: .free))
    }

    /// A one-step soft-limit re-plan whose dual objective is a sum of large cancelling
    /// terms: optimal, at HiGHS's 1034069.0745390657, with and without presolve.
    @Test(arguments: [true, false])
    func aReplanWithLargeCancellingBoundsConverges(presolve: Bool) throws {
        var settings = SolverSettings()
        settings.presolve = presolve
        let r = try LPSolver.solve(try Self.read("replan-quarter-hour.mps"), settings: settings)
        #expect(r.status == .optimal)
        #expect(relativeError(r.objective, 1034069.0745390657) <= 1e-8, "\(r.objective)")
        #expect(r.relativeGap <= 1e-6, "\(r.relativeGap)")
    }

    /// The 24-hour example LP: HiGHS's 49895.1293665.
    @Test func theExampleDay() throws {
        let r = try LPSolver.solve(try Self.read("park-day.mps"))
        #expect(r.status == .optimal && relativeError(r.objective, 49895.1293665) <= 1e-8)
    }
}
