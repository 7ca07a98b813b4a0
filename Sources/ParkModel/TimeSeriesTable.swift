import Foundation

/// timeseries.csv: first column `time` (ISO-8601 with a UTC offset), then one column per
/// series; exactly `steps` rows on the grid start + k·stepMinutes.
struct TimeSeriesTable {
    var times: [String] = []
    var columns: [String: [Double]] = [:]

    static func read(path: String, file: String, start: Date?, stepMinutes: Int?, steps: Int?, log: IssueLog) -> TimeSeriesTable? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            log.add("\(file): cannot read the file")
            return nil
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let headerLine = lines.first else { log.add("\(file): empty file"); return nil }
        let header = splitCSV(headerLine)
        guard header.first == "time" else { log.add("\(file): line 1: the first column must be 'time'"); return nil }
        var table = TimeSeriesTable()
        var seen: Set<String> = ["time"]
        var ok = true
        for name in header.dropFirst() {
            if name.isEmpty { log.add("\(file): line 1: empty column name"); ok = false }
            if !seen.insert(name).inserted { log.add("\(file): duplicate header '\(name)'"); ok = false }
        }
        guard ok else { return nil }
        var values = [[Double]](repeating: [], count: header.count)
        for (k, line) in lines.dropFirst().enumerated() {
            let lineNumber = k + 2
            let fields = splitCSV(line)
            guard fields.count == header.count else {
                log.add("\(file): line \(lineNumber): \(fields.count) fields, the header has \(header.count)")
                continue
            }
            let stamp = fields[0]
            if let date = parseInstant(stamp) {
                if let start, let stepMinutes {
                    let expected = start.addingTimeInterval(Double(k * stepMinutes * 60))
                    if abs(date.timeIntervalSince(expected)) > 0.5 {
                        log.add("\(file): line \(lineNumber): time '\(stamp)' is off the step grid (expected step \(k) at start + \(k * stepMinutes) min)")
                    }
                }
            } else {
                log.add("\(file): line \(lineNumber): time '\(stamp)' is not an ISO-8601 timestamp with a UTC offset")
            }
            table.times.append(stamp)
            for c in 1..<header.count {
                let f = fields[c]
                if f.isEmpty {
                    log.add("\(file): line \(lineNumber): series '\(header[c])': missing value")
                    values[c].append(.nan)
                } else if let v = Double(f), v.isFinite, f.allSatisfy({ "0123456789+-.eE".contains($0) }) {
                    values[c].append(v)
                } else {
                    log.add("\(file): line \(lineNumber): series '\(header[c])': '\(f)' is not a decimal number")
                    values[c].append(.nan)
                }
            }
        }
        if let steps, table.times.count != steps {
            log.add("\(file): \(table.times.count) data rows, the scenario has steps = \(steps)")
        }
        for c in 1..<header.count { table.columns[header[c]] = values[c] }
        return table
    }

    /// Splits one CSV line (RFC 4180 quoting: "a,b" is one field, "" an escaped quote),
    /// trimming blanks around unquoted fields.
    static func splitCSV(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var chars = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// An ISO-8601 timestamp with a UTC offset (`Z`, `±hh:mm` or `±hhmm`), with or without
    /// fractional seconds, as an instant; nil otherwise.
    static func parseInstant(_ s: String) -> Date? {
        guard hasOffset(s) else { return nil }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let d = plain.date(from: s) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: s)
    }

    /// True when the timestamp carries `Z` or a ±hh:mm / ±hhmm offset after the time.
    static func hasOffset(_ s: String) -> Bool {
        if s.hasSuffix("Z") { return true }
        guard let t = s.firstIndex(of: "T") else { return false }
        let time = s[s.index(after: t)...]
        guard let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) else { return false }
        let offset = time[time.index(after: sign)...]
        let digits = offset.filter(\.isNumber)
        return digits.count == 4 && (offset.count == 4 || (offset.count == 5 && offset.contains(":")))
    }
}
