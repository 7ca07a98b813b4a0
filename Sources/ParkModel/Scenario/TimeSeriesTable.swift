import DataFiles
import Foundation

/// timeseries.csv: first column `time` (ISO-8601 with a UTC offset), then one column per
/// series; exactly `steps` rows on the grid start + k·stepMinutes.
struct TimeSeriesTable {
    var times: [String] = []
    var columns: [String: [Double]] = [:]

    static func read(data: Data, file: String, start: Date?, stepMinutes: Int?, steps: Int?, log: IssueLog) -> TimeSeriesTable? {
        let lines: [Substring], header: [String]
        do {
            lines = try CSVText.lines(data)
            guard let headerLine = lines.first else { log.add("\(file): empty file"); return nil }
            header = try CSVText.header(headerLine, first: "time")
        } catch {
            log.add("\(file): \(error.description)")
            return nil
        }
        var table = TimeSeriesTable()
        table.times.reserveCapacity(lines.count)
        var values = [[Double]](repeating: [], count: header.count)
        for c in values.indices { values[c].reserveCapacity(lines.count) }
        let startSeconds = start?.timeIntervalSince1970
        for (k, line) in lines.dropFirst().enumerated() {
            let lineNumber = k + 2
            let fields = CSVText.fields(line)
            guard fields.count == header.count else {
                log.add("\(file): line \(lineNumber): \(fields.count) fields, the header has \(header.count)")
                continue
            }
            let stamp = fields[0]
            if let date = TimeParser.instant(stamp) {
                if let startSeconds, let stepMinutes {
                    let expected = startSeconds + Double(k * stepMinutes * 60)
                    if abs(date.timeIntervalSince1970 - expected) > 0.5 {
                        log.add("\(file): line \(lineNumber): time '\(stamp)' is off the step grid (expected step \(k) at start + \(k * stepMinutes) min)")
                    }
                }
            } else {
                log.add("\(file): line \(lineNumber): time '\(CSVText.printable(stamp))' is not an ISO-8601 timestamp with a UTC offset")
            }
            table.times.append(stamp)
            for c in 1..<header.count {
                let f = fields[c]
                if f.isEmpty {
                    log.add("\(file): line \(lineNumber): series '\(header[c])': missing value")
                    values[c].append(.nan)
                } else if let v = CSVText.number(f) {
                    if abs(v) > ScenarioBounds.magnitude {
                        log.add("\(file): line \(lineNumber): series '\(header[c])': \(f) is beyond ±\(format(ScenarioBounds.magnitude))")
                    }
                    values[c].append(v)
                } else {
                    log.add("\(file): line \(lineNumber): series '\(header[c])': '\(CSVText.printable(f))' is not a decimal number")
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

    /// An ISO-8601 timestamp with a UTC offset (`Z`, `±hh:mm` or `±hhmm`), with or without
    /// fractional seconds, as an instant; nil otherwise.
    static func parseInstant(_ s: String) -> Date? { TimeParser.instant(s) }
}
