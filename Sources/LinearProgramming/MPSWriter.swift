import Foundation

/// Writes a `LinearProgram` as free MPS. Numbers are written in Swift's shortest
/// round-trip form, so reading the file back gives the same model bit for bit.
/// Rows: equalities as E, one-sided as L or G, two-sided as G with a RANGES entry,
/// free rows as N (after the objective; read them back with `keepFreeRows`).
/// Integer columns (``LinearProgram/integrality``) are written inside `MARKER`
/// `INTORG` … `INTEND` blocks, each with an explicit bound so that no reader applies
/// the binary default of unbounded marker columns.
/// Names must not contain blanks (free MPS); unnamed rows/columns get R<i>/C<j>.
public enum MPSWriter {
    public static func write(_ lp: LinearProgram) -> String {
        var out = ""
        out.reserveCapacity(64 * (lp.matrix.nonzeros + lp.rowCount + lp.columnCount))
        func num(_ v: Double) -> String {
            if v == .infinity { return "1e+30" }
            if v == -.infinity { return "-1e+30" }
            if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
            return "\(v)"
        }
        let objName = lp.objectiveName.isEmpty ? "obj" : lp.objectiveName
        out += "NAME \(lp.name.isEmpty ? "flexdispatch" : lp.name)\n"
        if lp.sense == .maximize { out += "OBJSENSE\n    MAX\n" }
        out += "ROWS\n N  \(objName)\n"
        for i in 0..<lp.rowCount {
            let l = lp.rowLower[i], u = lp.rowUpper[i]
            let type: String
            if l == u { type = "E" } else if l == -.infinity && u == .infinity { type = "N" } else if l == -.infinity { type = "L" } else { type = "G" }
            out += " \(type)  \(lp.rowName(i))\n"
        }
        out += "COLUMNS\n"
        let a = lp.matrix
        func isInteger(_ j: Int) -> Bool { j < lp.integrality.count && lp.integrality[j] }
        var markers = 0
        for j in 0..<lp.columnCount {
            let name = lp.columnName(j)
            if isInteger(j) != (j > 0 && isInteger(j - 1)) {
                out += isInteger(j) ? "    MARKER\(markers)  'MARKER'  'INTORG'\n" : "    MARKER\(markers)  'MARKER'  'INTEND'\n"
                markers += 1
            }
            // A column without entries is declared by a zero objective entry.
            if lp.objective[j] != 0 || a.columnStarts[j] == a.columnStarts[j + 1] {
                out += "    \(name)  \(objName)  \(num(lp.objective[j]))\n"
            }
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                out += "    \(name)  \(lp.rowName(a.rowIndices[k]))  \(num(a.values[k]))\n"
            }
        }
        if lp.columnCount > 0 && isInteger(lp.columnCount - 1) { out += "    MARKER\(markers)  'MARKER'  'INTEND'\n" }
        out += "RHS\n"
        if lp.objectiveOffset != 0 { out += "    RHS  \(objName)  \(num(-lp.objectiveOffset))\n" }
        for i in 0..<lp.rowCount {
            let l = lp.rowLower[i], u = lp.rowUpper[i]
            let b = l == -.infinity ? u : l
            if b.isFinite && b != 0 { out += "    RHS  \(lp.rowName(i))  \(num(b))\n" }
        }
        var ranges = ""
        for i in 0..<lp.rowCount where lp.rowLower[i] != lp.rowUpper[i] && lp.rowLower[i].isFinite && lp.rowUpper[i].isFinite {
            ranges += "    RNG  \(lp.rowName(i))  \(num(lp.rowUpper[i] - lp.rowLower[i]))\n"
        }
        if !ranges.isEmpty { out += "RANGES\n" + ranges }
        var bounds = ""
        for j in 0..<lp.columnCount {
            let l = lp.columnLower[j], u = lp.columnUpper[j], name = lp.columnName(j)
            if l == u { bounds += " FX BND  \(name)  \(num(l))\n"; continue }
            if l == -.infinity && u == .infinity { bounds += " FR BND  \(name)\n"; continue }
            if l == -.infinity { bounds += " MI BND  \(name)\n" } else if l != 0 { bounds += " LO BND  \(name)  \(num(l))\n" }
            if u != .infinity { bounds += " UP BND  \(name)  \(num(u))\n" } else if isInteger(j) && l == 0 { bounds += " PL BND  \(name)\n" }
        }
        if !bounds.isEmpty { out += "BOUNDS\n" + bounds }
        out += "ENDATA\n"
        return out
    }

    /// Writes atomically (temporary file in the same folder, then rename).
    public static func write(_ lp: LinearProgram, to path: String) throws {
        try AtomicFile.write(Data(write(lp).utf8), to: path)
    }
}

/// Writes files atomically: the content goes to a temporary file beside the target,
/// which is then renamed over it, so a reader never sees a half-written file.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try data.write(to: url, options: .atomic)
    }
}
