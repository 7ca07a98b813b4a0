/// A store could not be opened, read or written; the message names the store (a file
/// path, or a PostgreSQL URL without its password) and the cause.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A value bound to a statement, independent of the database library.
package enum SQLValue: Sendable {
    case int(Int64), real(Double), text(String), null

    package static func optionalReal(_ v: Double?) -> SQLValue { v.map { .real($0) } ?? .null }
    package static func optionalText(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
}
