import Foundation

/// Writes CSV text per RFC 4180: fields separated by commas, records by CRLF-free "\n"
/// line ends (as every CSV FlexDispatch writes), and a field quoted — its quotes doubled —
/// when it holds a comma, a quote, a line break or leading or trailing white space.
/// Every CSV the program writes goes through it.
public struct CSVWriter {
    /// The CSV written so far, the header first.
    public private(set) var text = ""

    /// Starts the text with its header row.
    public init(header: [String]) { row(header) }

    /// Appends one record.
    public mutating func row(_ fields: [String]) {
        var first = true
        for f in fields {
            if !first { text += "," }
            first = false
            text += Self.field(f)
        }
        text += "\n"
    }

    /// One field as it is written: quoted, its quotes doubled, when RFC 4180 asks for it.
    public static func field(_ f: String) -> String {
        guard f.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 })
                || f.first?.isWhitespace == true || f.last?.isWhitespace == true else { return f }
        return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
