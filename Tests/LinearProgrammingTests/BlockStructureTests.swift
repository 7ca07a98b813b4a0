import LinearAlgebra
@testable import LinearProgramming
import Testing

/// Block labels: given by the builder, kept by presolve and the standard form, found in an
/// unlabelled matrix.
@Suite("Block structure: labels and detection")
struct BlockStructureTests {
    /// A block-angular LP built with labels: `blocks` blocks, each a chain of storage-like
    /// rows over `steps` columns plus one long row over all its columns (energy over a
    /// window), tied by `linkingRows` rows that take one column of every block, and one
    /// linking column entering one row of every block.
    struct Generated {
        var lp: LinearProgram
        var trueRowBlock: [Int]
        var trueColumnBlock: [Int]
    }

    static func generate(blocks: Int, steps: Int, linkingRows: Int, seed: UInt64, labelled: Bool) throws -> Generated {
        var rng = SplitMix64(seed: seed)
        var b = ModelBuilder(name: "blocks")
        var rowBlock: [Int] = [], columnBlock: [Int] = []
        var firstColumns: [[Int]] = []
        for k in 0..<blocks {
            if labelled { b.currentBlock = b.addBlock(named: "firm\(k)") }
            var x: [Int] = []
            for t in 0..<steps {
                x.append(b.addVariable(lower: 0, upper: 10, cost: Double.random(in: 0.5...2, using: &rng), name: "x\(k)_\(t)"))
                columnBlock.append(k)
            }
            var s: [Int] = []
            for t in 0..<steps {
                s.append(b.addVariable(lower: 0, upper: 20, cost: 0.01, name: "s\(k)_\(t)"))
                columnBlock.append(k)
            }
            for t in 0..<steps {
                // s[t] − s[t−1] − 0.9 x[t] = −demand
                var terms: [(variable: Int, value: Double)] = [(s[t], 1), (x[t], -0.9)]
                if t > 0 { terms.append((s[t - 1], -1)) }
                let d = Double.random(in: 0...3, using: &rng)
                b.addConstraint(terms, lower: -d, upper: -d, name: "chain\(k)_\(t)")
                rowBlock.append(k)
            }
            b.addConstraint(x.map { ($0, 1.0) }, lower: 0, upper: 8 * Double(steps), name: "window\(k)")
            rowBlock.append(k)
            firstColumns.append(x)
        }
        b.currentBlock = nil
        let shared = b.addVariable(lower: 0, upper: 50, cost: 0.5, name: "shared")
        columnBlock.append(BlockStructure.linking)
        for r in 0..<linkingRows {
            var terms = (0..<blocks).map { (variable: firstColumns[$0][(r * 7) % steps], value: 1.0) }
            if r == 0 { terms.append((shared, -1)) }
            b.addConstraint(terms, lower: -.infinity, upper: 6 * Double(blocks), name: "link\(r)")
            rowBlock.append(BlockStructure.linking)
        }
        return Generated(lp: try b.build(), trueRowBlock: rowBlock, trueColumnBlock: columnBlock)
    }

