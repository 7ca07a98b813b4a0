import FlexDispatch
import Foundation
@testable import ParkModel
import Testing

/// Inputs at the edges: a model given too little history, a folder where a history file
/// should be, ids that would break CSV rows and log lines, values beyond the bounds.
@Suite("Scenario input safety")
struct ScenarioInputSafetyTests {
    typealias F = ScenarioForecastTests

    /// `"model": "mlp"` on five days of history: an input error naming the series, the file
    /// and the days needed, not a trap in the fit.
    @Test func aModelWithTooLittleHistoryIsAnInputError() throws {
        for (model, days) in [("mlp", 21), ("snaive_week", 8), ("ensemble", 21)] {
            let dir = try F.folder(json: F.scenario(forecast: #"{"model": "\#(model)"}"#), csv: F.timeseries(load: nil),
                                   history: F.history(days: 5))
            let m = F.messages(dir)
            #expect(m == ["history/loads.csv: series 'f1_load': model '\(model)' needs at least \(days) days of history before the forecast, the series has 5 days"])
        }
        // `auto` on the same history forecasts and keeps its note.
        let dir = try F.folder(json: F.scenario(forecast: #"{"model": "auto"}"#), csv: F.timeseries(load: nil), history: F.history(days: 5))
        let s = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster())
        #expect(s.forecasts.first?.model == "auto:snaive_day")
        #expect(s.forecasts.first?.notes.first?.contains("left out for want of history") == true)
    }

    /// A folder named `*.csv` in history/ is reported by name; the files are read through
    /// throwing APIs only.
    @Test func aFolderNamedCSVInTheHistoryIsReported() throws {
        let dir = try F.folder(json: F.scenario(), csv: F.timeseries(load: nil), history: F.history(days: 14))
        try FileManager.default.createDirectory(atPath: dir + "/history/old.csv", withIntermediateDirectories: true)
        #expect(F.messages(dir) == ["history/old.csv: is a folder, not a CSV file"])
    }

    /// Ids outside the documented character set are input errors, printed escaped.
    @Test func identifiersAreValidated() throws {
        for (id, shown) in [("a,b", "a,b"), ("a\nb", "a\\nb"), ("", ""), (" ", " "), ("a\u{0}b", "a\\0b"), ("-x", "-x"),
                            (String(repeating: "x", count: 65), String(repeating: "x", count: 65)), ("a\"b", "a\\\"b")] {
            let json = F.scenario().replacingOccurrences(of: #""id": "f1""#, with: #""id": "\#(Self.jsonEscaped(id))""#)
            let dir = try F.folder(json: json, csv: F.timeseries(load: (0..<96).map(F.shape)), history: nil)
            let m = F.messages(dir)
            #expect(m.contains { $0.contains("field 'id' is not a valid id: \"\(shown)\"") }, "\(m)")
            #expect(m.allSatisfy { !$0.contains("\n") && !$0.contains("\u{0}") })
        }
        for id in ["f1", "F-01.a", "9_x", String(repeating: "x", count: 64)] { #expect(Identifier.isValid(id)) }
    }

    static func jsonEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\u{0}", with: "\\u0000")
    }

    /// The reader lists what it read: scenario.json, the time-series file (wherever it
    /// lies) and the history files.
    @Test func theReaderListsTheFilesItRead() throws {
        let dir = try F.folder(json: F.scenario(), csv: F.timeseries(load: nil), history: F.history(days: 14))
        try "unrelated".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let s = try ScenarioReader.read(directory: dir, forecaster: HistoryForecaster())
        let base = URL(fileURLWithPath: dir).standardizedFileURL.path
        #expect(s.inputFiles.sorted() == [base + "/history/loads.csv", base + "/scenario.json", base + "/timeseries.csv"])
    }

    /// Values a solver cannot take are input errors naming the field or the line, within the
    /// documented bounds (they ended in `numerical_error` or a JSON encoding failure).
    @Test func valuesBeyondTheBoundsAreInputErrors() throws {
        let battery = #"{"type": "battery", "id": "b", "energyKWh": 1e308, "chargeKW": 5, "dischargeKW": 5, "#
            + #""chargeEfficiency": 5e-324, "dischargeEfficiency": 1, "socInitialKWh": 0}"#
        let json = F.scenario(extraAsset: battery).replacingOccurrences(of: #""exportMaxKW": 0"#, with: #""exportMaxKW": 0, "peakChargePerKW": 1e308"#)
        var csv = F.timeseries(load: (0..<96).map(F.shape))
        csv = csv.replacingOccurrences(of: "T00:15:00+01:00,0.2,", with: "T00:15:00+01:00,1e300,")
        let dir = try F.folder(json: json, csv: csv, history: nil)
        let m = F.messages(dir)
        #expect(m.contains { $0.contains("energyKWh") && $0.contains("must lie within ±1000000000") }, "\(m)")
        #expect(m.contains { $0.contains("peakChargePerKW") && $0.contains("must lie within ±1000000000") })
        #expect(m.contains { $0.contains("chargeEfficiency") && $0.contains("must be in [0.01, 1]") })
        #expect(m.contains { $0.hasPrefix("timeseries: line 3: series 'price': 1e300 is beyond ±1000000000") })
        // A history value beyond 1e12.
        var lines = F.history(days: 14).split(separator: "\n").map(String.init)
        lines[100] = lines[100].split(separator: ",")[0] + ",1e300"
        let history = lines.joined(separator: "\n") + "\n"
        let h = try F.folder(json: F.scenario(), csv: F.timeseries(load: nil), history: history)
        #expect(F.messages(h).contains { $0.contains("1e300 is beyond ±1e+12") }, "\(F.messages(h))")
    }
}
