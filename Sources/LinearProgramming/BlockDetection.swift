import LinearAlgebra

extension BlockStructure {
    /// How ``detect(_:limits:)`` judges a structure worth using.
    public struct DetectionLimits: Sendable, Equatable {
        /// Linking rows at most this share of the rows (and linking columns of the columns).
        public var linkingShare = 0.1
        /// The largest block has at most this share of the rows.
        public var largestShare = 0.75
        /// Components with fewer rows than max(2, this share of the rows) are small: they are
        /// packed together into blocks.
        public var smallShare = 0.001
        /// Thresholds tried per side: the largest distinct row (column) lengths.
        public var thresholds = 24

        public init() {}
    }

    /// Finds a block-angular structure in an unlabelled matrix, or nil when it has none
    /// within `limits`: the linking rows are the long rows whose removal splits the
    /// constraint graph into many connected components, then (if that helps) the long
    /// columns likewise.
    ///
    /// For each threshold t among the largest distinct row lengths, the rows with at least
    /// t entries are set aside and the other rows' columns are joined into connected
    /// components (union–find, O(nnz)). A set-aside row whose other columns all fall in one
    /// component joins it (a firm's energy-over-a-window row is long but the firm's own), so
    /// only rows that span components stay linking; a column whose rows all lie in one block
    /// joins it likewise. Components with fewer than max(2, ``DetectionLimits/smallShare`` ×
    /// rows) rows are packed together into blocks about the median component's size. The
    /// threshold kept gives the most blocks within
    /// the limits, then the fewest linking rows and columns. The same search then runs over
    /// column lengths with that row threshold. Cost: O(thresholds × nnz).
    ///
    /// The result is always valid (``validate(_:rowName:columnName:)``); its blocks are
    /// numbered by their first row.
    public static func detect(_ a: SparseMatrix, limits: DetectionLimits = DetectionLimits()) -> BlockStructure? {
        let m = a.rows, n = a.columns
        guard m > 1, n > 1 else { return nil }
        var limits = limits
        limits.thresholds = max(0, limits.thresholds)
        limits.smallShare = limits.smallShare.isFinite ? min(max(limits.smallShare, 0), 1) : 0
        let byRow = a.transposed()
        let rowLength = (0..<m).map { byRow.columnStarts[$0 + 1] - byRow.columnStarts[$0] }
        let columnLength = (0..<n).map { a.columnStarts[$0 + 1] - a.columnStarts[$0] }
        let search = Search(a: a, byRow: byRow, limits: limits)
        func thresholds(_ lengths: [Int]) -> [Int] {
            Array(Set(lengths.filter { $0 >= 2 }).sorted(by: >).prefix(limits.thresholds))
        }
        var best = search.evaluate(rowThreshold: .max, columnThreshold: .max)
        for t in thresholds(rowLength) {
            let c = search.evaluate(rowThreshold: t, columnThreshold: .max)
            if c.isBetter(than: best) { best = c }
        }
        let rowThreshold = best.rowThreshold
        for t in thresholds(columnLength) {
            let c = search.evaluate(rowThreshold: rowThreshold, columnThreshold: t)
            if c.isBetter(than: best) { best = c }
        }
        guard best.valid else { return nil }
        return best.structure
    }

    /// One trial of the search: the labels a pair of thresholds gives, and how they score.
    struct Candidate {
        var rowThreshold: Int
        var structure: BlockStructure
        var blocks: Int
        var linking: Int
        var valid: Bool

        func isBetter(than other: Candidate) -> Bool {
            if valid != other.valid { return valid }
            if blocks != other.blocks { return blocks > other.blocks }
            return linking < other.linking
        }
    }

    struct Search {
        let a: SparseMatrix
        let byRow: SparseMatrix
        let limits: DetectionLimits

