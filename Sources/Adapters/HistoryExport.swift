import DataFiles
import Foundation
import Measurements
import RunHistory
import Storage

/// Stored measurements as a scenario history file (`history/*.csv`, see docs/park-model.md):
/// one row per step of `stepSeconds` in [from, to), one column per series holding the mean
/// of the samples in that step, empty where there were none. Times carry `utcOffset`.
public enum HistoryExport {
    public static func csv(store: any MeasurementStore, series: [String], from: Date, to: Date, stepSeconds: Double,
                           utcOffsetSeconds: Int = 0) throws -> (text: String, samples: Int) {
        let span = to.timeIntervalSince(from)
        guard stepSeconds >= 1, span >= 0, span / stepSeconds <= 10_000_000 else {
            throw StoreError("a history export needs a step of at least 1 s and at most 10,000,000 steps")
        }
        let steps = Int((span / stepSeconds).rounded(.up))
        let axis = TimeAxis(start: from, stepSeconds: stepSeconds, count: steps, offsetSeconds: utcOffsetSeconds)
        var columns: [[Double?]] = []
        var total = 0
        for s in series {
            let samples = try store.measurements(series: s, from: from, to: to).map { (time: $0.time, value: $0.value) }
            total += samples.count { axis.step(containing: $0.time) != nil }
            columns.append(axis.means(of: samples))
        }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(secondsFromGMT: utcOffsetSeconds)
        f.formatOptions = [.withInternetDateTime]
        var out = CSVWriter(header: ["time"] + series)
        for k in 0..<max(steps, 0) {
            out.row([f.string(from: from.addingTimeInterval(Double(k) * stepSeconds))] + columns.map { $0[k].map { String(format: "%.6g", $0) } ?? "" })
        }
        return (out.text, total)
    }
}
