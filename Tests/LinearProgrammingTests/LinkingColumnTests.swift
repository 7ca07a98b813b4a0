import Foundation
import LinearAlgebra
@testable import LinearProgramming
import TestSupport
import Testing

/// Capacity-expansion LPs: each extendable line capacity is a column with an entry in
/// every snapshot's two flow-limit rows, which would tie every snapshot together in the
/// normal-equations factor.
@Suite("Linking columns: detected by the fill they cause, kept out of the factor")
struct LinkingColumnTests {
    /// A transport network over `snapshots` steps: `buses` buses on a ring with chords,
    /// a generator per bus (capacity and cost differ by bus), a load per bus and step, and
    /// per line a free flow per step limited by the line's capacity, which is a variable
    /// with a capital cost when `extendable` (a linking column) or fixed otherwise.
    static func network(snapshots: Int, buses: Int, extendable: Bool, seed: UInt64 = 7) throws -> LinearProgram {
        var r = SplitMix64(seed: seed)
        var lines: [(Int, Int)] = (0..<buses).map { ($0, ($0 + 1) % buses) }
        for b in stride(from: 0, to: buses - 2, by: 3) { lines.append((b, b + 2)) }
        var builder = ModelBuilder(name: "capacity")
        let capacity = lines.indices.map { l in
            extendable ? builder.addVariable(lower: 0, upper: 500, cost: r.uniform(20, 60), name: "s_nom_\(l)")
                       : builder.addVariable(lower: 120, upper: 120, name: "s_nom_\(l)")
        }
        let genCost = (0..<buses).map { _ in r.uniform(10, 80) }
        let genCap = (0..<buses).map { _ in r.uniform(60, 240) }
        for t in 0..<snapshots {
            let gens = (0..<buses).map { b in
                builder.addVariable(lower: 0, upper: genCap[b], cost: genCost[b], name: "g_\(b)_\(t)")
            }
            let flows = lines.indices.map { l in
                builder.addVariable(lower: -.infinity, upper: .infinity, name: "f_\(l)_\(t)")
            }
            let shape = 1 + 0.4 * sin(2 * Double.pi * Double(t) / 24)
            for b in 0..<buses {
                var entries: [(variable: Int, value: Double)] = [(gens[b], 1)]
                for (l, line) in lines.enumerated() {
                    if line.0 == b { entries.append((flows[l], -1)) }
                    if line.1 == b { entries.append((flows[l], 1)) }
                }
                let load = 90 * shape * r.uniform(0.8, 1.2)
                builder.addConstraint(entries, lower: load, upper: load, name: "bal_\(b)_\(t)")
            }
            for l in lines.indices {
                builder.addConstraint([(flows[l], 1), (capacity[l], -1)], lower: -.infinity, upper: 0, name: "up_\(l)_\(t)")
                builder.addConstraint([(flows[l], -1), (capacity[l], -1)], lower: -.infinity, upper: 0, name: "lo_\(l)_\(t)")
            }
        }
        return try builder.build()
    }

    /// The entries of `rows` rows chained by one column each between row i and i + 1.
    static func chain(_ b: inout ModelBuilder, rows m: Int) -> [[(variable: Int, value: Double)]] {
        var rows: [[(variable: Int, value: Double)]] = Array(repeating: [], count: m)
        for i in 0..<(m - 1) {
            let x = b.addVariable(upper: 10, cost: Double(i % 7) + 1)
            rows[i].append((x, 1))
            rows[i + 1].append((x, 0.5))
        }
        return rows
    }

    static func settings(_ rule: LinkingColumnRule) -> SolverSettings {
        var s = SolverSettings()
        s.primalTolerance = 1e-10
        s.dualTolerance = 1e-10
        s.gapTolerance = 1e-10
        s.linkingColumns = rule
        return s
    }

