import LinearAlgebra

/// Reads MPS files, fixed or free format, plain or gzip-compressed.
///
/// Supported: NAME, OBJSENSE (section or same-line form), OBJNAME, ROWS, COLUMNS with
/// integer `MARKER` blocks (`INTORG` … `INTEND`), RHS (an entry on the objective row is
/// the objective constant −rhs), RANGES, BOUNDS with UP LO FX FR MI PL BV LI UI, ENDATA;
/// CRLF line ends; `*` comments; names with embedded blanks in fixed format; empty
/// RHS/RANGES/BOUNDS set names. Values with |v| ≥ 1e30 are infinite.
/// Conventions: UP with a negative value on a column whose lower bound is 0 makes the
/// lower bound −∞ (as CPLEX and HiGHS do); N rows after the first are dropped unless
/// `keepFreeRows`, in which case they become free rows (−∞, +∞). Columns in a marker
/// block and columns with a BV, LI or UI bound are marked integer
/// (``LinearProgram/integrality``); a marker-block column that the BOUNDS section does
/// not name is binary, with bounds [0, 1] (as HiGHS reads it).
public struct MPSReader {
    /// The MPS dialect: fixed columns, free (white-space separated), or decided from the file.
    public enum Format: String, Sendable, CaseIterable { case auto, fixed, free }

    /// How a file is read: its dialect and the limits that keep a hostile file from exhausting memory.
    public struct Options: Sendable {
        public var format: Format = .auto
        public var keepFreeRows = false
        public init(format: Format = .auto, keepFreeRows: Bool = false) {
            self.format = format
            self.keepFreeRows = keepFreeRows
        }
    }

    /// Notes about conventions applied while reading (e.g. a negative UP bound).
    public private(set) var warnings: [String] = []

    /// Reads a file (`.gz` or plain).
    public static func read(path: String, options: Options = Options()) throws -> LinearProgram {
        try parse(bytes: TextFile.readBytes(path), file: path, options: options)
    }

    /// Parses MPS text. `file` is used in error messages.
    public static func parse(_ text: String, file: String = "<mps>", options: Options = Options()) throws -> LinearProgram {
        try parse(bytes: Array(text.utf8), file: file, options: options)
    }

    /// Parses MPS text given as UTF-8 bytes.
    static func parse(bytes: [UInt8], file: String, options: Options) throws -> LinearProgram {
        let lines = MPSBytes.lines(bytes)
        func pass(fixed: Bool) throws -> LinearProgram {
            try bytes.withUnsafeBufferPointer { buffer in
                var p = MPSParse(bytes: buffer, lines: lines, file: file, fixed: fixed, keepFreeRows: options.keepFreeRows)
                return try p.run()
            }
        }
        switch options.format {
        case .fixed: return try pass(fixed: true)
        case .free: return try pass(fixed: false)
        case .auto:
            do {
                return try pass(fixed: false)
            } catch let freeError as MPSError {
                do {
                    return try pass(fixed: true)
                } catch let fixedError as MPSError {
                    throw fixedError.line > freeError.line ? fixedError : freeError
                }
            }
        }
    }
}

/// One pass over the lines of an MPS file in one format.
private struct MPSParse {
    let bytes: UnsafeBufferPointer<UInt8>
    let lines: [Range<Int>]
    let file: String
    let fixed: Bool
    let keepFreeRows: Bool

    var name = ""
    var sense = ObjectiveSense.minimize
    var objectiveName: String?
    var rowIndex: [String: Int] = [:]
    var droppedRows: Set<String> = []
    var rowNames: [String] = []
    var rowType: [UInt8] = []  // E, L, G, N (kept free rows)
    var rhs: [Double] = []
    /// The line of each row's RHS entry (0: none yet); the objective's at `offsetLine`.
    var rhsLine: [Int] = []
    var offsetLine = 0
    var range: [Double?] = []
    var columnIndex: [String: Int] = [:]
    var columnNames: [String] = []
    var cost: [Double] = []
    var costSeen: [Bool] = []
    var lower: [Double] = []
    var upper: [Double] = []
    var integer: [Bool] = []
    /// Columns declared inside an INTORG … INTEND block.
    var inMarkerBlock: [Bool] = []
    /// Columns the BOUNDS section names.
    var boundGiven: [Bool] = []
    var markerOpen = false
    var tripletRows: [Int] = []
    var tripletColumns: [Int] = []
    var tripletValues: [Double] = []
    var tripletLines: [Int] = []
    var offset = 0.0
    var lineNumber = 0

