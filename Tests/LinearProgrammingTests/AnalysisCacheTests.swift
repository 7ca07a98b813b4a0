import Foundation
import LinearAlgebra
@testable import LinearProgramming
import TestSupport
import Testing

/// The symbolic analysis (linking columns kept out, the factor's ordering) is taken from an
/// earlier solve of the same pattern and settings, and gives the same point.
@Suite("Analysis reuse")
struct AnalysisCacheTests {
    @Test func aSecondSolveOfThePatternReusesTheAnalysisAndFindsTheSamePoint() throws {
        // A cache of its own: other suites' solves, in parallel, cannot evict the pattern.
        try AnalysisCache.$current.withValue(AnalysisCache(capacity: 1_000_000)) { try reuse() }
    }

    func reuse() throws {
        let (lp, optimum) = try KKTConformanceTests.blockLP(seed: 9_001, blocks: 6, rows: 20, columns: 30, linkingRows: 2,
                                                            linkingColumns: 3)
        var s = KKTConformanceTests.settings(.normalEquations, presolve: false)
        s.linkingColumnGain = 1
        s.linkingColumnMinimumEntries = 100
        let first = try LPSolver.solve(lp, settings: s)
        #expect(first.status == .optimal)
        #expect(first.linkingColumns?.analysisReused != true)
        #expect(first.linkingColumns?.keptOut == 3)
        let second = try LPSolver.solve(lp, settings: s)
        #expect(second.linkingColumns?.analysisReused == true)
        #expect(second.linkingColumns?.keptOut == 3)
        #expect(second.linkingColumns?.setsAnalysed == first.linkingColumns?.setsAnalysed)
        #expect(second.factorNonzeros == first.factorNonzeros)
        #expect(second.iterations == first.iterations)
        #expect(second.x == first.x, "the same ordering gives the same point, bit for bit")
        #expect(relativeError(second.objective, optimum) <= 1e-8)
        // New numbers on the same pattern: reused, and their own optimum.
        var doubled = lp
        doubled.objective = lp.objective.map { 2 * $0 }
        let third = try LPSolver.solve(doubled, settings: s)
        #expect(third.linkingColumns?.analysisReused == true)
        #expect(relativeError(third.objective, 2 * optimum) <= 1e-8, "\(third.objective) vs \(2 * optimum)")
        // Other settings choose afresh.
        var allIn = s
        allIn.linkingColumns = .off
        let fourth = try LPSolver.solve(lp, settings: allIn)
        #expect(fourth.linkingColumns?.analysisReused != true)
        #expect(fourth.linkingColumns?.keptOut == 0)
        #expect(relativeError(fourth.objective, optimum) <= 1e-8)
    }

    @Test func theOldestPatternsLeaveFirstAndTheCapacityHolds() throws {
        // Diagonal n × n patterns: n + 1 column starts, n row indices, an ordering of n.
        func diagonal(_ n: Int) throws -> SparseMatrix {
            try SparseMatrix(rows: n, columns: n, triplets: (0..<n).map { (row: $0, column: $0, value: 1.0) })
        }
        func analysis(_ n: Int) -> AnalysisCache.Analysis {
            AnalysisCache.Analysis(keptOut: [], ordering: (0..<Int32(n)).map { $0 }, report: .none(.off))
        }
        let cache = AnalysisCache(capacity: 110)   // a pattern of n takes 3n + 1
        for n in [10, 11, 12] { cache.store(try diagonal(n), settings: "k", analysis: analysis(n)) }
        #expect(cache.lookup(try diagonal(10), settings: "k") != nil)
        #expect(cache.lookup(try diagonal(10), settings: "other") == nil)
        // 10 was used last: storing 13 (40) evicts 11, the least recent.
        cache.store(try diagonal(13), settings: "k", analysis: analysis(13))
        #expect(cache.lookup(try diagonal(11), settings: "k") == nil)
        #expect(cache.lookup(try diagonal(10), settings: "k") != nil)
        #expect(cache.lookup(try diagonal(13), settings: "k")?.ordering.count == 13)
        // A pattern over half the capacity is not kept.
        cache.store(try diagonal(20), settings: "k", analysis: analysis(20))
        #expect(cache.lookup(try diagonal(20), settings: "k") == nil)
        // Same size, another pattern: no false hit.
        let shifted = try SparseMatrix(rows: 10, columns: 10, triplets: (0..<10).map { (row: ($0 + 1) % 10, column: $0, value: 1.0) })
        #expect(cache.lookup(shifted, settings: "k") == nil)
    }
}