    @Test func capacityColumnsAreDetectedAndTheOptimumIsUnchanged() throws {
        let lp = try Self.network(snapshots: 96, buses: 8, extendable: true)
        if let path = ProcessInfo.processInfo.environment["FD_WRITE_CAPACITY_LP"] { try MPSWriter.write(lp, to: path) }
        let lines = lp.columnNames.filter { $0.hasPrefix("s_nom") }.count
        let kept = try LPSolver.solve(lp, settings: Self.settings(.fill))
        let report = try #require(kept.linkingColumns)
        #expect(kept.status == .optimal)
        #expect(report.rule == .fill)
        #expect(report.keptOut == lines, "\(report)")
        #expect(report.smallestKeptOut == 2 * 96)
        #expect(report.predictedGain >= 1.5)
        #expect(!kept.linkingColumnsAbandoned, "\(kept.message)")
        #expect(kept.denseColumns == lines)
        let inFactor = try LPSolver.solve(lp, settings: Self.settings(.off))
        #expect(inFactor.status == .optimal)
        #expect(inFactor.linkingColumns?.keptOut == 0)
        // The factor actually built is a fraction of the one with every column in it.
        #expect(kept.factorNonzeros * 10 < inFactor.factorNonzeros, "\(kept.factorNonzeros) vs \(inFactor.factorNonzeros)")
        #expect(relativeError(kept.objective, inFactor.objective) <= 1e-8, "\(kept.objective) vs \(inFactor.objective)")
        #expect(kept.primalInfeasibility <= 1e-9 && kept.dualInfeasibility <= 1e-9)
    }

    /// The kept-out columns' part of a solve, M⁻¹ A_K dx_K, applied through W = M⁻¹ A_K kept
    /// from the factorisation or through a second sparse solve: the same optimum either way.
    @Test func keptSolvesAndRepeatedSolvesAgree() throws {
        let lp = try Self.network(snapshots: 48, buses: 8, extendable: true, seed: 11)
        let settings = Self.settings(.fill)
        func solve(keeping: Bool) throws -> SolveResult {
            try LPSolver.solve(lp, settings: settings, kkt: { a, s in
                let k = try NormalEquationsKKT(a, settings: s, rule: .fill)
                k.keepsSolves = keeping
                return k
            })
        }
        let kept = try solve(keeping: true), again = try solve(keeping: false)
        #expect(kept.status == .optimal && again.status == .optimal)
        #expect((kept.linkingColumns?.keptOut ?? 0) > 0, "\(String(describing: kept.linkingColumns))")
        #expect(relativeError(kept.objective, again.objective) <= 1e-9, "\(kept.objective) vs \(again.objective)")
        let own = try LPSolver.solve(lp, settings: settings)
        #expect(relativeError(own.objective, kept.objective) <= 1e-9)
    }

    /// Fixed capacities are substituted by presolve, so no column is left with many entries.
    @Test func fixedCapacitiesLeaveNothingToKeepOut() throws {
        let lp = try Self.network(snapshots: 48, buses: 8, extendable: false)
        let r = try LPSolver.solve(lp, settings: Self.settings(.fill))
        #expect(r.status == .optimal)
        #expect(r.linkingColumns?.keptOut == 0)
        #expect(r.linkingColumns?.candidates == 0)
    }

    /// Columns with many entries whose cliques cost the factor little — a few of them over
    /// the same 20 rows, which they couple anyway — are candidates but stay in the factor:
    /// keeping them out would cost more in the dense part than it saves.
    @Test func candidatesThatCostNoFillStay() throws {
        var b = ModelBuilder()
        let m = 200
        var rows = Self.chain(&b, rows: m)
        for c in 0..<6 {
            let wide = b.addVariable(upper: 5, cost: Double(c) + 0.5)
            for i in 0..<20 { rows[i].append((wide, 1 + Double((i + c) % 4))) }
        }
        for i in 0..<m { b.addConstraint(rows[i], lower: 1, upper: 100) }
        let r = try LPSolver.solve(b.build(), settings: Self.settings(.fill))
        #expect(r.status == .optimal)
        let report = try #require(r.linkingColumns)
        #expect(report.candidates == 6)
        // Small cliques: the full factor (AMD) and the sets with its ordering.
        #expect(report.setsAnalysed >= 2)
        #expect(report.keptOut == 0, "\(report)")
    }