    init(bytes: UnsafeBufferPointer<UInt8>, lines: [Range<Int>], file: String, fixed: Bool, keepFreeRows: Bool) {
        self.bytes = bytes
        self.lines = lines
        self.file = file
        self.fixed = fixed
        self.keepFreeRows = keepFreeRows
    }

    func fail(_ message: String) -> MPSError { MPSError(file: file, line: lineNumber, message: message) }

    func number(_ s: String, _ what: @autoclosure () -> String) throws -> Double {
        // Fortran-style exponents (1.5D+03) are accepted too.
        let t = s.utf8.contains(where: { $0 == UInt8(ascii: "D") || $0 == UInt8(ascii: "d") })
            ? s.replacingOccurrences(of: "D", with: "E").replacingOccurrences(of: "d", with: "e") : s
        guard !t.isEmpty, let v = Double(t), !v.isNaN,
              t.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 69 || $0 == 101 }) else {
            throw fail("bad number '\(s)' for \(what())")
        }
        if v >= 1e30 { return .infinity }
        if v <= -1e30 { return -.infinity }
        return v
    }

    mutating func run() throws -> LinearProgram {
        var section: MPSSection?
        var sawEnd = false
        var lastColumn = -1
        for (k, lineRange) in lines.enumerated() {
            lineNumber = k + 1
            let raw = bytes[lineRange]
            guard let first = raw.first, first != UInt8(ascii: "*"), !raw.allSatisfy(MPSBytes.isBlank) else { continue }
            if !MPSBytes.isBlank(first) {
                let tokens = MPSBytes.tokens(raw).map(MPSBytes.string)
                let head = tokens[0].uppercased()
                let key = head == "OBJSENS" ? "OBJSENSE" : head
                guard let s = MPSSection(rawValue: key) else { throw fail("unknown section '\(tokens[0])'") }
                section = s
                switch s {
                case .name:
                    name = fixed ? MPSBytes.trimmedString(raw.dropFirst(14))
                                 : tokens.dropFirst().joined(separator: " ")
                case .objsense where tokens.count > 1:
                    try setSense(tokens[1])
                case .objname where tokens.count > 1:
                    objectiveName = tokens[1]
                case .endata:
                    sawEnd = true
                default: break
                }
                if sawEnd { break }
                continue
            }
            guard let s = section else { throw fail("data line before any section") }
            switch s {
            case .name: throw fail("unexpected data in NAME section")
            case .endata: break
            case .objsense: try setSense(MPSBytes.trimmedString(raw))
            case .objname: objectiveName = MPSBytes.trimmedString(raw)
            case .rows: try readRow(fields(raw, s))
            case .columns:
                if raw.contains(UInt8(ascii: "'")), MPSBytes.contains(raw, upperCased: Array("'MARKER'".utf8)) {
                    if MPSBytes.contains(raw, upperCased: Array("'INTORG'".utf8)) {
                        guard !markerOpen else { throw fail("INTORG marker inside an open integer block") }
                        markerOpen = true
                    } else if MPSBytes.contains(raw, upperCased: Array("'INTEND'".utf8)) {
                        guard markerOpen else { throw fail("INTEND marker without an INTORG") }
                        markerOpen = false
                    } else {
                        throw fail("unknown MARKER line")
                    }
                    continue
                }
                let f = try fields(raw, s)
                try readColumn(f, &lastColumn)
            case .rhs: try readRHS(fields(raw, s))
            case .ranges: try readRange(fields(raw, s))
            case .bounds: try readBound(fields(raw, s))
            }
        }
        lineNumber = lines.lastIndex(where: { !$0.isEmpty }).map { $0 + 1 } ?? 0
        guard sawEnd else { throw fail("missing ENDATA (file truncated?)") }
        guard !markerOpen else { throw fail("integer MARKER block opened with INTORG is never closed (INTEND)") }
        guard !rowType.isEmpty || objectiveName != nil || !columnNames.isEmpty || !name.isEmpty else {
            throw fail("no ROWS section")
        }
        return try assemble()
    }

    func fields(_ raw: MPSLine, _ s: MPSSection) throws -> MPSFields {
        if fixed { return MPSFields.fixed(raw) }
        guard let f = MPSFields.free(raw, section: s) else {
            throw fail("cannot split line into \(s.rawValue) fields")
        }
        return f
    }

    mutating func setSense(_ word: String) throws {
        switch word.uppercased() {
        case "MAX", "MAXIMIZE", "MAXIMISE": sense = .maximize
        case "MIN", "MINIMIZE", "MINIMISE": sense = .minimize
        default: throw fail("unknown objective sense '\(word)'")
        }
    }

    mutating func readRow(_ f: MPSFields) throws {
        let type = f.type.uppercased()
        let rowName = f.name1
        guard !rowName.isEmpty else { throw fail("row without a name") }
        guard rowIndex[rowName] == nil, objectiveName != rowName, !droppedRows.contains(rowName) else {
            throw fail("duplicate row '\(rowName)'")
        }
        switch type {
        case "N":
            if objectiveName == nil { objectiveName = rowName; return }
            if !keepFreeRows { droppedRows.insert(rowName); return }
            fallthrough
        case "E", "L", "G":
            rowIndex[rowName] = rowNames.count
            rowNames.append(rowName)
            rowType.append(type.utf8.first!)
            rhs.append(0)
            rhsLine.append(0)
            range.append(nil)
        default:
            throw fail("unknown row type '\(f.type)' for row '\(rowName)'")
        }
    }

    mutating func readColumn(_ f: MPSFields, _ lastColumn: inout Int) throws {
        let col = f.name1
        guard !col.isEmpty else { throw fail("COLUMNS entry without a column name") }
        let j: Int
        if let existing = columnIndex[col] {
            j = existing
        } else {
            j = columnNames.count
            columnIndex[col] = j
            columnNames.append(col)
            cost.append(0)
            costSeen.append(false)
            lower.append(0)
            upper.append(.infinity)
            integer.append(markerOpen)
            inMarkerBlock.append(markerOpen)
            boundGiven.append(false)
        }
        if markerOpen { integer[j] = true; inMarkerBlock[j] = true }
        lastColumn = j
        try addEntry(j, f.name2, f.number1)
        if !f.name3.isEmpty || !f.number2.isEmpty { try addEntry(j, f.name3, f.number2) }
    }

    mutating func addEntry(_ j: Int, _ row: String, _ value: String) throws {
        guard !row.isEmpty else { throw fail("COLUMNS entry of '\(columnNames[j])' without a row name") }
        let v = try number(value, "column '\(columnNames[j])', row '\(row)'")
        guard v.isFinite else { throw fail("infinite coefficient for column '\(columnNames[j])', row '\(row)'") }
        if row == objectiveName {
            if costSeen[j] { throw fail("duplicate entry for column '\(columnNames[j])' in objective '\(row)'") }
            costSeen[j] = true
            cost[j] = v
            return
        }
        guard let i = rowIndex[row] else {
            if droppedRows.contains(row) { return }
            throw fail("undeclared row '\(row)' in column '\(columnNames[j])'")
        }
        tripletRows.append(i)
        tripletColumns.append(j)
        tripletValues.append(v)
        tripletLines.append(lineNumber)
    }

    mutating func readRHS(_ f: MPSFields) throws {
        for (row, value) in [(f.name2, f.number1), (f.name3, f.number2)] where !row.isEmpty || !value.isEmpty {
            let v = try number(value, "RHS of row '\(row)'")
            if row == objectiveName {
                guard offsetLine == 0 else { throw fail("duplicate RHS entry for the objective '\(row)' (first on line \(offsetLine))") }
                offset = -v
                offsetLine = lineNumber
                continue
            }
            if droppedRows.contains(row) { continue }
            guard let i = rowIndex[row] else { throw fail("undeclared row '\(row)' in RHS") }
            guard v.isFinite else { throw fail("infinite RHS for row '\(row)'") }
            guard rhsLine[i] == 0 else { throw fail("duplicate RHS entry for row '\(row)' (first on line \(rhsLine[i]))") }
            rhs[i] = v
            rhsLine[i] = lineNumber
        }
    }

    mutating func readRange(_ f: MPSFields) throws {
        for (row, value) in [(f.name2, f.number1), (f.name3, f.number2)] where !row.isEmpty || !value.isEmpty {
            let v = try number(value, "RANGE of row '\(row)'")
            if row == objectiveName || droppedRows.contains(row) { continue }
            guard let i = rowIndex[row] else { throw fail("undeclared row '\(row)' in RANGES") }
            guard range[i] == nil else { throw fail("duplicate RANGES entry for row '\(row)'") }
            range[i] = v
        }
    }

    mutating func readBound(_ f: MPSFields) throws {
        let col = f.name2
        guard let j = columnIndex[col] else { throw fail("undeclared column '\(col)' in BOUNDS") }
        let type = f.type.uppercased()
        let needsValue = type == "UP" || type == "UI" || type == "LO" || type == "LI" || type == "FX"
        let v = needsValue ? try number(f.number1, "\(type) bound of '\(col)'") : 0
        switch type {
        case "UP", "UI":
            if v < 0 && lower[j] == 0 { lower[j] = -.infinity }
            upper[j] = v
        case "LO", "LI": lower[j] = v
        case "FX":
            guard v.isFinite else { throw fail("infinite FX bound for '\(col)'") }
            lower[j] = v; upper[j] = v
        case "FR": lower[j] = -.infinity; upper[j] = .infinity
        case "MI": lower[j] = -.infinity
        case "PL": upper[j] = .infinity
        case "BV": lower[j] = 0; upper[j] = 1
        default: throw fail("unknown bound type '\(f.type)' for column '\(col)'")
        }
        boundGiven[j] = true
        if type == "BV" || type == "LI" || type == "UI" { integer[j] = true }
    }

    mutating func assemble() throws -> LinearProgram {
        let m = rowNames.count, n = columnNames.count
        // Duplicate (row, column) pairs: stamp rows per column.
        var stamp = [Int](repeating: -1, count: m)
        var order = Array(0..<tripletRows.count)
        order.sort { tripletColumns[$0] != tripletColumns[$1] ? tripletColumns[$0] < tripletColumns[$1] : $0 < $1 }
        for k in order {
            let i = tripletRows[k], j = tripletColumns[k]
            if stamp[i] == j {
                lineNumber = tripletLines[k]
                throw fail("duplicate entry for column '\(columnNames[j])' in row '\(rowNames[i])'")
            }
            stamp[i] = j
        }
        var triplets: [(row: Int, column: Int, value: Double)] = []
        triplets.reserveCapacity(tripletRows.count)
        for k in 0..<tripletRows.count { triplets.append((tripletRows[k], tripletColumns[k], tripletValues[k])) }
        let a = try SparseMatrix(rows: m, columns: n, triplets: triplets)
        var rl = [Double](repeating: 0, count: m), ru = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let b = rhs[i]
            switch rowType[i] {
            case UInt8(ascii: "E"):
                if let r = range[i] {
                    if r >= 0 { rl[i] = b; ru[i] = b + r } else { rl[i] = b + r; ru[i] = b }
                } else { rl[i] = b; ru[i] = b }
            case UInt8(ascii: "L"): rl[i] = range[i].map { b - abs($0) } ?? -.infinity; ru[i] = b
            case UInt8(ascii: "G"): rl[i] = b; ru[i] = range[i].map { b + abs($0) } ?? .infinity
            default: rl[i] = -.infinity; ru[i] = .infinity
            }
        }
        for j in 0..<n where inMarkerBlock[j] && !boundGiven[j] { upper[j] = 1 }
        return LinearProgram(name: name, sense: sense, objective: cost, objectiveOffset: offset, matrix: a,
                             rowLower: rl, rowUpper: ru, columnLower: lower, columnUpper: upper,
                             rowNames: rowNames, columnNames: columnNames, objectiveName: objectiveName ?? "obj",
                             integrality: integer.contains(true) ? integer : [])
    }
}
