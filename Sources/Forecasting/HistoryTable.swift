import DataFiles
import Foundation

/// A history CSV parsed once: every column averaged to hours on the file's gap-free hourly
/// grid, so that each series, and its drivers, is taken from it without reading the text
/// again (a park's history file holds dozens of series).
///
/// Errors are those ``HistoryReader/read(data:file:column:drivers:)`` throws for the same
/// series, in the same order: the file's own (no header, an empty file) first, then an
/// unknown column, then whichever comes first in the file — a row that breaks the file (its
/// field count, its time, times that do not increase), which stops the reading for every
/// series, or a value of the series or of one of its drivers that is not a number or is
/// beyond ±``HistoryReader/maxMagnitude``, which fails only the series that read it.
///
/// ```swift
/// let table = HistoryTable(data: Data(csv.utf8), file: "history.csv")
/// let load = try table.series("f01_load")
/// let pv = try table.series("pv", drivers: ["ghi"])
/// ```
public struct HistoryTable: Sendable {
    public let file: String
    /// The header's names (the first is the time column's).
    public let header: [String]
    private let fileError: HistoryError?
    /// Whether each column (by header index) was read.
    private let reads: [Bool]
    /// The first row that broke the file, when one did: rows from it on are not read.
    private let rowError: HistoryError?
    /// The first value error of each column (by header index), if any.
    private let valueErrors: [HistoryError?]
    private let firstHour: Int
    /// Per column (by header index) and grid hour: the sum and number of the samples.
    private let sums: [[Double]]
    private let counts: [[Int]]
    /// The local date and hour of each grid hour's first row (nil for an hour without rows).
    private let wall: [(date: String, hour: Int)?]

    /// Parses `data` (a CSV whose first column is the interval-start time); `file` names it
    /// in errors. `columns`: the only columns whose values are read (all when nil); a
    /// series or driver outside them is then refused as an unknown column. Never throws:
    /// the errors are kept for the series that meet them.
    public init(data: Data, file path: String, columns wanted: Set<String>? = nil) {
        file = path
        var lines: [Substring] = []
        var header: [String] = []
        var fileError: HistoryError?
        do throws(CSVText.Failure) {
            lines = try CSVText.lines(data)
            if let head = lines.first {
                header = try CSVText.header(head, first: CSVText.fields(head).first ?? "")
            } else {
                fileError = HistoryError(file: path, line: 0, message: "empty file")
            }
        } catch {
            fileError = HistoryError(file: path, line: error.line, message: error.message)
        }
        self.header = header
        self.fileError = fileError
        let columns = header.count
        let reads = (0..<columns).map { $0 > 0 && (wanted?.contains(header[$0]) ?? true) }
        self.reads = reads
        var sums = [[Double]](repeating: [], count: columns)
        var counts = [[Int]](repeating: [], count: columns)
        var wall: [(date: String, hour: Int)?] = []
        var valueErrors = [HistoryError?](repeating: nil, count: columns)
        var rowError: HistoryError?
        var previous = (instant: Int.min, text: "", line: 0)
        var firstHour = Int.max
        if fileError == nil {
            for (k, line) in lines.dropFirst().enumerated() {
                let lineNumber = k + 2
                let f = CSVText.fields(line)
                guard f.count == columns else {
                    rowError = HistoryError(file: path, line: lineNumber, message: "\(f.count) fields, the header has \(columns)")
                    break
                }
                guard let stamp = TimeParser.parse(f[0][...]) else {
                    rowError = HistoryError(file: path, line: lineNumber,
                                            message: "'\(CSVText.printable(f[0]))' is not a timestamp (YYYY-MM-DDTHH:MM[:SS] with Z, an offset, or bare)")
                    break
                }
                guard stamp.instant > previous.instant else {
                    let same = stamp.instant == previous.instant
                    rowError = HistoryError(file: path, line: lineNumber, message: same
                        ? (f[0] == previous.text ? "duplicate time '\(f[0])'"
                           : "time '\(f[0])' is the same instant as '\(previous.text)' on line \(previous.line) (written with another UTC offset)")
                        : "time '\(f[0])' goes backwards (line \(previous.line) has '\(previous.text)')")
                    break
                }
                previous = (stamp.instant, f[0], lineNumber)
                let hour = Int((Double(stamp.instant) / 3600).rounded(.down)) * 3600
                if firstHour == Int.max { firstHour = hour }
                // Times increase, so the grid only grows at its end.
                let slot = (hour - firstHour) / 3600
                while wall.count <= slot {
                    wall.append(nil)
                    for c in 1..<max(columns, 1) where reads[c] {
                        sums[c].append(0)
                        counts[c].append(0)
                    }
                }
                if wall[slot] == nil { wall[slot] = (stamp.wallDate, stamp.wallMinutes / 60) }
                for c in 1..<max(columns, 1) where reads[c] {
                    let s = f[c]
                    if s.isEmpty || valueErrors[c] != nil { continue }
                    guard let v = CSVText.number(s) else {
                        valueErrors[c] = HistoryError(file: path, line: lineNumber,
                                                      message: "column '\(header[c])': '\(CSVText.printable(s))' is not a decimal number")
                        continue
                    }
                    guard abs(v) <= HistoryReader.maxMagnitude else {
                        valueErrors[c] = HistoryError(file: path, line: lineNumber,
                                                      message: "column '\(header[c])': \(s) is beyond ±\(String(format: "%.0e", HistoryReader.maxMagnitude)), the largest value a history may hold")
                        continue
                    }
                    sums[c][slot] += v
                    counts[c][slot] += 1
                }
            }
        }
        self.rowError = rowError
        self.valueErrors = valueErrors
        self.firstHour = firstHour
        self.sums = sums
        self.counts = counts
        self.wall = wall
    }

