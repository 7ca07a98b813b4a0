import Foundation
import LinearAlgebra

/// The symbolic side of the normal-equations factorisation — the linking columns kept out
/// of the factor and the factor's fill-reducing ordering — remembered by the pattern of
/// the standard form's matrix and the settings that choose them. A solve whose matrix has
/// the pattern of a recent one (the next re-plan of a park, the next day's run, the same
/// firm's standalone problem) takes them instead of searching again: no ordering and no
/// trial analyses of candidate sets. Both depend only on the pattern and those settings,
/// so the analysis reused is the one the solve would have made.
///
/// Process-wide and thread-safe; it keeps the most recent patterns, at most
/// `maximumEntries` of them and `capacity` stored indices in all (a pattern larger than half
/// of it is not kept). `current` is the cache solves use: `shared`, unless a task binds
/// another (tests).
final class AnalysisCache: @unchecked Sendable {
    struct Analysis {
        var keptOut: [Int]
        var ordering: [Int32]
        var report: LinkingColumnReport
    }

    private struct Entry {
        var hash: Int
        var rows: Int
        var columnStarts: [Int32]
        var rowIndices: [Int32]
        var settings: String
        var analysis: Analysis
        var size: Int { columnStarts.count + rowIndices.count + analysis.ordering.count + analysis.keptOut.count }
    }

    static let shared = AnalysisCache(capacity: 2_000_000)
    @TaskLocal static var current = shared

    let capacity: Int
    let maximumEntries = 64
    private let lock = NSLock()
    private var entries: [Entry] = []   // the most recent last

    init(capacity: Int) { self.capacity = capacity }

    /// The settings that decide the linking columns, as a key.
    static func settingsKey(_ s: SolverSettings, rule: LinkingColumnRule) -> String {
        "\(rule.rawValue) \(s.linkingColumnMinimumEntries) \(s.linkingColumnGain) \(s.linkingColumnLimit) \(s.linkingColumnMemory) \(s.denseColumnMinimum) \(s.denseColumnFraction)"
    }

    private static func hash(_ a: SparseMatrix) -> Int {
        var h = Hasher()
        h.combine(a.rows)
        h.combine(a.columns)
        h.combine(a.columnStarts)
        h.combine(a.rowIndices)
        return h.finalize()
    }

    private static func same(_ e: Entry, _ a: SparseMatrix) -> Bool {
        e.rows == a.rows && e.columnStarts.count == a.columnStarts.count && e.rowIndices.count == a.rowIndices.count
            && zip(e.columnStarts, a.columnStarts).allSatisfy { Int($0) == $1 }
            && zip(e.rowIndices, a.rowIndices).allSatisfy { Int($0) == $1 }
    }

    /// The analysis stored for `a`'s pattern and these settings, if any.
    func lookup(_ a: SparseMatrix, settings: String) -> Analysis? {
        let h = Self.hash(a)
        return lock.withLock {
            guard let k = entries.lastIndex(where: { $0.hash == h && $0.settings == settings && Self.same($0, a) }) else { return nil }
            let e = entries.remove(at: k)
            entries.append(e)
            return e.analysis
        }
    }

    /// Keeps `analysis` for `a`'s pattern and these settings, dropping the oldest patterns
    /// beyond the capacity.
    func store(_ a: SparseMatrix, settings: String, analysis: Analysis) {
        let size = a.columnStarts.count + a.nonzeros + analysis.ordering.count + analysis.keptOut.count
        guard a.rows <= Int(Int32.max), a.nonzeros <= Int(Int32.max), 2 * size <= capacity else { return }
        let e = Entry(hash: Self.hash(a), rows: a.rows, columnStarts: a.columnStarts.map { Int32($0) },
                      rowIndices: a.rowIndices.map { Int32($0) }, settings: settings, analysis: analysis)
        lock.withLock {
            entries.removeAll { $0.hash == e.hash && $0.settings == settings }
            entries.append(e)
            var total = entries.reduce(0) { $0 + $1.size }
            while total > capacity || entries.count > maximumEntries, let first = entries.first {
                total -= first.size
                entries.removeFirst()
            }
        }
    }
}
