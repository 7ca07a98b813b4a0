import Foundation
import LinearAlgebra

/// Row and column scaling  Â = R A C  (R, C positive diagonals, powers of two so that
/// scaling is exact in floating point), computed by a few passes of geometric-mean
/// scaling (√(max·min) of each row and column) followed by Ruiz equilibration in the
/// ∞-norm (Ruiz 2001), which drives every row and column max towards 1.
/// Cost O(passes × nnz).
///
/// The scaled model is  min (Cc)ᵀx̂  s.t.  R rl ≤ Â x̂ ≤ R ru,  l/C ≤ x̂ ≤ u/C,
/// with x = C x̂, y = R ŷ, z = ẑ / C (times σb for x, σc for y and z).
struct Scaling {
    var row: [Double]
    var column: [Double]
    /// Objective and bound (right-hand side) scale factors: the scaled model has
    /// cost c/σc and bounds /σb, so certificates and tolerances compare numbers near 1.
    var cost = 1.0
    var bound = 1.0

    static func identity(rows: Int, columns: Int) -> Scaling {
        Scaling(row: .init(repeating: 1, count: rows), column: .init(repeating: 1, count: columns))
    }

    static func compute(_ a: SparseMatrix, geometricPasses: Int = 4, ruizPasses: Int = 10) -> Scaling {
        let m = a.rows, n = a.columns
        // The passes run on raw buffers: they are O(passes × nnz), and checked subscripts
        // of captured arrays cost more than the arithmetic.
        let work = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * m + n + m)
        work.initialize(repeating: 1)
        defer { work.deallocate() }
        let r = UnsafeMutableBufferPointer(rebasing: work[0..<m]), c = UnsafeMutableBufferPointer(rebasing: work[m..<(m + n)])
        let rmax = UnsafeMutableBufferPointer(rebasing: work[(m + n)..<(2 * m + n)])
        let rmin = UnsafeMutableBufferPointer(rebasing: work[(2 * m + n)...])
        a.columnStarts.withUnsafeBufferPointer { starts in
            a.rowIndices.withUnsafeBufferPointer { rows in
                a.values.withUnsafeBufferPointer { values in
                    func pass(geometric: Bool) {
                        rmax.update(repeating: 0)
                        rmin.update(repeating: .infinity)
                        for j in 0..<n {
                            for k in starts[j]..<starts[j + 1] {
                                let i = rows[k]
                                let v = abs(values[k]) * r[i] * c[j]
                                rmax[i] = max(rmax[i], v)
                                rmin[i] = min(rmin[i], v)
                            }
                        }
                        for i in 0..<m where rmax[i] > 0 {
                            let f = geometric ? (rmax[i] * rmin[i]).squareRoot() : rmax[i].squareRoot()
                            r[i] /= f
                        }
                        for j in 0..<n {
                            var cmax = 0.0, cmin = Double.infinity
                            for k in starts[j]..<starts[j + 1] {
                                let v = abs(values[k]) * r[rows[k]] * c[j]
                                cmax = max(cmax, v)
                                cmin = min(cmin, v)
                            }
                            if cmax > 0 { c[j] /= geometric ? (cmax * cmin).squareRoot() : cmax.squareRoot() }
                        }
                    }
                    for _ in 0..<geometricPasses { pass(geometric: true) }
                    for _ in 0..<ruizPasses { pass(geometric: false) }
                }
            }
        }
        // Round to powers of two: exact scaling, no rounding error introduced.
        func pow2(_ v: Double) -> Double { v.isFinite && v > 0 ? Double(sign: .plus, exponent: Int(log2(v).rounded()), significand: 1) : 1 }
        return Scaling(row: r.map(pow2), column: c.map(pow2))
    }

    /// Chooses σc and σb (powers of two) from the row/column-scaled model.
    mutating func normalize(_ scaled: LinearProgram) {
        func pow2(_ v: Double) -> Double { Double(sign: .plus, exponent: Int(log2(max(1, v)).rounded()), significand: 1) }
        var cmax = 0.0, bmax = 0.0
        for v in scaled.objective { cmax = max(cmax, abs(v)) }
        for v in scaled.rowLower + scaled.rowUpper + scaled.columnLower + scaled.columnUpper where v.isFinite {
            bmax = max(bmax, abs(v))
        }
        cost = 1
        _ = cmax
        // Bounds are left unnormalised: shrinking them would shrink the objective too
        // and turn the relative gap test into an absolute one.
        _ = bmax
    }

    /// The scaled model (rows, columns, then cost and bound normalisation).
    func apply(_ lp: LinearProgram) -> LinearProgram {
        var s = applyMatrixScaling(lp)
        for j in 0..<s.columnCount {
            s.objective[j] /= cost
            s.columnLower[j] /= bound
            s.columnUpper[j] /= bound
        }
        for i in 0..<s.rowCount {
            s.rowLower[i] /= bound
            s.rowUpper[i] /= bound
        }
        s.objectiveOffset /= cost * bound
        return s
    }

    func applyMatrixScaling(_ lp: LinearProgram) -> LinearProgram {
        var s = lp
        var a = lp.matrix
        for j in 0..<a.columns {
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] { a.values[k] *= row[a.rowIndices[k]] * column[j] }
        }
        s.matrix = a
        for j in 0..<lp.columnCount {
            s.objective[j] *= column[j]
            s.columnLower[j] /= column[j]
            s.columnUpper[j] /= column[j]
        }
        for i in 0..<lp.rowCount {
            s.rowLower[i] *= row[i]
            s.rowUpper[i] *= row[i]
        }
        return s
    }

    /// Maps a scaled solution back: x = C x̂, y = R ŷ, z = ẑ / C.
    func unscale(x: inout [Double], y: inout [Double], z: inout [Double]) {
        unscale(x: &x)
        for j in 0..<z.count { z[j] *= cost / column[j] }
        for i in 0..<y.count { y[i] *= row[i] * cost }
    }

    /// The primal part alone.
    func unscale(x: inout [Double]) {
        for j in 0..<x.count { x[j] *= column[j] * bound }
    }
}
