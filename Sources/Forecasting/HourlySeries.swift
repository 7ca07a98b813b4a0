import DataFiles
import Foundation

/// An hourly series on a gap-free grid of absolute hours, with each hour's local civil
/// day and hour (spec `forecast-backtest.md`, "Series and resolution").
public struct HourlySeries: Sendable {
    /// Hour index → value (nil = missing).
    public var values: [Double?]
    /// UTC start of the first hour, seconds since 1970.
    public var start: Int
    /// Local civil date (yyyy-mm-dd) and hour of each grid hour; changed only through
    /// `appendHour` and `truncate`, which keep `dayStart` in step.
    public private(set) var localDay: [String]
    public private(set) var localHour: [Int]
    /// The grid index of the first hour of each hour's local day. `t - dayStart[t]` is the
    /// hour's place in its day; it differs from `localHour[t]` on a day of 23 or 25 hours
    /// (the clock changes for daylight saving time), where `t - localHour[t]` would point
    /// an hour before or after the day's start.
    public private(set) var dayStart: [Int]
    /// Exogenous drivers on the same grid.
    public var drivers: [String: [Double?]]

    public var count: Int { values.count }

    /// The hour `lag` hours before `t`, or 24 hours before that when it lies inside `t`'s
    /// own local day: on a 25-hour day the last hour's lag 24 is the day's first hour,
    /// which a forecast made at the day's start does not know. Otherwise `t - lag`.
    @inline(__always) public func lagIndex(_ t: Int, _ lag: Int) -> Int {
        let u = t - lag
        return u >= dayStart[t] ? u - 24 : u
    }

    public init(values: [Double?], start: Int, localDay: [String], localHour: [Int], drivers: [String: [Double?]]) {
        self.values = values
        self.start = start
        self.localDay = localDay
        self.localHour = localHour
        self.drivers = drivers
        dayStart = []
        dayStart.reserveCapacity(localDay.count)
        for k in localDay.indices {
            dayStart.append(k > 0 && localDay[k - 1] == localDay[k] ? dayStart[k - 1] : k)
        }
    }

    /// Extends the grid by one hour with its local date and hour (drivers are extended by
    /// the caller).
    public mutating func appendHour(value: Double?, localDay day: String, localHour hour: Int) {
        let k = localDay.count
        values.append(value)
        localDay.append(day)
        localHour.append(hour)
        dayStart.append(k > 0 && localDay[k - 1] == day ? dayStart[k - 1] : k)
    }

    /// Keeps the first `n` hours (all of them when `n` is at least `count`, none below 0).
    public mutating func truncate(to n: Int) {
        let n = max(0, min(n, count))
        values.removeLast(count - n)
        localDay.removeLast(localDay.count - n)
        localHour.removeLast(localHour.count - n)
        dayStart.removeLast(dayStart.count - n)
        drivers = drivers.mapValues { Array($0.prefix(n)) }
    }
}

/// An input error in a history file: the file, the line and what is wrong.
public struct HistoryError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
    /// `message` with the control characters that came from the input escaped (one line).
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = Printable.escaped(message, limit: 1000)
    }
}


/// Reads a history CSV (time plus one column per series) into an ``HourlySeries`` of one column,
/// averaging samples into hours; errors name the file and line (`HistoryError`).
public enum HistoryReader {
    /// The largest magnitude of a history value: squares and sums of many of them stay far
    /// inside a double's range.
    public static let maxMagnitude = 1e12