        func evaluate(rowThreshold: Int, columnThreshold: Int) -> Candidate {
            let m = a.rows, n = a.columns
            let setAsideRow = (0..<m).map { byRow.columnStarts[$0 + 1] - byRow.columnStarts[$0] >= rowThreshold }
            let setAsideColumn = (0..<n).map { a.columnStarts[$0 + 1] - a.columnStarts[$0] >= columnThreshold }
            // Components of the columns kept, joined through the rows kept.
            var parent = Array(0..<n)
            func root(_ j: Int) -> Int {
                var j = j
                while parent[j] != j { parent[j] = parent[parent[j]]; j = parent[j] }
                return j
            }
            for i in 0..<m where !setAsideRow[i] {
                var first = -1
                for e in byRow.columnStarts[i]..<byRow.columnStarts[i + 1] where !setAsideColumn[byRow.rowIndices[e]] {
                    let r = root(byRow.rowIndices[e])
                    if first < 0 { first = r } else if r != first { parent[r] = first }
                }
            }
            // Kept rows belong to the component of their kept columns; a set-aside row joins
            // a component when its kept columns all lie in one that kept rows formed (a row
            // set aside never makes a component of its own).
            var rowComponent = [Int](repeating: BlockStructure.linking, count: m)
            var keptRows = [Int](repeating: 0, count: n)
            for i in 0..<m where !setAsideRow[i] {
                for e in byRow.columnStarts[i]..<byRow.columnStarts[i + 1] where !setAsideColumn[byRow.rowIndices[e]] {
                    rowComponent[i] = root(byRow.rowIndices[e])
                    keptRows[rowComponent[i]] += 1
                    break
                }
            }
            for i in 0..<m where setAsideRow[i] {
                var only = -1, spans = false
                for e in byRow.columnStarts[i]..<byRow.columnStarts[i + 1] where !setAsideColumn[byRow.rowIndices[e]] {
                    let r = root(byRow.rowIndices[e])
                    if only < 0 { only = r } else if r != only { spans = true; break }
                }
                if !spans && only >= 0 && keptRows[only] > 0 { rowComponent[i] = only }
            }
            // Columns: kept ones by their component when it has rows; set-aside ones when
            // all their rows outside the linking ones lie in one component.
            var componentRows = [Int](repeating: 0, count: n)
            for i in 0..<m where rowComponent[i] >= 0 { componentRows[rowComponent[i]] += 1 }
            var columnComponent = [Int](repeating: BlockStructure.linking, count: n)
            for j in 0..<n {
                var only = -1, spans = false
                for e in a.columnStarts[j]..<a.columnStarts[j + 1] {
                    let r = rowComponent[a.rowIndices[e]]
                    if r < 0 { continue }
                    if only < 0 { only = r } else if r != only { spans = true; break }
                }
                if !setAsideColumn[j] {
                    // A kept column's rows all lie in its own component or are linking.
                    let r = root(j)
                    columnComponent[j] = componentRows[r] > 0 ? r : BlockStructure.linking
                } else if !spans && only >= 0 {
                    columnComponent[j] = only
                }
            }
            return label(rowComponent: rowComponent, columnComponent: columnComponent, componentRows: componentRows,
                         rowThreshold: rowThreshold)
        }

        /// Numbers the components as blocks and scores the labels. Small components (a firm
        /// without storage splits into one per step) are packed, in the order of their first
        /// row, into groups about as large as the median large component (or sixteen groups
        /// when there is none), so that the block count measures balanced parts.
        private func label(rowComponent: [Int], columnComponent: [Int], componentRows: [Int], rowThreshold: Int) -> Candidate {
            let m = a.rows, n = a.columns
            let small = max(2, Int((limits.smallShare * Double(m)).rounded(.up)))
            var order: [Int] = []
            var seen = Set<Int>()
            for i in 0..<m where rowComponent[i] >= 0 && seen.insert(rowComponent[i]).inserted { order.append(rowComponent[i]) }
            let large = order.map { componentRows[$0] }.filter { $0 >= small }.sorted()
            let smallRows = order.map { componentRows[$0] }.filter { $0 < small }.reduce(0, +)
            let target = large.isEmpty ? max(small, (smallRows + 15) / 16) : max(small, large[large.count / 2])
            var blockOf = [Int: Int]()
            var names: [String] = []
            var group = -1, groupRows = 0
            for c in order {
                if componentRows[c] >= small {
                    blockOf[c] = names.count
                    names.append("block \(names.count)")
                    continue
                }
                if group < 0 || groupRows >= target {
                    group = names.count
                    groupRows = 0
                    names.append("block \(names.count) (small components)")
                }
                blockOf[c] = group
                groupRows += componentRows[c]
            }
            let rowBlock = rowComponent.map { $0 >= 0 ? (blockOf[$0] ?? BlockStructure.linking) : BlockStructure.linking }
            let columnBlock = columnComponent.map { $0 >= 0 ? (blockOf[$0] ?? BlockStructure.linking) : BlockStructure.linking }
            let structure = BlockStructure(rowBlock: rowBlock, columnBlock: columnBlock, names: names, source: .detected)
            let s = structure.summary
            let valid = s.blocks >= 2
                && Double(s.linkingRows) <= limits.linkingShare * Double(m)
                && Double(s.linkingColumns) <= limits.linkingShare * Double(n)
                && Double(s.largestBlockRows) <= limits.largestShare * Double(m)
            return Candidate(rowThreshold: rowThreshold, structure: structure, blocks: s.blocks,
                             linking: s.linkingRows + s.linkingColumns, valid: valid)
        }
    }
}
