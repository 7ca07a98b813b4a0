import Foundation

/// What a program beside the park model needs of a scenario folder: where its steps lie on
/// the clock and which time-series columns its park's signals live in — read from
/// `scenario.json` without the park model (the adapters, the signals commands). The park
/// model's reader checks the whole file; this checks only what it returns.
public struct ScenarioFrame: Sendable {
    /// `scenario.json`'s path.
    public var path: String
    /// The steps: `start`, `stepMinutes`, `steps`.
    public var axis: TimeAxis
    /// The time-series file's path.
    public var timeSeriesPath: String
    /// `park`'s fields that name a time-series column (`importPrice`, `exportPrice`,
    /// `carbonIntensity`, `importLimit`, `exportLimit`), by field.
    public var parkColumns: [String: String]

    /// Reads the frame of the scenario in `directory`; the error names the file and field.
    public static func read(directory: String) throws(ScenarioFrameError) -> ScenarioFrame {
        let path = (directory as NSString).appendingPathComponent("scenario.json")
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ScenarioFrameError("\(path): cannot read the scenario (\(FileErrors.reason(error)))")
        }
        let any: Any
        do { any = try JSONSyntax.parse(data) } catch { throw ScenarioFrameError("\(path): \(error.description)") }
        guard let root = any as? [String: Any], let park = root["park"] as? [String: Any] else {
            throw ScenarioFrameError("\(path): not a scenario (no 'park' object)")
        }
        guard let startText = root["start"] as? String, let stamp = TimeParser.parse(Substring(startText)), stamp.hasOffset,
              let start = TimeParser.instant(startText) else {
            throw ScenarioFrameError("\(path): field 'start': an ISO-8601 time with a UTC offset is required")
        }
        guard let minutes = (root["stepMinutes"] as? NSNumber)?.doubleValue, minutes >= 1, minutes <= 1440, minutes == minutes.rounded() else {
            throw ScenarioFrameError("\(path): field 'stepMinutes': a whole number of minutes from 1 to 1440 is required")
        }
        guard let steps = (root["steps"] as? NSNumber)?.doubleValue, steps >= 1, steps <= 1_000_000_000, steps == steps.rounded() else {
            throw ScenarioFrameError("\(path): field 'steps': a whole number from 1 is required")
        }
        guard let csv = root["timeseries"] as? String, !csv.isEmpty else {
            throw ScenarioFrameError("\(path): field 'timeseries': the time-series file's name is required")
        }
        var columns: [String: String] = [:]
        for key in ["importPrice", "exportPrice", "carbonIntensity", "importLimit", "exportLimit"] {
            if let c = park[key] as? String { columns[key] = c }
        }
        return ScenarioFrame(path: path, axis: TimeAxis(start: start, stepSeconds: minutes * 60, count: Int(steps), offsetSeconds: stamp.offsetSeconds),
                             timeSeriesPath: (directory as NSString).appendingPathComponent(csv), parkColumns: columns)
    }
}

/// Why a scenario folder's frame cannot be read.
public struct ScenarioFrameError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
