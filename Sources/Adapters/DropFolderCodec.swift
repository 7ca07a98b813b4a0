import DataFiles
import Foundation

/// Pure decoding of the files legacy systems drop (no I/O): CSV in long form
/// (`time,series,value[,unit]`), CSV in wide form (`time,<column>,…`, columns mapped to
/// series), or a JSON array of `{"time", "series", "value"[, "unit"]}`. Times are ISO-8601
/// with `Z` or an offset. A structural error (bad header, wrong field count, unparseable
/// time or number, malformed JSON) rejects the whole file with its line; an empty field
/// is a missing value (the validator rejects that sample alone).
public enum DropFolderCodec {
    /// A structural error that rejects the whole file, with its line (0: the file as a whole).
    public struct FileError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
    }

    public static func decode(_ data: Data, name: String, columns: [String: FeedConfig.ColumnMapping]) throws -> [RawSample] {
        var all: [RawSample] = []
        try decode(data, name: name, columns: columns, chunk: .max) { all += $0 }
        return all
    }

    /// Decodes the file in parts of at most `chunk` samples, in order, handing each part to
    /// `body` before the next is decoded (a CSV file is never held as rows of fields, so a
    /// large file costs its bytes plus one part). A structural error is thrown when its line
    /// is reached, after the parts before it were handed on.
    public static func decode(_ data: Data, name: String, columns: [String: FeedConfig.ColumnMapping], chunk: Int,
                              _ body: ([RawSample]) throws -> Void) throws {
        if name.lowercased().hasSuffix(".json") {
            let all = try json(data, columns: columns)
            for start in stride(from: 0, to: all.count, by: max(1, chunk)) { try body(Array(all[start..<min(all.count, start + max(1, chunk))])) }
            return
        }
        try csv(data, columns: columns, chunk: max(1, chunk), body)
    }

    /// An ISO-8601 time with `Z` or an offset (TimeParser: no formatter per row).
    static func instant(_ s: String) -> Date? { TimeParser.instant(s) }

    static func mapped(_ name: String, _ unit: String?, _ columns: [String: FeedConfig.ColumnMapping]) -> (String, String?, Double) {
        guard let m = columns[name] else { return (name, unit, 1) }
        return (m.series, unit ?? m.unit, m.scale)
    }

    static func csv(_ data: Data, columns: [String: FeedConfig.ColumnMapping], chunk: Int, _ body: ([RawSample]) throws -> Void) throws {
        var header: [String] = []
        var long = false
        var line = 0
        var out: [RawSample] = []
        do {
            try CSVText.forEachRecord(data) { record in
                line += 1
                let f = CSVText.fields(record)
                if line == 1 {
                    header = f
                    guard header.first == "time", header.count >= 2 else {
                        throw FileError(line: 1, message: "the header must start with 'time' and name at least one column")
                    }
                    long = header.count >= 3 && header[1] == "series" && header[2] == "value"
                    if long && !(header.count == 3 || (header.count == 4 && header[3] == "unit")) {
                        throw FileError(line: 1, message: "long form is time,series,value[,unit]")
                    }
                    return
                }
                if f.count == 1 && f[0].trimmingCharacters(in: .whitespaces).isEmpty { return }
                try row(f, line: line, header: header, long: long, columns: columns, into: &out)
                if out.count >= chunk {
                    try body(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        } catch let e as CSVText.Failure { throw FileError(line: e.line, message: e.message) }
        guard line > 0 else { throw FileError(line: 1, message: "the header must start with 'time' and name at least one column") }
        if !out.isEmpty { try body(out) }
    }

    /// One data row's samples: one in long form, one per column in wide form.
    static func row(_ f: [String], line: Int, header: [String], long: Bool, columns: [String: FeedConfig.ColumnMapping],
                    into out: inout [RawSample]) throws {
        guard f.count == header.count else { throw FileError(line: line, message: "\(f.count) fields, the header has \(header.count)") }
        guard let time = instant(f[0]) else {
            throw FileError(line: line, message: "'\(CSVText.printable(f[0]))' is not an ISO-8601 time with Z or an offset")
        }
        func number(_ s: String) throws -> Double? {
            if s.isEmpty { return nil }
            guard let v = CSVText.number(s) else { throw FileError(line: line, message: "'\(CSVText.printable(s))' is not a number") }
            return v
        }
        if long {
            let (series, unit, scale) = mapped(f[1], header.count == 4 && !f[3].isEmpty ? f[3] : nil, columns)
            out.append(RawSample(series: series, time: time, value: try number(f[2]).map { $0 * scale }, unit: unit))
        } else {
            for c in 1..<header.count {
                let (series, unit, scale) = mapped(header[c], nil, columns)
                out.append(RawSample(series: series, time: time, value: try number(f[c]).map { $0 * scale }, unit: unit))
            }
        }
    }

    static func json(_ data: Data, columns: [String: FeedConfig.ColumnMapping]) throws -> [RawSample] {
        let any: Any
        do { any = try JSONSyntax.parse(data) } catch {
            throw FileError(line: error.line, message: "malformed JSON: column \(error.column): \(error.message)")
        }
        guard let list = any as? [[String: Any]] else { throw FileError(line: 0, message: "expected a JSON array of objects") }
        return try list.enumerated().map { k, o in
            guard let name = o["series"] as? String, let t = o["time"] as? String else {
                throw FileError(line: 0, message: "element \(k): needs 'time' and 'series'")
            }
            guard let time = instant(t) else { throw FileError(line: 0, message: "element \(k): '\(t)' is not an ISO-8601 time with Z or an offset") }
            let value: Double?
            if o["value"] == nil || o["value"] is NSNull { value = nil } else if let n = o["value"] as? NSNumber, String(cString: n.objCType) != "c" {
                value = n.doubleValue
            } else { throw FileError(line: 0, message: "element \(k): 'value' is not a number") }
            let (series, unit, scale) = mapped(name, o["unit"] as? String, columns)
            return RawSample(series: series, time: time, value: value.map { $0 * scale }, unit: unit)
        }
    }
}
