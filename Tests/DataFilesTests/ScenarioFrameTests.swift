import DataFiles
import Foundation
import Testing

/// The frame of a scenario folder read without the park model: its steps on the clock and
/// its park's signal columns; a field it needs that is missing or wrong is named.
@Suite("Data files: scenario frame")
struct ScenarioFrameTests {
    static func folder(_ json: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-frame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try json.write(to: dir.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
        return dir.path
    }

    @Test func theFrameOfAScenario() throws {
        let dir = try Self.folder(#"{"name": "p", "start": "2025-06-01T00:00:00+08:00", "stepMinutes": 60, "steps": 24, "timeseries": "ts.csv", "park": {"importPrice": "price_in", "exportPrice": "price_out", "importMaxKW": 10}}"#)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let frame = try ScenarioFrame.read(directory: dir)
        #expect(frame.axis == TimeAxis(start: Date(timeIntervalSince1970: 1_748_707_200), stepSeconds: 3600, count: 24, offsetSeconds: 28_800))
        #expect(frame.timeSeriesPath == dir + "/ts.csv")
        #expect(frame.parkColumns == ["importPrice": "price_in", "exportPrice": "price_out"])
    }

    @Test func missingOrWrongFieldsAreNamed() throws {
        for (json, field) in [(#"{"start": "2025-06-01T00:00:00+08:00", "steps": 4, "timeseries": "t.csv", "park": {}}"#, "stepMinutes"),
                              (#"{"start": "2025-06-01T00:00:00", "stepMinutes": 15, "steps": 4, "timeseries": "t.csv", "park": {}}"#, "start"),
                              (#"{"start": "2025-06-01T00:00:00Z", "stepMinutes": 7.5, "steps": 4, "timeseries": "t.csv", "park": {}}"#, "stepMinutes"),
                              (#"{"start": "2025-06-01T00:00:00Z", "stepMinutes": 15, "steps": 4, "park": {}}"#, "timeseries")] {
            let dir = try Self.folder(json)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect { try ScenarioFrame.read(directory: dir) } throws: { "\($0)".contains("field '\(field)'") }
        }
    }
}