    /// Reads `column` (and `drivers`) of a CSV whose first column is the interval-start
    /// time, averages to hours ([h, h+1) by the absolute clock), and lays the result on a
    /// gap-free hourly grid. Errors: unknown column, bad timestamp, non-monotone or
    /// duplicate times, non-numeric values — each with the line. Empty fields are missing.
    public static func read(path: String, column: String, drivers: [String] = []) throws -> HourlySeries {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw HistoryError(file: path, line: 0, message: "cannot read the file (\(FileErrors.reason(error)))")
        }
        return try read(data: data, file: path, column: column, drivers: drivers)
    }

    /// As `read(path:)`, from the file's bytes; `file` names it in errors.
    public static func read(data: Data, file path: String, column: String, drivers: [String] = []) throws -> HourlySeries {
        let lines: [Substring], header: [String]
        do {
            lines = try CSVText.lines(data)
            guard let head = lines.first else { throw HistoryError(file: path, line: 0, message: "empty file") }
            header = try CSVText.header(head, first: CSVText.fields(head).first ?? "")
        } catch let e as CSVText.Failure {
            throw HistoryError(file: path, line: e.line, message: e.message)
        }
        func index(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name), i > 0 else {
                throw HistoryError(file: path, line: 1, message: "no column '\(name)' (columns: \(header.dropFirst().joined(separator: ", ")))")
            }
            return i
        }
        let target = try index(column)
        let driverIndex = try drivers.map(index)
        var sums: [Int: (sum: Double, n: Int)] = [:]
        var driverSums = [[Int: (sum: Double, n: Int)]](repeating: [:], count: drivers.count)
        var wall: [Int: (date: String, hour: Int)] = [:]
        var previous = (instant: Int.min, text: "", line: 0)
        var firstHour = Int.max, lastHour = Int.min
        for (k, line) in lines.dropFirst().enumerated() {
            let lineNumber = k + 2
            let f = CSVText.fields(line)
            guard f.count == header.count else {
                throw HistoryError(file: path, line: lineNumber, message: "\(f.count) fields, the header has \(header.count)")
            }
            guard let stamp = TimeParser.parse(f[0][...]) else {
                throw HistoryError(file: path, line: lineNumber,
                                   message: "'\(CSVText.printable(f[0]))' is not a timestamp (YYYY-MM-DDTHH:MM[:SS] with Z, an offset, or bare)")
            }
            guard stamp.instant > previous.instant else {
                let same = stamp.instant == previous.instant
                throw HistoryError(file: path, line: lineNumber, message: same
                    ? (f[0] == previous.text ? "duplicate time '\(f[0])'"
                       : "time '\(f[0])' is the same instant as '\(previous.text)' on line \(previous.line) (written with another UTC offset)")
                    : "time '\(f[0])' goes backwards (line \(previous.line) has '\(previous.text)')")
            }
            previous = (stamp.instant, f[0], lineNumber)
            let hour = Int((Double(stamp.instant) / 3600).rounded(.down)) * 3600
            firstHour = min(firstHour, hour)
            lastHour = max(lastHour, hour)
            if wall[hour] == nil { wall[hour] = (stamp.wallDate, stamp.wallMinutes / 60) }
            func value(_ i: Int) throws -> Double? {
                let s = f[i]
                if s.isEmpty { return nil }
                guard let v = CSVText.number(s) else {
                    throw HistoryError(file: path, line: lineNumber, message: "column '\(header[i])': '\(CSVText.printable(s))' is not a decimal number")
                }
                guard abs(v) <= maxMagnitude else {
                    throw HistoryError(file: path, line: lineNumber, message: "column '\(header[i])': \(s) is beyond ±\(String(format: "%.0e", maxMagnitude)), the largest value a history may hold")
                }
                return v
            }
            if let v = try value(target) { sums[hour, default: (0, 0)].sum += v; sums[hour, default: (0, 0)].n += 1 }
            for (j, i) in driverIndex.enumerated() {
                if let v = try value(i) { driverSums[j][hour, default: (0, 0)].sum += v; driverSums[j][hour, default: (0, 0)].n += 1 }
            }
        }
        guard firstHour <= lastHour else { throw HistoryError(file: path, line: 0, message: "no data rows") }
        let n = (lastHour - firstHour) / 3600 + 1
        var values = [Double?](repeating: nil, count: n)
        var days = [String](repeating: "", count: n), hours = [Int](repeating: 0, count: n)
        var lastOffset = 0
        for k in 0..<n {
            let h = firstHour + k * 3600
            if let s = sums[h] { values[k] = s.sum / Double(s.n) }
            if let w = wall[h] {
                days[k] = w.date; hours[k] = w.hour
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
        for (j, name) in drivers.enumerated() {
            driverValues[name] = (0..<n).map { k in driverSums[j][firstHour + k * 3600].map { $0.sum / Double($0.n) } }
        }
        return HourlySeries(values: values, start: firstHour, localDay: days, localHour: hours, drivers: driverValues)
    }
}
