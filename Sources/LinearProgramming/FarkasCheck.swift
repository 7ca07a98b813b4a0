import Foundation
import LinearAlgebra

/// Second opinion on an "optimal" point that is feasible only within the last decade
/// of the primal tolerance. Such a point may belong to a model that has no solution at
/// all, only one that misses by less than the tolerance (Netlib's cplex2 misses by
/// 1e-9 in total). The check solves the elastic problem — minimise the total row
/// violation Σ(s⁺ + s⁻) subject to l ≤ Ax + s⁺ − s⁻ ≤ u and the column bounds — and
/// tests its row duals y as a Farkas certificate:
///
///     min over r ∈ [l, u] of yᵀr  >  max over x ∈ [lc, uc] of (Aᵀy)ᵀx
///
/// Since yᵀAx = yᵀr for every solution, the inequality proves that there is none. The
/// margin is evaluated in floating point and accepted only when it exceeds a forward
/// error bound of that evaluation, so the verdict does not rest on a tolerance: a
/// feasible model can never be certified infeasible, however close to the edge it is.
enum FarkasCheck {
    struct Certificate {
        /// Row multipliers of the proof.
        var y: [Double]
        /// min yᵀr − max (Aᵀy)ᵀx; positive for a proof.
        var margin: Double
        /// Bound on the rounding error of `margin` as computed.
        var errorBound: Double
        /// Optimal total violation of the elastic problem (absolute).
        var elasticViolation: Double
    }

    /// The margin of `y` as a Farkas certificate for the rows and column bounds of `lp`
    /// (its objective is irrelevant), with a bound on its rounding error; nil when the
    /// multipliers meet an infinite bound (no proof).
    static func margin(_ lp: LinearProgram, y: [Double]) -> (margin: Double, errorBound: Double)? {
        let a = lp.matrix
        var rowSide = 0.0, magnitude = 0.0
        for i in 0..<lp.rowCount where y[i] != 0 {
            let bound = y[i] > 0 ? lp.rowLower[i] : lp.rowUpper[i]
            guard bound.isFinite else { return nil }
            rowSide += y[i] * bound
            magnitude += abs(y[i] * bound)
        }
        var columnSide = 0.0
        var longest = 0
        for j in 0..<lp.columnCount {
            var d = 0.0, dAbs = 0.0
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                d += a.values[k] * y[a.rowIndices[k]]
                dAbs += abs(a.values[k] * y[a.rowIndices[k]])
            }
            longest = max(longest, a.count(ofColumn: j))
            let fuzz = Double(a.count(ofColumn: j) + 1) * Double.ulpOfOne * dAbs
            if abs(d) <= fuzz {
                // The sign of dⱼ is not known for sure: both bounds must be finite.
                if dAbs == 0 { continue }
                guard lp.columnLower[j].isFinite, lp.columnUpper[j].isFinite else { return nil }
                columnSide += d > 0 ? d * lp.columnUpper[j] : d * lp.columnLower[j]
                magnitude += 2 * dAbs * max(abs(lp.columnLower[j]), abs(lp.columnUpper[j]))
                continue
            }
            let bound = d > 0 ? lp.columnUpper[j] : lp.columnLower[j]
            // A multiplier that is tiny but wrong-signed against an infinite bound breaks
            // the proof; no tolerance is applied to it.
            guard bound.isFinite else { return nil }
            columnSide += d * bound
            // Rounding in dⱼ is at most (count + 1)·u·Σ|aᵢⱼyᵢ|, multiplied by |bound|.
            magnitude += abs(d * bound) + dAbs * abs(bound)
        }
        let terms = Double(longest + lp.rowCount + lp.columnCount + 4)
        let errorBound = 2 * terms * Double.ulpOfOne * magnitude
        return (rowSide - columnSide, errorBound)
    }

    /// The elastic problem of `lp`: the same rows and column bounds, zero costs on the
    /// original columns, and per row a column +1 and a column −1 of cost 1, both ≥ 0.
    static func elastic(_ lp: LinearProgram) throws -> LinearProgram {
        let m = lp.rowCount, n = lp.columnCount
        var starts = lp.matrix.columnStarts
        var rows = lp.matrix.rowIndices
        var values = lp.matrix.values
        starts.reserveCapacity(n + 2 * m + 1)
        for i in 0..<m {
            for sign in [1.0, -1.0] {
                rows.append(i)
                values.append(sign)
                starts.append(rows.count)
            }
        }
        let matrix = try SparseMatrix(rows: m, columns: n + 2 * m, columnStarts: starts, rowIndices: rows, values: values)
        return LinearProgram(name: lp.name + " (elastic)", objective: [Double](repeating: 0, count: n) + [Double](repeating: 1, count: 2 * m),
                             matrix: matrix, rowLower: lp.rowLower, rowUpper: lp.rowUpper,
                             columnLower: lp.columnLower + [Double](repeating: 0, count: 2 * m),
                             columnUpper: lp.columnUpper + [Double](repeating: .infinity, count: 2 * m),
                             rowNames: lp.rowNames)
    }

    /// Solves the elastic problem of `lp` (a minimisation) with the project's solver and
    /// returns a certificate when its duals prove infeasibility.
    static func search(_ lp: LinearProgram, settings: SolverSettings) throws -> Certificate? {
        let problem = try elastic(lp)
        var inner = settings
        inner.verbose = false
        // The elastic optimum of a nearly feasible model is tiny; the gap must be closed
        // well below it for the duals to certify it.
        inner.gapTolerance = min(settings.gapTolerance, 1e-12)
        let solved = try LPSolver.solve(problem, settings: inner, checkInfeasibility: false)
        guard solved.status == .optimal || solved.status == .iterationLimit, solved.rowDuals.count == lp.rowCount else { return nil }
        var best: Certificate?
        for sign in [1.0, -1.0] {
            let y = solved.rowDuals.map { sign * $0 }
            guard let (margin, bound) = margin(lp, y: y), margin > bound, margin > 0 else { continue }
            if best == nil || margin > best!.margin {
                best = Certificate(y: y, margin: margin, errorBound: bound, elasticViolation: solved.objective)
            }
        }
        return best
    }
}
