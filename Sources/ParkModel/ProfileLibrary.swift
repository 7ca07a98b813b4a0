import Foundation

/// The per-unit profile library (datasets/profiles/profiles_15min.csv): days × 96
/// quarter-hours of PV, wind, load shapes and a carbon-intensity shape, derived from
/// measured data (see datasets/profiles/README.md).
public struct ProfileLibrary: Sendable {
    public let columns: [String: [Double]]
    public let days: Int

    public static func load(path: String) throws -> ProfileLibrary {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ScenarioError(messages: ["\(path): cannot read the profile library"])
        }
        let lines = text.split(whereSeparator: \.isNewline)
        guard let header = lines.first?.split(separator: ",").map(String.init), header.count > 2 else {
            throw ScenarioError(messages: ["\(path): no header"])
        }
        var cols = [[Double]](repeating: [], count: header.count)
        for (k, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count else { throw ScenarioError(messages: ["\(path):\(k + 2): expected \(header.count) fields"]) }
            for c in 0..<header.count {
                guard let v = Double(f[c]), v.isFinite else { throw ScenarioError(messages: ["\(path):\(k + 2): bad number '\(f[c])'"]) }
                cols[c].append(v)
            }
        }
        var dict: [String: [Double]] = [:]
        for c in 2..<header.count { dict[header[c]] = cols[c] }
        let rows = cols[0].count
        guard rows >= 96, rows % 96 == 0 else { throw ScenarioError(messages: ["\(path): \(rows) rows is not a whole number of days"]) }
        for needed in ["pv_pu", "wind_pu", "load_household", "load_homes", "load_system", "carbon_shape"] where dict[needed] == nil {
            throw ScenarioError(messages: ["\(path): column '\(needed)' is missing"])
        }
        return ProfileLibrary(columns: dict, days: rows / 96)
    }

    /// `steps` quarter-hours of a column starting at `day`, wrapping around the library.
    public func slice(_ column: String, day: Int, steps: Int) -> [Double] {
        let v = columns[column]!
        return (0..<steps).map { v[(day * 96 + $0) % v.count] }
    }
}
