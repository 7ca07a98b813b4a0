import DataFiles
import Foundation

/// Grid signals written into a scenario's time series, so that the next run dispatches on
/// them and its manifest records them like any input. Each step takes the time-weighted
/// mean of the signals covering it, the step's own value filling what they leave
/// uncovered; a connection limit takes the lowest limit touching the step. Which columns:
/// `scenario.json`'s `park.importPrice`, `park.exportPrice`, `park.carbonIntensity`, and —
/// when the scenario names them (an extension of v1) — `park.importLimit` and
/// `park.exportLimit`.
public enum ScenarioSignals {
    /// One value of the scenario's time series that a signal changed: the column, the step, the old and the new value.
    public struct Change: Sendable, Equatable {
        public var column: String
        public var step: Int
        public var old: Double
        public var new: Double
    }

    /// The time series' text now (what a listener keeps as `base`).
    public static func timeSeriesText(scenarioDirectory dir: String) throws -> String {
        try files(dir).text
    }

    /// The scenario's frame (steps, signal columns) and its time series' text.
    static func files(_ dir: String) throws -> (frame: ScenarioFrame, text: String) {
        let frame: ScenarioFrame
        frame = try ScenarioFrame.read(directory: dir)
        guard let text = try? String(contentsOfFile: frame.timeSeriesPath, encoding: .utf8) else {
            throw ConfigError(frame.timeSeriesPath, "cannot read the time series")
        }
        return (frame, text)
    }

    /// Writes the signals into the scenario's time series. `base` (the time series' text as
    /// it was before any signal, kept by a listener) gives the signal columns their own
    /// values when given, so that a signal withdrawn later gives the step its own value
    /// back (the changes are relative to it); every other column stays as the file has it.
    public static func apply(_ signals: [Signal], scenarioDirectory dir: String, base: String? = nil) throws -> [Change] {
        let (frame, current) = try files(dir)
        let csvPath = frame.timeSeriesPath, stepSeconds = frame.axis.stepSeconds
        var columns: [Signal.Kind: String] = [:]
        for (kind, field) in [(Signal.Kind.importPrice, "importPrice"), (.exportPrice, "exportPrice"), (.carbonIntensity, "carbonIntensity"),
                              (.importLimit, "importLimit"), (.exportLimit, "exportLimit")] {
            if let c = frame.parkColumns[field] { columns[kind] = c }
        }
        // The file's rows through the one CSV rule (any line end, quoting, decimal numbers);
        // written back through the RFC 4180 writer only when a value changes.
        func rows(_ text: String, _ file: String) throws -> [[String]] {
            do { return try CSVText.lines(Data(text.utf8)).map(CSVText.fields) } catch { throw ConfigError(file, error.description) }
        }
        var table = try rows(current, csvPath)
        guard let header = table.first else { throw ConfigError(csvPath, "empty file") }
        // The signal columns' own values: from `base` (by time) when given, else as they are.
        var baseRows: [String: [String: String]] = [:]
        if let base {
            let rowsOfBase = try rows(base, "the listener's copy of \(csvPath)")
            let h = rowsOfBase.first ?? []
            for f in rowsOfBase.dropFirst() where f.count == h.count {
                baseRows[f[0]] = Dictionary(zip(h, f), uniquingKeysWith: { a, _ in a })
            }
        }
        var changes: [Change] = []
        var rewritten = false
        var step = 0
        for k in 1..<table.count where table[k] != [""] {
            var fields = table[k]
            defer { step += 1 }
            guard fields.count == header.count, let start = TimeParser.instant(fields[0]) else {
                throw ConfigError(csvPath, "line \(k + 1): expected \(header.count) fields and an ISO 8601 time")
            }
            let end = start.addingTimeInterval(stepSeconds)
            let own = baseRows[fields[0]]
            for (kind, column) in columns {
                guard let c = header.firstIndex(of: column) else { continue }
                if let o = own?[column], o != fields[c] { fields[c] = o; rewritten = true }
                guard let old = CSVText.number(fields[c]) else { continue }
                var covered = 0.0, sum = 0.0
                for s in signals where s.kind == kind {
                    let overlap = min(end, s.end).timeIntervalSince(max(start, s.start))
                    if overlap > 0 { covered += overlap; sum += overlap * s.value }
                }
                guard covered > 0 else { continue }
                var new = (sum + max(0, stepSeconds - covered) * old) / max(stepSeconds, covered)
                if kind == .importLimit || kind == .exportLimit {
                    // A limit holds for the whole step when it covers any of it (the lowest
                    // one); part of a step uncovered keeps the step's own limit in the running.
                    let lowest = signals.filter { $0.kind == kind && min(end, $0.end) > max(start, $0.start) }.map(\.value).min() ?? old
                    new = covered < stepSeconds ? min(old, lowest) : lowest
                }
                guard abs(new - old) > 1e-12 * max(1, abs(old)) else { continue }
                fields[c] = String(format: "%.6g", new)
                changes.append(Change(column: column, step: step, old: old, new: new))
                rewritten = true
            }
            table[k] = fields
        }
        if rewritten {
            var csv = CSVWriter(header: header)
            for row in table.dropFirst() where row != [""] { csv.row(row) }
            try Data(csv.text.utf8).write(to: URL(fileURLWithPath: csvPath), options: .atomic)
        }
        return changes
    }
}
