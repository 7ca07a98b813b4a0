import Foundation

/// Writes CSV text per RFC 4180: fields separated by commas, records by CRLF-free "\n"
/// line ends (as every CSV FlexDispatch writes), and a field quoted — its quotes doubled —
/// when it holds a comma, a quote, a line break or leading or trailing white space.
/// Every CSV the program writes goes through it.
public struct CSVWriter {
    public private(set) var text = ""

    public init(header: [String]) { row(header) }

    public mutating func row(_ fields: [String]) {
        var first = true
        for f in fields {
            if !first { text += "," }
            first = false
            text += Self.field(f)
        }
        text += "\n"
    }

    public static func field(_ f: String) -> String {
        guard f.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 })
                || f.first?.isWhitespace == true || f.last?.isWhitespace == true else { return f }
        return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
