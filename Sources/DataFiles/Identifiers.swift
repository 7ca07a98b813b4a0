/// The rule for ids that name things across files, URLs, topics and log lines (firms, assets,
/// resource managers): 1 to 64 characters from the letters A–Z and a–z, the digits, '_', '-'
/// and '.', starting with a letter or a digit. A comma, a quote, a slash, a newline or a NUL in
/// one is an input error, not something to escape everywhere.
public enum Identifiers {
    /// Longest id, in characters.
    public static let maxLength = 64

    /// True when `id` follows the rule above.
    public static func isValid(_ id: String) -> Bool {
        let u = Array(id.utf8)
        guard !u.isEmpty, u.count <= maxLength, isAlphanumeric(u[0]) else { return false }
        return u.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// The id as it can be printed in a message: control characters and quotes escaped, cut
    /// at 80 characters.
    public static func printable(_ id: String) -> String {
        Printable.escaped(id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
    }
}
