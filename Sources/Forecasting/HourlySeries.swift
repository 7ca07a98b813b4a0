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

    /// As `read(path:)`, from the file's bytes; `file` names it in errors. To take several
    /// series from one file, parse it once with ``HistoryTable``.
    public static func read(data: Data, file path: String, column: String, drivers: [String] = []) throws -> HourlySeries {
        try HistoryTable(data: data, file: path, columns: Set([column] + drivers)).series(column, drivers: drivers)
    }
}
