import LinearAlgebra

/// Which block every row and column of an LP belongs to, or that it links blocks:
///
///     [ A₁              L₁ ]   rows of block 1
///     [      A₂         L₂ ]   rows of block 2
///     [           ⋱     ⋮  ]
///     [ B₁   B₂   …     B₀ ]   linking rows
///       block columns   linking columns
///
/// A park LP has this shape: each firm's assets, exchange and balance rows form a block;
/// the park balance of every step links them. The labels are **valid** when every entry
/// of the matrix lies in a row and a column of the same block, or in a linking row, or in
/// a linking column (``validate(_:rowName:columnName:)``).
///
/// Labels come from the model (``ModelBuilder/addBlock(named:)``, the park formulation) or
/// are found in an unlabelled matrix (``detect(_:limits:)``, for an MPS written by another
/// modeller). Presolve and the standard form keep them; ``SolveResult/blockStructure``
/// reports what the solve saw.
///
///     var b = ModelBuilder()
///     let firm = b.addBlock(named: "firm1")
///     b.currentBlock = firm
///     let x = b.addVariable(lower: 0, upper: 5, cost: 1, name: "x")
///     b.addConstraint([(x, 1)], lower: 1, upper: .infinity, name: "own")
///     b.currentBlock = nil  // linking from here on
///     b.addConstraint([(x, 1)], lower: -.infinity, upper: 4, name: "shared")
///     let lp = try b.build()   // lp.blocks: 1 block, 1 linking row
public struct BlockStructure: Sendable, Equatable {
    /// The label of a linking row or column.
    public static let linking = -1

    /// Where the labels came from.
    public enum Source: String, Sendable, Codable {
        /// Given by the model.
        case labelled
        /// Found in the matrix by ``BlockStructure/detect(_:limits:)``.
        case detected
    }

    /// The block of each row (0 ..< ``names``.count), or ``linking``.
    public var rowBlock: [Int]
    /// The block of each column, or ``linking``.
    public var columnBlock: [Int]
    /// One name per block.
    public var names: [String]
    public var source: Source

    public init(rowBlock: [Int], columnBlock: [Int], names: [String], source: Source = .labelled) {
        self.rowBlock = rowBlock
        self.columnBlock = columnBlock
        self.names = names
        self.source = source
    }

    public var blockCount: Int { names.count }

    /// Checks the labels against `matrix`: one label per row and column, each a block or
    /// ``linking``, and every entry in a row and a column of one block or in a linking row
    /// or column. Throws ``LPModelError/inconsistent(_:)`` naming the first entry that
    /// breaks the shape (with `rowName`, `columnName` for the message).
    public func validate(_ matrix: SparseMatrix, rowName: (Int) -> String = { "R\($0)" },
                         columnName: (Int) -> String = { "C\($0)" }) throws {
        guard rowBlock.count == matrix.rows, columnBlock.count == matrix.columns else {
            throw LPModelError.inconsistent("block labels for \(rowBlock.count) rows and \(columnBlock.count) columns, "
                                            + "the matrix has \(matrix.rows) and \(matrix.columns)")
        }
        let k = names.count
        if let i = rowBlock.firstIndex(where: { $0 != Self.linking && ($0 < 0 || $0 >= k) }) {
            throw LPModelError.inconsistent("row \(rowName(i)) has block \(rowBlock[i]); there are \(k) blocks")
        }
        if let j = columnBlock.firstIndex(where: { $0 != Self.linking && ($0 < 0 || $0 >= k) }) {
            throw LPModelError.inconsistent("column \(columnName(j)) has block \(columnBlock[j]); there are \(k) blocks")
        }
        for j in 0..<matrix.columns where columnBlock[j] != Self.linking {
            for e in matrix.columnStarts[j]..<matrix.columnStarts[j + 1] {
                let r = rowBlock[matrix.rowIndices[e]]
                if r != Self.linking && r != columnBlock[j] {
                    throw LPModelError.inconsistent(
                        "column \(columnName(j)) of block \(names[columnBlock[j]]) enters row \(rowName(matrix.rowIndices[e])) "
                        + "of block \(names[r]): a block's columns enter only its own rows and linking rows")
                }
            }
        }
    }

    /// The labels of the rows and columns kept (in that order), e.g. after presolve.
    /// Blocks that keep nothing stay, empty, so that block numbers do not change.
    func restricted(rows: [Int], columns: [Int]) -> BlockStructure {
        BlockStructure(rowBlock: rows.map { rowBlock[$0] }, columnBlock: columns.map { columnBlock[$0] },
                       names: names, source: source)
    }

    /// The labels with one more column per row in `rows`, in its row's block: the
    /// standard form's slack columns.
    func appendingSlacks(ofRows rows: [Int]) -> BlockStructure {
        BlockStructure(rowBlock: rowBlock, columnBlock: columnBlock + rows.map { rowBlock[$0] }, names: names, source: source)
    }

    /// Counts for logs and results (labels outside the blocks count as linking).
    public var summary: Summary {
        var rows = [Int](repeating: 0, count: names.count), columns = rows
        var linkingRows = 0, linkingColumns = 0
        for b in rowBlock { if b >= 0 && b < rows.count { rows[b] += 1 } else { linkingRows += 1 } }
        for b in columnBlock { if b >= 0 && b < columns.count { columns[b] += 1 } else { linkingColumns += 1 } }
        let largest = rows.indices.max { (rows[$0], columns[$0]) < (rows[$1], columns[$1]) }
        return Summary(source: source, blocks: rows.indices.filter { rows[$0] + columns[$0] > 0 }.count,
                       linkingRows: linkingRows, linkingColumns: linkingColumns,
                       largestBlockRows: largest.map { rows[$0] } ?? 0, largestBlockColumns: largest.map { columns[$0] } ?? 0)
    }

    /// The shape of a block structure in numbers.
    public struct Summary: Sendable, Equatable, Codable {
        public var source: Source
        /// Blocks with at least one row or column.
        public var blocks: Int
        public var linkingRows: Int
        public var linkingColumns: Int
        /// Rows of the block with the most rows.
        public var largestBlockRows: Int
        /// Columns of that block.
        public var largestBlockColumns: Int

        /// One line for the log: "47 blocks (labelled), 96 linking rows, 0 linking columns, largest 288 × 700".
        public var description: String {
            "\(blocks) blocks (\(source.rawValue)), \(linkingRows) linking rows, \(linkingColumns) linking columns, "
                + "largest \(largestBlockRows) × \(largestBlockColumns)"
        }
    }
}
