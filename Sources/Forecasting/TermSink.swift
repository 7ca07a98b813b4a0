/// Where a model writes the terms of one design row: a dense array, or a `SparseRow` that
/// keeps only the nonzeros (ridge's rows are mostly zeros from one-hot blocks, and its
/// design is sparse by rows, `SparseDesign`).
protocol TermSink {
    /// Terms written so far.
    var count: Int { get }
    mutating func append(_ v: Double)
    mutating func appendZeros(_ n: Int)
    /// Forgets the terms, keeping the storage.
    mutating func clear()
}

extension Array: TermSink where Element == Double {
    mutating func appendZeros(_ n: Int) { append(contentsOf: repeatElement(0, count: n)) }
    mutating func clear() { removeAll(keepingCapacity: true) }
}

/// A design row as its length and its nonzeros, indices ascending.
struct SparseRow: TermSink {
    private(set) var count = 0
    private(set) var index: [Int] = []
    private(set) var value: [Double] = []

    mutating func append(_ v: Double) {
        if v != 0 { index.append(count); value.append(v) }
        count += 1
    }

    mutating func appendZeros(_ n: Int) { count += n }

    mutating func clear() {
        count = 0
        index.removeAll(keepingCapacity: true)
        value.removeAll(keepingCapacity: true)
    }

    /// x·β.
    func dot(_ beta: [Double]) -> Double {
        var s = 0.0
        for k in 0..<index.count { s += value[k] * beta[index[k]] }
        return s
    }
}
