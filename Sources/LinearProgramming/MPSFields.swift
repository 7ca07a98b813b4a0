/// One MPS data line split into the six classic fields:
/// type (1), name1 (2), name2 (3), number1 (4), name3 (5), number2 (6).
/// Missing fields are empty strings.
struct MPSFields {
    var type = ""
    var name1 = ""
    var name2 = ""
    var number1 = ""
    var name3 = ""
    var number2 = ""

    /// Fixed format by column position (1-based columns 2–3, 5–12, 15–22, 25–36,
    /// 40–47, 50–61; the last field runs to the end of the line). Names may hold blanks.
    static func fixed(_ line: MPSLine) -> MPSFields {
        let base = line.startIndex, count = line.count
        func field(_ from: Int, _ to: Int?) -> String {
            let start = from - 1
            guard start < count else { return "" }
            let end = Swift.min(count, to ?? count)
            guard start < end else { return "" }
            return MPSBytes.trimmedString(line[(base + start)..<(base + end)])
        }
        return MPSFields(type: field(2, 3), name1: field(5, 12), name2: field(15, 22), number1: field(25, 36),
                         name3: field(40, 47), number2: field(50, nil))
    }

    /// Free format: whitespace-separated tokens, interpreted by section.
    /// Returns nil when the number of tokens does not fit the section.
    static func free(_ line: MPSLine, section: MPSSection) -> MPSFields? {
        let t = MPSBytes.tokens(line, limit: 6).map(MPSBytes.string)
        switch section {
        case .rows:
            return t.count == 2 ? MPSFields(type: t[0], name1: t[1]) : nil
        case .columns:
            if t.count == 3 { return MPSFields(name1: t[0], name2: t[1], number1: t[2]) }
            if t.count == 5 { return MPSFields(name1: t[0], name2: t[1], number1: t[2], name3: t[3], number2: t[4]) }
            return nil
        case .rhs, .ranges:
            switch t.count {
            case 2: return MPSFields(name2: t[0], number1: t[1])
            case 3: return MPSFields(name1: t[0], name2: t[1], number1: t[2])
            case 4: return MPSFields(name2: t[0], number1: t[1], name3: t[2], number2: t[3])
            case 5: return MPSFields(name1: t[0], name2: t[1], number1: t[2], name3: t[3], number2: t[4])
            default: return nil
            }
        case .bounds:
            guard let type = t.first?.uppercased() else { return nil }
            let needsValue = ["UP", "LO", "FX", "LI", "UI"].contains(type)
            if needsValue {
                if t.count == 4 { return MPSFields(type: type, name1: t[1], name2: t[2], number1: t[3]) }
                if t.count == 3 { return MPSFields(type: type, name2: t[1], number1: t[2]) }
                return nil
            }
            // FR MI PL BV (BV may carry a value, which is ignored).
            if t.count == 3 {
                if type == "BV", Double(t[2]) != nil { return MPSFields(type: type, name2: t[1], number1: t[2]) }
                return MPSFields(type: type, name1: t[1], name2: t[2])
            }
            if t.count == 2 { return MPSFields(type: type, name2: t[1]) }
            if t.count == 4 { return MPSFields(type: type, name1: t[1], name2: t[2], number1: t[3]) }
            return nil
        default:
            return nil
        }
    }
}

/// The sections of an MPS file.
enum MPSSection: String {
    case name = "NAME", objsense = "OBJSENSE", objname = "OBJNAME", rows = "ROWS", columns = "COLUMNS"
    case rhs = "RHS", ranges = "RANGES", bounds = "BOUNDS", endata = "ENDATA"
}

/// One line of an MPS file: a slice of the file's bytes.
typealias MPSLine = Slice<UnsafeBufferPointer<UInt8>>

/// Byte-level helpers of the MPS reader: the file is read as UTF-8 bytes and split into
/// lines and blank-separated tokens without decoding it into characters.
enum MPSBytes {
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab }

    /// The ranges of the lines of `bytes`, split at every "\n", "\r\n" and lone "\r"; a
    /// leading byte-order mark is not part of the first line. Ends with the (possibly
    /// empty) text after the last line end, as `split(omittingEmptySubsequences: false)`.
    static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        out.reserveCapacity(bytes.count / 32 + 1)
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var i = start
        let n = bytes.count
        bytes.withUnsafeBufferPointer { b in
            while i < n {
                let c = b[i]
                if c == 10 || c == 13 {
                    out.append(start..<i)
                    i += (c == 13 && i + 1 < n && b[i + 1] == 10) ? 2 : 1
                    start = i
                } else {
                    i += 1
                }
            }
        }
        out.append(start..<n)
        return out
    }

    /// The blank-separated tokens of a line, at most `limit` + 1 of them (a caller that
    /// accepts at most `limit` sees that there are more).
    static func tokens(_ line: MPSLine, limit: Int = .max) -> [MPSLine] {
        var out: [MPSLine] = []
        out.reserveCapacity(6)
        var i = line.startIndex
        let end = line.endIndex
        while i < end {
            while i < end, isBlank(line[i]) { i += 1 }
            guard i < end else { break }
            let s = i
            while i < end, !isBlank(line[i]) { i += 1 }
            out.append(line[s..<i])
            if out.count > limit { break }
        }
        return out
    }

    static func string<C: Collection<UInt8>>(_ s: C) -> String { String(decoding: s, as: UTF8.self) }

    /// The bytes without leading and trailing blanks and tabs, decoded.
    static func trimmedString<C: Collection<UInt8>>(_ s: C) -> String where C.Index == Int, C.SubSequence: Collection<UInt8> {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi, isBlank(s[lo]) { lo += 1 }
        while hi > lo, isBlank(s[hi - 1]) { hi -= 1 }
        return string(s[lo..<hi])
    }

    /// Whether the line holds `word` (ASCII, upper case) in any letter case.
    static func contains(_ line: MPSLine, upperCased word: [UInt8]) -> Bool {
        guard let first = word.first, line.count >= word.count else { return false }
        var i = line.startIndex
        let last = line.endIndex - word.count
        while i <= last {
            if upper(line[i]) == first {
                var k = 1
                while k < word.count, upper(line[i + k]) == word[k] { k += 1 }
                if k == word.count { return true }
            }
            i += 1
        }
        return false
    }

    static func upper(_ b: UInt8) -> UInt8 { b >= 97 && b <= 122 ? b - 32 : b }
}