    /// Hourly `column` with `drivers` on the same grid; throws the error the reader would
    /// throw for them (see the type's description).
    public func series(_ column: String, drivers: [String] = []) throws(HistoryError) -> HourlySeries {
        if let fileError { throw fileError }
        func index(_ name: String) throws(HistoryError) -> Int {
            guard let i = header.firstIndex(of: name), i > 0, reads[i] else {
                throw HistoryError(file: file, line: 1, message: "no column '\(name)' (columns: \(header.dropFirst().joined(separator: ", ")))")
            }
            return i
        }
        let target = try index(column)
        var driverIndex: [Int] = []
        for d in drivers { driverIndex.append(try index(d)) }
        // The first error in the file's order; on one line a broken row comes before its
        // values, and the series' own value before its drivers'.
        var first = rowError
        for c in [target] + driverIndex {
            if let e = valueErrors[c], e.line < (first?.line ?? Int.max) { first = e }
        }
        if let first { throw first }
        guard !wall.isEmpty else { throw HistoryError(file: file, line: 0, message: "no data rows") }
        let n = wall.count
        func averages(_ c: Int) -> [Double?] {
            (0..<n).map { k in counts[c][k] > 0 ? sums[c][k] / Double(counts[c][k]) : nil }
        }
        var days = [String](repeating: "", count: n), hours = [Int](repeating: 0, count: n)
        var lastOffset = 0
        for k in 0..<n {
            let h = firstHour + k * 3600
            if let w = wall[k] {
                days[k] = w.date
                hours[k] = w.hour
                let wallSeconds = TimeParser.daysFromCivil(Int(w.date.prefix(4))!, Int(w.date.dropFirst(5).prefix(2))!,
                                                           Int(w.date.suffix(2))!) * 86400 + w.hour * 3600
                lastOffset = wallSeconds - h
            } else {
                // A gap: carry the last known UTC offset to place the hour on the local clock.
                let local = h + lastOffset
                days[k] = TimeParser.civil(fromDays: Int((Double(local) / 86400).rounded(.down)))
                hours[k] = ((local % 86400) + 86400) % 86400 / 3600
            }
        }
        var driverValues: [String: [Double?]] = [:]
        for (j, name) in drivers.enumerated() { driverValues[name] = averages(driverIndex[j]) }
        return HourlySeries(values: averages(target), start: firstHour, localDay: days, localHour: hours, drivers: driverValues)
    }
}
