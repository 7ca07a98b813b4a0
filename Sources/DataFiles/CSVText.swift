import Foundation

/// The rules every CSV FlexDispatch reads follows (docs/park-model.md "CSV files"): UTF-8
/// text (a byte-order mark is skipped), lines ended by LF, CRLF or CR alone, RFC 4180
/// quoting, a header of distinct non-empty names, and decimal numbers only (no `0x10`, no
/// `inf` or `nan`, nothing beyond a double's range).
public enum CSVText {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// 1-based line number; 0 when the problem is the whole file.
        public let line: Int
        public let message: String
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// The file's lines, trailing blank lines dropped. Invalid UTF-8 is one error naming
    /// its line, not a value error per series after it.
    public static func lines(_ data: Data) throws(Failure) -> [Substring] {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            var line = 1
            var k = bytes.startIndex
            while k < bytes.endIndex {
                let c = bytes[k]
                let n = c < 0x80 ? 1 : c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0
                if n == 0 || k + n > bytes.endIndex || String(validating: bytes[k..<(k + n)], as: UTF8.self) == nil { break }
                if c == 0x0A { line += 1 }
                k += n
            }
            throw Failure(line: line, message: "not valid UTF-8 text (byte 0x\(String(bytes[k], radix: 16, uppercase: true)))")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        return lines
    }

    /// Splits one line (RFC 4180: "a,b" is one field, "" inside quotes a quote), trimming
    /// blanks around unquoted fields.
    public static func fields(_ line: Substring) -> [String] {
        guard line.contains("\"") else {
            return line.split(separator: ",", omittingEmptySubsequences: false).map { trim($0) }
        }
        var fields: [String] = []
        var current = ""
        var quoted = false
        var chars = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(trim(current[...])); current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(trim(current[...]))
        return fields
    }

    /// The header: `first` as the first column, then distinct, non-empty names.
    public static func header(_ line: Substring, first: String) throws(Failure) -> [String] {
        let names = fields(line)
        guard names.first == first else {
            throw Failure(line: 1, message: "the first column must be '\(first)'"
                          + (names.count == 1 && line.count > 60 ? " (is the file comma-separated?)" : ""))
        }
        var seen: Set<String> = []
        for name in names {
            if name.isEmpty { throw Failure(line: 1, message: "empty column name") }
            if !seen.insert(name).inserted { throw Failure(line: 1, message: "duplicate header '\(printable(name))'") }
        }
        return names
    }

    /// A decimal number: digits, one optional sign, point and exponent, finite. nil for
    /// anything else (`0x10`, `inf`, `nan`, `1e309`, `1,5`).
    @inline(__always) public static func number(_ s: String) -> Double? {
        guard !s.isEmpty, s.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 101 || $0 == 69 }),
              let v = Double(s), v.isFinite else { return nil }
        return v
    }

    /// A field as it can be printed in a message (`Printable.escaped`, cut at 60).
    public static func printable(_ s: String) -> String { Printable.escaped(s, limit: 60) }

    @inline(__always) static func trim(_ s: Substring) -> String {
        var a = s.startIndex, b = s.endIndex
        while a < b, s[a] == " " || s[a] == "\t" { a = s.index(after: a) }
        while b > a, s[s.index(before: b)] == " " || s[s.index(before: b)] == "\t" { b = s.index(before: b) }
        return String(s[a..<b])
    }
}
