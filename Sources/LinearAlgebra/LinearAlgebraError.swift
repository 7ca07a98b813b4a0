/// Errors raised by the linear-algebra layer. Mathematical failures (a matrix that is
/// not positive definite) are errors here; the layers above decide how to recover.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The dimensions of the operands do not agree.
    case dimensionMismatch(String)
    /// A Cholesky factorization met a non-positive pivot at the given (0-based) column.
    case notPositiveDefinite(column: Int)
    /// LAPACK reported a singular matrix at the given (0-based) column.
    case singular(column: Int)
    /// A LAPACK or CHOLMOD call failed with a status code.
    case backendFailure(routine: String, status: Int)
    /// An index in sparse input lies outside the matrix.
    case indexOutOfRange(row: Int, column: Int)

    public var description: String {
        switch self {
        case .dimensionMismatch(let what): return "dimension mismatch: \(what)"
        case .notPositiveDefinite(let column): return "matrix is not positive definite (pivot \(column))"
        case .singular(let column): return "matrix is singular (pivot \(column))"
        case .backendFailure(let routine, let status): return "\(routine) failed with status \(status)"
        case .indexOutOfRange(let row, let column): return "entry (\(row), \(column)) lies outside the matrix"
        }
    }
}
