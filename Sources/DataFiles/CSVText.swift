import Foundation

/// The rules every CSV FlexDispatch reads follows (docs/park-model.md "CSV files"): UTF-8
/// text (a byte-order mark is skipped), lines ended by LF, CRLF or CR alone, RFC 4180
/// quoting, a header of distinct non-empty names, and decimal numbers only (no `0x10`, no
/// `inf` or `nan`, nothing beyond a double's range).
public enum CSVText {
    /// A file that breaks the rule: where and what.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// 1-based line number; 0 when the problem is the whole file.
        public let line: Int
        /// What is wrong, without the file's name (the caller adds it).
        public let message: String
        /// `line N: message`.
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// The file's records, trailing blank lines dropped: split at LF, CRLF or CR outside
    /// quotes (a quoted field may hold a line break, as `CSVWriter` writes it). Invalid UTF-8
    /// is one error naming its line, not a value error per series after it.
    public static func lines(_ data: Data) throws(Failure) -> [Substring] {
        var lines: [Substring] = []
        try text(data).forEachRecord { lines.append($0) }
        while let last = lines.last, last.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.removeLast() }
        return lines
    }

    /// The file's records one at a time, in order, without holding them all (a drop folder's
    /// 44 MB file is read in chunks). Blank records are passed on; the caller skips them.
    /// Throws the file's `Failure` (invalid UTF-8) or what `body` throws.
    public static func forEachRecord(_ data: Data, _ body: (Substring) throws -> Void) throws {
        try text(data).forEachRecord(body)
    }

    /// The file as validated UTF-8 text, its records not yet split.
    struct Text {
        let text: String

        func forEachRecord<E: Error>(_ body: (Substring) throws(E) -> Void) throws(E) {
            let u = text.utf8
            var start = u.startIndex, k = u.startIndex
            var quoted = false
            while k < u.endIndex {
                let c = u[k]
                if c == 0x22 { quoted.toggle() }
                if !quoted && (c == 0x0A || c == 0x0D) {
                    try body(text[start..<k])
                    var next = u.index(after: k)
                    if c == 0x0D, next < u.endIndex, u[next] == 0x0A { next = u.index(after: next) }
                    start = next
                    k = next
                    continue
                }
                k = u.index(after: k)
            }
            if start < u.endIndex { try body(text[start..<u.endIndex]) }
        }
    }

    static func text(_ data: Data) throws(Failure) -> Text {
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
        return Text(text: text)
    }

    /// Splits one record per RFC 4180 — `"a,b"` is one field, `""` inside quotes a quote —
    /// on its UTF-8 bytes (a combining mark after a comma does not hide it). Blanks around a
    /// field are trimmed; the inside of quotes is kept as it is.
    public static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var value: [UInt8] = []
        var quoted = false, wasQuoted = false
        var u = line.utf8.makeIterator()
        var pending: UInt8? = nil
        func finish() {
            if !wasQuoted {
                while let f = value.first, f == 0x20 || f == 0x09 { value.removeFirst() }
                while let l = value.last, l == 0x20 || l == 0x09 { value.removeLast() }
            }
            fields.append(String(decoding: value, as: UTF8.self))
            value.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        while let c = pending ?? u.next() {
            pending = nil
            if quoted {
                if c == 0x22 {
                    if let next = u.next() {
                        if next == 0x22 { value.append(0x22) } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { value.append(c) }
            } else if c == 0x22 {
                if !wasQuoted && value.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { value.removeAll() }
                quoted = true
                wasQuoted = true
            } else if c == 0x2C {
                finish()
            } else if wasQuoted && (c == 0x20 || c == 0x09) {
                continue
            } else {
                value.append(c)
            }
        }
        finish()
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
}
