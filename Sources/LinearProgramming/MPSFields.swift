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
    static func fixed(_ line: Substring) -> MPSFields {
        let chars = Array(line.utf8)
        func field(_ from: Int, _ to: Int?) -> String {
            let start = from - 1
            guard start < chars.count else { return "" }
            let end = Swift.min(chars.count, to ?? chars.count)
            guard start < end else { return "" }
            return String(decoding: chars[start..<end], as: UTF8.self).trimmingBlanks()
        }
        return MPSFields(type: field(2, 3), name1: field(5, 12), name2: field(15, 22), number1: field(25, 36),
                         name3: field(40, 47), number2: field(50, nil))
    }

    /// Free format: whitespace-separated tokens, interpreted by section.
    /// Returns nil when the number of tokens does not fit the section.
    static func free(_ line: Substring, section: MPSSection) -> MPSFields? {
        let t = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
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

extension String {
    /// The string without leading and trailing blanks and tabs.
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
