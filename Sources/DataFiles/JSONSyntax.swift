import Foundation

/// Strict JSON (RFC 8259) as a reader of user files wants it: the first syntax error's line
/// and column and what was expected there, which Foundation's parser on Linux does not say.
/// Also refuses what parses elsewhere but cannot be a value here: `NaN`/`Infinity`, a number
/// beyond a double's range (1e309), a lone UTF-16 surrogate in a `\u` escape, and nesting
/// deeper than `maxDepth`.
public enum JSONSyntax {
    /// Deepest nesting of objects and arrays accepted.
    public static let maxDepth = 512

    /// The first syntax error: 1-based line and column (in characters) and what was
    /// expected there.
    public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
        public let line: Int
        public let column: Int
        public let message: String
        /// `line L, column C: message`.
        public var description: String { "line \(line), column \(column): \(message)" }
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }
    }

    /// Parses `data` after checking its syntax; the failure names the line and column.
    public static func parse(_ data: Data) throws(Failure) -> Any {
        try check(data)
        do { return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw Failure(line: 1, column: 1, message: "not valid JSON (\(error.localizedDescription))")
        }
    }

    /// Throws the first syntax error; returns when `data` is one valid JSON value.
    public static func check(_ data: Data) throws(Failure) {
        var scanner = Scanner(bytes: [UInt8](data))
        try scanner.document()
    }

    struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3; lineStart = 3 }  // a UTF-8 byte-order mark
        }

        func fail(_ message: String, at k: Int? = nil) -> Failure {
            let at = k ?? i
            let column = String(decoding: bytes[lineStart..<min(max(at, lineStart), bytes.count)], as: UTF8.self).count + 1
            return Failure(line: line, column: column, message: message)
        }

        var found: String {
            guard i < bytes.count else { return "the end of the file" }
            let c = bytes[i]
            if c >= 0x20 && c < 0x7F { return "'\(Character(UnicodeScalar(c)))'" }
            return String(format: "byte 0x%02X", c)
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0D: i += 1
                case 0x0A: i += 1; line += 1; lineStart = i
                default: return
                }
            }
        }

        mutating func document() throws(Failure) {
            skipSpace()
            try value(depth: 0)
            skipSpace()
            if i < bytes.count { throw fail("expected the end of the document after the value, found \(found)") }
        }

        mutating func value(depth: Int) throws(Failure) {
            guard depth < JSONSyntax.maxDepth else { throw fail("nesting deeper than \(JSONSyntax.maxDepth) levels") }
            guard i < bytes.count else { throw fail("expected a value, found the end of the file") }
            switch bytes[i] {
            case UInt8(ascii: "{"): try object(depth: depth + 1)
            case UInt8(ascii: "["): try array(depth: depth + 1)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "N"), UInt8(ascii: "I"):
                throw fail("NaN and Infinity are not JSON numbers; give a finite number")
            default: throw fail("expected a value (object, array, string, number, true, false or null), found \(found)")
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            let w = Array(word.utf8)
            guard bytes.count - i >= w.count, Array(bytes[i..<(i + w.count)]) == w else {
                throw fail("expected a value, found \(found)")
            }
            i += w.count
        }

        mutating func object(depth: Int) throws(Failure) {
            try members(closedBy: UInt8(ascii: "}"), depth: depth) { (s: inout Scanner, depth: Int) throws(Failure) in
                guard s.i < s.bytes.count, s.bytes[s.i] == UInt8(ascii: "\"") else {
                    throw s.fail("expected a key in double quotes, found \(s.found)")
                }
                try s.string()
                s.skipSpace()
                guard s.i < s.bytes.count, s.bytes[s.i] == UInt8(ascii: ":") else { throw s.fail("expected ':' after the key, found \(s.found)") }
                s.i += 1
                s.skipSpace()
                try s.value(depth: depth)
            }
        }

        mutating func array(depth: Int) throws(Failure) {
            try members(closedBy: UInt8(ascii: "]"), depth: depth) { (s: inout Scanner, depth: Int) throws(Failure) in try s.value(depth: depth) }
        }

        /// The comma-separated members of an object or array, from its opening bracket to
        /// `close`; a trailing comma is named as such.
        mutating func members(closedBy close: UInt8, depth: Int,
                              _ member: (inout Scanner, Int) throws(Failure) -> Void) throws(Failure) {
            let closing = "'\(Character(UnicodeScalar(close)))'"
            i += 1
            skipSpace()
            if i < bytes.count && bytes[i] == close { i += 1; return }
            while true {
                skipSpace()
                try member(&self, depth)
                skipSpace()
                guard i < bytes.count else { throw fail("expected ',' or \(closing), found the end of the file") }
                if bytes[i] == close { i += 1; return }
                guard bytes[i] == UInt8(ascii: ",") else { throw fail("expected ',' or \(closing) after the value, found \(found)") }
                i += 1
                skipSpace()
                if i < bytes.count && bytes[i] == close { throw fail("a comma before \(closing): remove it") }
            }
        }

        mutating func string() throws(Failure) {
            let open = i
            i += 1
            while i < bytes.count {
                let c = bytes[i]
                switch c {
                case UInt8(ascii: "\""): i += 1; return
                case UInt8(ascii: "\\"): try escape()
                case 0x00..<0x20:
                    throw fail(c == 0x0A ? "a line break inside a string (write \\n)" : String(format: "control character 0x%02X inside a string (escape it)", c))
                case 0x80...0xFF: try utf8Sequence()
                default: i += 1
                }
            }
            throw fail("a string that starts here is not closed", at: open)
        }

        mutating func escape() throws(Failure) {
            i += 1
            guard i < bytes.count else { throw fail("an escape at the end of the file") }
            switch bytes[i] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                i += 1
            case UInt8(ascii: "u"):
                let start = i - 1
                guard let u = hex4(at: i + 1) else { throw fail("\\u must be followed by four hex digits", at: start) }
                i += 5
                if (0xD800..<0xDC00).contains(u) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                          let low = hex4(at: i + 2), (0xDC00..<0xE000).contains(low) else {
                        throw fail(String(format: "\\u%04X is a lone UTF-16 high surrogate (not a character)", u), at: start)
                    }
                    i += 6
                } else if (0xDC00..<0xE000).contains(u) {
                    throw fail(String(format: "\\u%04X is a lone UTF-16 low surrogate (not a character)", u), at: start)
                }
            default: throw fail("unknown escape '\\\(Character(UnicodeScalar(bytes[i])))' in a string", at: i - 1)
            }
        }

        func hex4(at k: Int) -> Int? {
            guard k + 4 <= bytes.count else { return nil }
            var v = 0
            for b in bytes[k..<(k + 4)] {
                guard let d = Int(String(UnicodeScalar(b)), radix: 16) else { return nil }
                v = v * 16 + d
            }
            return v
        }

        mutating func utf8Sequence() throws(Failure) {
            let c = bytes[i]
            let n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0
            guard n > 0, i + n <= bytes.count, String(validating: bytes[i..<(i + n)], as: UTF8.self) != nil else {
                throw fail("invalid UTF-8 (byte 0x\(String(c, radix: 16, uppercase: true)))")
            }
            i += n
        }

        mutating func number() throws(Failure) {
            let start = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            func digits() -> Int { let s = i; while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }; return i - s }
            guard i < bytes.count else { throw fail("a number ends after '-'") }
            if bytes[i] == UInt8(ascii: "I") { throw fail("NaN and Infinity are not JSON numbers; give a finite number") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
                if i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { throw fail("a number with a leading zero", at: start) }
            } else if digits() == 0 { throw fail("expected a digit, found \(found)") }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                if digits() == 0 { throw fail("expected a digit after the decimal point, found \(found)") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                if digits() == 0 { throw fail("expected a digit in the exponent, found \(found)") }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let v = Double(text), v.isFinite else {
                throw fail("\(text) is beyond the range of a double (about ±1.8e308)", at: start)
            }
        }
    }
}