    /// True when `a` and `b` put the rows (columns) into the same groups, whatever the numbers.
    static func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
        guard a.count == b.count else { return false }
        var forward: [Int: Int] = [:], backward: [Int: Int] = [:]
        for (x, y) in zip(a, b) {
            if (x == BlockStructure.linking) != (y == BlockStructure.linking) { return false }
            if let f = forward[x], f != y { return false }
            if let g = backward[y], g != x { return false }
            forward[x] = y
            backward[y] = x
        }
        return true
    }

    @Test func theBuilderRecordsItsBlocks() throws {
        let g = try Self.generate(blocks: 4, steps: 12, linkingRows: 3, seed: 1, labelled: true)
        let blocks = try #require(g.lp.blocks)
        #expect(blocks.rowBlock == g.trueRowBlock)
        #expect(blocks.columnBlock == g.trueColumnBlock)
        #expect(blocks.names == ["firm0", "firm1", "firm2", "firm3"])
        let s = blocks.summary
        #expect(s.blocks == 4 && s.linkingRows == 3 && s.linkingColumns == 1)
        #expect(s.largestBlockRows == 13 && s.largestBlockColumns == 24)
        // Without blocks the builder adds no labels.
        let unlabelled = try Self.generate(blocks: 4, steps: 12, linkingRows: 3, seed: 1, labelled: false)
        #expect(unlabelled.lp.blocks == nil)
    }

    /// The labels leave the optimum alone, and the result reports them after presolve.
    @Test func labelsDoNotChangeTheSolve() throws {
        let labelled = try Self.generate(blocks: 5, steps: 16, linkingRows: 4, seed: 2, labelled: true).lp
        let plain = try Self.generate(blocks: 5, steps: 16, linkingRows: 4, seed: 2, labelled: false).lp
        let a = try LPSolver.solve(labelled), b = try LPSolver.solve(plain)
        #expect(a.status == .optimal && b.status == .optimal)
        #expect(a.objective == b.objective)
        let s = try #require(a.blockStructure)
        #expect(s.source == .labelled && s.blocks == 5 && s.linkingRows == 4 && s.linkingColumns == 1)
        #expect(b.blockStructure == nil)
    }

    /// A block's column in another block's row is refused, naming both.
    @Test func labelsThatBreakTheShapeAreRefused() throws {
        var b = ModelBuilder()
        let first = b.addBlock(named: "a"), second = b.addBlock(named: "b")
        b.currentBlock = first
        let x = b.addVariable(lower: 0, upper: 1, cost: 1, name: "x")
        b.currentBlock = second
        let y = b.addVariable(lower: 0, upper: 1, cost: 1, name: "y")
        b.addConstraint([(x, 1), (y, 1)], lower: 1, upper: 2, name: "mixed")
        do {
            _ = try b.build()
            Issue.record("a column of block a in a row of block b was accepted")
        } catch let LPModelError.inconsistent(message) {
            #expect(message.contains("column x") && message.contains("row mixed") && message.contains("block a")
                    && message.contains("block b"), "\(message)")
        }
        var c = ModelBuilder()
        _ = c.addBlock(named: "only")
        c.currentBlock = 3
        c.addVariable(lower: 0, upper: 1, cost: 1, name: "z")
        #expect(throws: LPModelError.self) { try c.build() }
    }

    /// An overflow column (a soft bound) joins the block of the column it extends, wherever
    /// the builder's current block is.
    @Test func anOverflowJoinsItsColumnsBlock() throws {
        var b = ModelBuilder()
        let firm = b.addBlock(named: "firm")
        b.currentBlock = firm
        let x = b.addVariable(lower: 0, upper: 1, cost: 1, name: "x")
        b.addConstraint([(x, 1)], lower: 0, upper: 1, name: "own")
        b.currentBlock = nil
        let e = b.addOverflow(of: x, side: .above, cost: 10, name: "x_breach")
        b.addConstraint([(x, 1)], lower: 2, upper: .infinity, name: "demand")
        let lp = try b.build()
        #expect(lp.blocks?.columnBlock[e] == firm)
        #expect(lp.blocks?.rowBlock == [firm, BlockStructure.linking])
    }

    /// Presolve removes a singleton row and two fixed columns; the labels of
    /// what is left are the original ones of the rows and columns kept.
    @Test func presolveKeepsTheLabelsOfWhatItKeeps() throws {
        var g = try Self.generate(blocks: 3, steps: 6, linkingRows: 2, seed: 3, labelled: true)
        var lp = g.lp
        // Fix x1_2 and x2_0 at 5 (the chains stay feasible), and add a singleton row on s0_3
        // in block 0.
        for j in [6 * 2 * 1 + 2, 6 * 2 * 2] {
            lp.columnLower[j] = 5
            lp.columnUpper[j] = 5
        }
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for j in 0..<lp.columnCount {
            for e in lp.matrix.columnStarts[j]..<lp.matrix.columnStarts[j + 1] {
                triplets.append((lp.matrix.rowIndices[e], j, lp.matrix.values[e]))
            }
        }
        triplets.append((lp.rowCount, 6 + 3, 1))
        lp.matrix = try SparseMatrix(rows: lp.rowCount + 1, columns: lp.columnCount, triplets: triplets)
        lp.rowLower.append(0)
        lp.rowUpper.append(15)
        lp.rowNames.append("singleton")
        g.trueRowBlock.append(0)
        lp.blocks?.rowBlock.append(0)
        try lp.validate()
        let presolved = Presolve.run(lp)
        guard case .reduced(let reduced) = presolved.outcome else {
            Issue.record("presolve decided the LP")
            return
        }
        #expect(reduced.rowCount < lp.rowCount && reduced.columnCount < lp.columnCount)
        let blocks = try #require(reduced.blocks)
        #expect(blocks.rowBlock == presolved.stack.keptRows.map { g.trueRowBlock[$0] })
        #expect(blocks.columnBlock == presolved.stack.keptColumns.map { g.trueColumnBlock[$0] })
        try reduced.validate()
        // The standard form's slack columns (one per inequality row) take their row's block.
        let standard = try StandardForm(reduced, blocks: reduced.blocks)
        let labels = try #require(standard.blocks)
        #expect(labels.columnBlock.count == standard.a.columns)
        for (k, i) in standard.slackRow.enumerated() {
            #expect(labels.columnBlock[standard.structural + k] == blocks.rowBlock[i])
        }
        try labels.validate(standard.a)
    }

    /// Rows and columns shuffled, no labels: detection finds the blocks, the linking rows and
    /// the linking column. Each block's long window row is set aside with the linking rows
    /// at first and joins its block again.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func detectionFindsShuffledBlocks(seed: UInt64) throws {
        let g = try Self.generate(blocks: 8, steps: 24, linkingRows: 5, seed: seed, labelled: false)
        var rng = SplitMix64(seed: seed)
        let m = g.lp.rowCount, n = g.lp.columnCount
        let rowOrder = Array(0..<m).shuffled(using: &rng), columnOrder = Array(0..<n).shuffled(using: &rng)
        var newRow = [Int](repeating: 0, count: m)
        for (k, i) in rowOrder.enumerated() { newRow[i] = k }
        var triplets: [(row: Int, column: Int, value: Double)] = []
        for (k, j) in columnOrder.enumerated() {
            for e in g.lp.matrix.columnStarts[j]..<g.lp.matrix.columnStarts[j + 1] {
                triplets.append((newRow[g.lp.matrix.rowIndices[e]], k, g.lp.matrix.values[e]))
            }
        }
        let shuffled = try SparseMatrix(rows: m, columns: n, triplets: triplets)
        let detected = BlockStructure.detect(shuffled)
        #expect(detected != nil)
        guard let found = detected else { return }
        try found.validate(shuffled)
        #expect(found.source == .detected)
        #expect(Self.samePartition(found.rowBlock, rowOrder.map { g.trueRowBlock[$0] }), "\(found.summary.description)")
        #expect(Self.samePartition(found.columnBlock, columnOrder.map { g.trueColumnBlock[$0] }), "\(found.summary.description)")
        let s = found.summary
        #expect(s.blocks == 8 && s.linkingRows == 5 && s.linkingColumns == 1)
    }

    /// A connected chain has no blocks worth the name; one block alone is no structure either.
    @Test func noStructureIsNoStructure() throws {
        var b = ModelBuilder()
        let x = (0..<200).map { b.addVariable(lower: 0, upper: 1, cost: Double($0 % 3), name: "x\($0)") }
        for t in 1..<199 { b.addConstraint([(x[t - 1], 1), (x[t], -2), (x[t + 1], 1)], lower: -1, upper: 1) }
        #expect(BlockStructure.detect(try b.build().matrix) == nil)
        let single = try Self.generate(blocks: 1, steps: 30, linkingRows: 0, seed: 4, labelled: false)
        #expect(BlockStructure.detect(single.lp.matrix) == nil)
    }

    /// Detection runs only when asked, and reports what it found after presolve.
    @Test func theSolverDetectsWhenAsked() throws {
        let g = try Self.generate(blocks: 6, steps: 20, linkingRows: 4, seed: 5, labelled: false)
        var settings = SolverSettings()
        settings.detectBlocks = true
        let r = try LPSolver.solve(g.lp, settings: settings)
        let s = try #require(r.blockStructure)
        #expect(s.source == .detected && s.blocks == 6 && s.linkingRows == 4)
        #expect(try LPSolver.solve(g.lp).blockStructure == nil)
    }
}