    /// A candidate whose clique is small against A (190 entries: 18,145 clique entries
    /// against A's 20,188) is judged on the full factor's ordering: the full factor is
    /// analysed first and the set without the candidate with that ordering, no search of its
    /// own. Spread every 52 rows of a chain, the clique costs the factor c³/3 flops, so it
    /// is kept out, and only then is the rest ordered on its own: three analyses.
    @Test func smallCliquesAreJudgedOnTheFullFactorsOrdering() throws {
        var b = ModelBuilder()
        let m = 10_000
        var rows = Self.chain(&b, rows: m)
        let wide = b.addVariable(upper: 5, cost: 0.5)
        for i in stride(from: 0, to: 190 * 52, by: 52) { rows[i].append((wide, 1 + Double(i % 3))) }
        for i in 0..<m { b.addConstraint(rows[i], lower: 1, upper: 100) }
        let lp = try b.build()
        #expect(190 * 191 / 2 < lp.matrix.nonzeros)
        let r = try LPSolver.solve(lp, settings: Self.settings(.fill))
        #expect(r.status == .optimal)
        let report = try #require(r.linkingColumns)
        #expect(report.candidates == 1 && report.keptOut == 1 && report.setsAnalysed == 3, "\(report)")
        let inFactor = try LPSolver.solve(lp, settings: Self.settings(.off))
        #expect(relativeError(r.objective, inFactor.objective) <= 1e-8, "\(r.objective) vs \(inFactor.objective)")
    }

    /// An equality row whose entries all lie in candidate columns would be left with only
    /// the regularisation on its diagonal: such a set is not kept out.
    @Test func aSetThatLeavesARowWithoutFactorColumnsStaysIn() throws {
        var b = ModelBuilder()
        let m = 120
        var rows = Self.chain(&b, rows: m)
        let wide = (0..<2).map { c in b.addVariable(upper: 50, cost: Double(c) + 0.5) }
        for i in 0..<m { for (c, w) in wide.enumerated() { rows[i].append((w, 1 + Double((i + c) % 3))) } }
        for i in 0..<m { b.addConstraint(rows[i], lower: 1, upper: 100) }
        b.addConstraint([(wide[0], 1), (wide[1], -1)], lower: 0, upper: 0)
        var s = Self.settings(.fill)
        s.presolve = false
        let r = try LPSolver.solve(b.build(), settings: s)
        #expect(r.status == .optimal)
        let report = try #require(r.linkingColumns)
        #expect(report.candidates == 2)
        #expect(report.keptOut == 0, "\(report)")
        // The same LP without the tying row keeps both out.
        let plain = try b.build()
        var untied = plain
        untied.matrix = try SparseMatrix(rows: m, columns: plain.columnCount, triplets: (0..<plain.columnCount).flatMap { j in
            (plain.matrix.columnStarts[j]..<plain.matrix.columnStarts[j + 1]).compactMap { k in
                plain.matrix.rowIndices[k] < m ? (plain.matrix.rowIndices[k], j, plain.matrix.values[k]) : nil
            }
        })
        untied.rowLower.removeLast()
        untied.rowUpper.removeLast()
        untied.rowNames = []
        let u = try LPSolver.solve(untied, settings: s)
        #expect(u.status == .optimal)
        #expect(u.linkingColumns?.keptOut == 2, "\(String(describing: u.linkingColumns))")
    }

    /// The count rule: more than max(minimum, fraction × rows) entries.
    @Test func countRuleUsesTheThreshold() throws {
        let lp = try Self.network(snapshots: 96, buses: 8, extendable: true)
        var s = Self.settings(.count)
        s.denseColumnMinimum = 100
        s.denseColumnFraction = 0.01
        let r = try LPSolver.solve(lp, settings: s)
        #expect(r.status == .optimal)
        #expect(r.linkingColumns?.rule == .count)
        #expect(r.linkingColumns?.candidates == lp.columnNames.filter { $0.hasPrefix("s_nom") }.count)
        s.denseColumnMinimum = 1000
        let none = try LPSolver.solve(lp, settings: s)
        #expect(none.linkingColumns?.candidates == 0)
        #expect(relativeError(r.objective, none.objective) <= 1e-8)
    }
}
