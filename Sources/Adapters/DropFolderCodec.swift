import DataFiles
import Foundation

/// Pure decoding of the files legacy systems drop (no I/O): CSV in long form
/// (`time,series,value[,unit]`), CSV in wide form (`time,<column>,…`, columns mapped to
/// series), or a JSON array of `{"time", "series", "value"[, "unit"]}`. Times are ISO-8601
/// with `Z` or an offset. A structural error (bad header, wrong field count, unparseable
/// time or number, malformed JSON) rejects the whole file with its line; an empty field
/// is a missing value (the validator rejects that sample alone).
public enum DropFolderCodec {
    public struct FileError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
    }

    public static func decode(_ data: Data, name: String, columns: [String: FeedConfig.ColumnMapping]) throws -> [RawSample] {
        if name.lowercased().hasSuffix(".json") { return try json(data, columns: columns) }
        return try csv(data, columns: columns)
    }

    /// An ISO-8601 time with `Z` or an offset (TimeParser: no formatter per row).
    static func instant(_ s: String) -> Date? { TimeParser.instant(s) }

    static func mapped(_ name: String, _ unit: String?, _ columns: [String: FeedConfig.ColumnMapping]) -> (String, String?, Double) {
        guard let m = columns[name] else { return (name, unit, 1) }
        return (m.series, unit ?? m.unit, m.scale)
    }

    static func csv(_ data: Data, columns: [String: FeedConfig.ColumnMapping]) throws -> [RawSample] {
        let lines: [[String]]
        do { lines = try CSVText.lines(data).map(CSVText.fields) } catch { throw FileError(line: error.line, message: error.message) }
        guard let header = lines.first, header.first == "time", header.count >= 2 else {
            throw FileError(line: 1, message: "the header must start with 'time' and name at least one column")
        }
        let long = header.count >= 3 && header[1] == "series" && header[2] == "value"
        if long && !(header.count == 3 || (header.count == 4 && header[3] == "unit")) {
            throw FileError(line: 1, message: "long form is time,series,value[,unit]")
        }
        var out: [RawSample] = []
        for (k, f) in lines.enumerated().dropFirst() where !(f.count == 1 && f[0].isEmpty) {
            guard f.count == header.count else { throw FileError(line: k + 1, message: "\(f.count) fields, the header has \(header.count)") }
            guard let time = instant(f[0]) else {
                throw FileError(line: k + 1, message: "'\(CSVText.printable(f[0]))' is not an ISO-8601 time with Z or an offset")
            }
            func number(_ s: String) throws -> Double? {
                if s.isEmpty { return nil }
                guard let v = CSVText.number(s) else { throw FileError(line: k + 1, message: "'\(CSVText.printable(s))' is not a number") }
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
        return out
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
