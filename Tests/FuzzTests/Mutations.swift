import Foundation
import PropertyBased

/// Byte-level mutations of a valid seed file: each replaces, inserts or deletes at a
/// position, or duplicates or truncates a stretch, drawing inserted text from tokens that
/// are hard for readers (separators, quotes, NaN, 1e309, surrogates, NUL, line ends).
enum Mutations {
    static let tokens: [String] = [
        ",", "\"", "\n", "\r", "\r\n", "\u{0}", "\u{FEFF}", " ", "\t", "{", "}", "[", "]", ":", "-", "+", ".", "e",
        "NaN", "Infinity", "-Infinity", "inf", "1e309", "-1e309", "1e308", "5e-324", "0x10", "1,5", "9999999999999999999999",
        "\\ud800", "\\u0000", "null", "true", "\"\"", "Z", "+08:00", "T", "2025-02-30T10:00:00+08:00", "99:99",
        "\u{00E9}", "\u{1F600}", String(repeating: "x", count: 300), String(repeating: "[", count: 600),
        "RHS", "BOUNDS", " UP BND X 1e31", " FR BND X", "MARKER", "ENDATA", " N  OBJ", "*",
    ]

    /// (position as a fraction in millionths, kind 0…5, token index).
    typealias Edit = (Int, Int, Int)

    /// Up to six edits: `zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...5), Gen.int(in: 0...(tokens.count - 1))).array(of: 1...6)`,
    /// written out at each `propertyCheck` (an opaque generator type cannot cross into it).
    static let lastToken = tokens.count - 1

    static func apply(_ edits: [Edit], to seed: [UInt8]) -> [UInt8] {
        var b = seed
        for (where_, kind, token) in edits {
            let at = b.isEmpty ? 0 : min(b.count - 1, Int(Double(where_) / 1_000_000 * Double(b.count)))
            let t = Array(tokens[token].utf8)
            switch kind {
            case 0 where !b.isEmpty: b.replaceSubrange(at..<min(b.count, at + t.count), with: t)
            case 1: b.insert(contentsOf: t, at: at)
            case 2 where !b.isEmpty: b.removeSubrange(at..<min(b.count, at + 1 + token % 8))
            case 3 where !b.isEmpty: b.insert(contentsOf: b[at..<min(b.count, at + 1 + token % 40)], at: at)
            case 4: b = Array(b.prefix(at))
            default: if !b.isEmpty { b[at] = b[at] ^ UInt8(1 << (token % 8)) }
            }
        }
        return b
    }

    /// Cases per property: `FLEXDISPATCH_FUZZ_CASES` (scripts/fuzz.sh runs a long
    /// campaign), else a bounded number for `swift test`.
    static var cases: Int {
        ProcessInfo.processInfo.environment["FLEXDISPATCH_FUZZ_CASES"].flatMap(Int.init) ?? 150
    }
}
