import DataFiles
import Foundation

/// The per-unit profile library (datasets/profiles/profiles_15min.csv): days × 96
/// quarter-hours of PV, wind, load shapes and a carbon-intensity shape, derived from
/// measured data (see datasets/profiles/README.md). Days 0 … days−1 are the library's
/// days proper; rows with negative day numbers (−historyDays … −1) are the measured days
/// just before day 0, from which generated parks take a history to forecast from.
public struct ProfileLibrary: Sendable {
    public let columns: [String: [Double]]
    public let days: Int
    /// The days before day 0, per column (historyDays × 96 values, oldest first).
    public let historyColumns: [String: [Double]]
    public let historyDays: Int

    public static func load(path: String) throws -> ProfileLibrary {
        let lines: [Substring], header: [String]
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            lines = try CSVText.lines(data).filter { !$0.isEmpty }
            guard let head = lines.first else { throw CSVText.Failure(line: 1, message: "no header") }
            header = try CSVText.header(head, first: CSVText.fields(head).first ?? "")
            guard header.count > 2 else { throw CSVText.Failure(line: 1, message: "no header") }
        } catch let e as CSVText.Failure {
            throw ScenarioError(messages: ["\(path):\(e.line): \(e.message)"])
        } catch {
            throw ScenarioError(messages: ["\(path): cannot read the profile library (\(FileErrors.reason(error)))"])
        }
        var cols = [[Double]](repeating: [], count: header.count)
        var history = [[Double]](repeating: [], count: header.count)
        var previousDay = Int.min
        for (k, line) in lines.dropFirst().enumerated() {
            let f = CSVText.fields(line)
            guard f.count == header.count else { throw ScenarioError(messages: ["\(path):\(k + 2): expected \(header.count) fields"]) }
            guard let day = Int(f[0]), day >= previousDay else {
                throw ScenarioError(messages: ["\(path):\(k + 2): day '\(f[0])' is not an integer in ascending order"])
            }
            previousDay = day
            for c in 0..<header.count {
                guard let v = CSVText.number(f[c]) else { throw ScenarioError(messages: ["\(path):\(k + 2): bad number '\(f[c])'"]) }
                if day < 0 { history[c].append(v) } else { cols[c].append(v) }
            }
        }
        var dict: [String: [Double]] = [:], historyDict: [String: [Double]] = [:]
        for c in 2..<header.count { dict[header[c]] = cols[c]; historyDict[header[c]] = history[c] }
        let rows = cols[0].count
        guard rows >= 96, rows % 96 == 0, history[0].count % 96 == 0 else {
            throw ScenarioError(messages: ["\(path): \(rows) rows (\(history[0].count) history rows) is not a whole number of days"])
        }
        for needed in ["pv_pu", "wind_pu", "load_household", "load_homes", "load_system", "carbon_shape"] where dict[needed] == nil {
            throw ScenarioError(messages: ["\(path): column '\(needed)' is missing"])
        }
        return ProfileLibrary(columns: dict, days: rows / 96, historyColumns: historyDict, historyDays: history[0].count / 96)
    }

    /// The `historyDaysWanted` × 96 quarter-hours just before `day` (0 ≤ day < days), in
    /// time order: library days before `day`, then the history rows before day 0.
    public func history(_ column: String, before day: Int, days wanted: Int) -> [Double]? {
        guard wanted <= historyDays + day, let v = columns[column], let h = historyColumns[column] else { return nil }
        return (0..<(wanted * 96)).map { k in
            let q = (day - wanted) * 96 + k
            return q >= 0 ? v[q] : h[h.count + q]
        }
    }

    /// `steps` quarter-hours of a column starting at `day`, wrapping around the library.
    public func slice(_ column: String, day: Int, steps: Int) -> [Double] {
        let v = columns[column]!
        return (0..<steps).map { v[(day * 96 + $0) % v.count] }
    }
}
