import LinearAlgebra
import LinearProgramming
import TestSupport
import Testing

@Suite("MPS writer round trip and KKT properties")
struct RoundTripTests {
    /// A random LP with every bound and row kind, names without blanks.
    static func randomModel(seed: UInt64) throws -> LinearProgram {
        var rng = SeededGenerator(seed: seed)
        let m = Int.random(in: 1...12, using: &rng), n = Int.random(in: 1...15, using: &rng)
        var b = ModelBuilder(name: "rand\(seed)", sense: Bool.random(using: &rng) ? .minimize : .maximize)
        b.objectiveOffset = Bool.random(using: &rng) ? Double.random(in: -5...5, using: &rng) : 0
        for j in 0..<n {
            let l = Double(Int.random(in: -5...5, using: &rng)) / 4
            let kinds: [(Double, Double)] = [(0, .infinity), (l, l + 3.3), (-.infinity, .infinity), (l, l), (-.infinity, l), (l, .infinity)]
            let (lo, up) = kinds[Int.random(in: 0..<kinds.count, using: &rng)]
            b.addVariable(lower: lo, upper: up, cost: Double.random(in: -3...3, using: &rng) * 0.37, name: "x\(j)")
        }
        for i in 0..<m {
            var entries: [(variable: Int, value: Double)] = []
            for j in 0..<n where Int.random(in: 0..<3, using: &rng) == 0 {
                entries.append((j, Double.random(in: -10...10, using: &rng)))
            }
            let r = Double.random(in: -4...4, using: &rng)
            let kinds: [(Double, Double)] = [(r, r), (-.infinity, r), (r, .infinity), (r, r + 2.5)]
            let (lo, up) = kinds[Int.random(in: 0..<kinds.count, using: &rng)]
            b.addConstraint(entries, lower: lo, upper: up, name: "r\(i)")
        }
        return try b.build()
    }

    @Test(arguments: 0..<60 as Range<UInt64>)
    func writeThenReadGivesTheSameModel(seed: UInt64) throws {
        let lp = try Self.randomModel(seed: seed)
        let text = MPSWriter.write(lp)
        let back = try MPSReader.parse(text, options: .init(format: .free))
        #expect(back == lp, "seed \(seed):\n\(text)")
    }

    /// A column with no entries and no cost is still declared, so its bounds read back.
    @Test func emptyColumnIsDeclared() throws {
        var b = ModelBuilder(name: "empty")
        let x = b.addVariable(upper: 2, cost: 1, name: "x")
        b.addVariable(lower: 1, upper: 3, name: "unused")
        b.addConstraint([(x, 1)], lower: 1, upper: .infinity, name: "r")
        let lp = try b.build()
        let back = try MPSReader.parse(MPSWriter.write(lp), options: .init(format: .free))
        #expect(back == lp)
    }

    /// On optimal random models the returned solution satisfies the KKT conditions.
    @Test(arguments: 0..<40 as Range<UInt64>)
    func optimalSolutionsSatisfyKKT(seed: UInt64) throws {
        let lp = try Self.randomModel(seed: seed)
        let r = try LPSolver.solve(lp)
        guard r.status == .optimal else {
            #expect(r.status.isVerdict, "seed \(seed): \(r.status)")
            return
        }
        #expect(r.primalInfeasibility < 1e-7, "seed \(seed)")
        #expect(r.dualInfeasibility < 1e-7, "seed \(seed)")
        #expect(r.relativeGap < 1e-7, "seed \(seed)")
    }

    @Test(.requires("RoundTripTests/netlibRoundTrip", .shared("Netlib LP sets")), arguments: ["afiro", "boeing1", "forplan", "e226"])
    func netlibRoundTrip(name: String) throws {
        var lp = try MPSReader.read(path: SharedData.netlib(name))
        // Free MPS cannot carry blanks in names.
        lp.rowNames = lp.rowNames.map { $0.replacingOccurrences(of: " ", with: "_") }
        lp.columnNames = lp.columnNames.map { $0.replacingOccurrences(of: " ", with: "_") }
        let back = try MPSReader.parse(MPSWriter.write(lp), options: .init(format: .free))
        #expect(back.matrix == lp.matrix && back.rowLower == lp.rowLower && back.rowUpper == lp.rowUpper)
        #expect(back.columnLower == lp.columnLower && back.columnUpper == lp.columnUpper)
        #expect(back.objective == lp.objective && back.objectiveOffset == lp.objectiveOffset)
    }
}
