import DataFiles
import Foundation
import RunHistory

/// A stored run's schedule as setpoints per asset and step (kW; positive = consume or
/// charge, negative = produce or discharge): a battery's charge minus discharge, a
/// generator's planned output (negative), a flexible load's or electrolyzer's power.
/// Firm exchanges, shedding and state of charge are results, not setpoints.
public enum RunSetpoints {
    public static func from(_ run: RunDetail) throws -> [Setpoint] {
        // Scenario times as the scenario reader accepted them (TimeParser).
        let times = try run.times.enumerated().map { k, t in
            guard let d = TimeParser.instant(t) else { throw RunStoreError("step \(k): time '\(t)' is not ISO 8601") }
            return d
        }
        var perAsset: [String: [Double]] = [:]
        for (key, values) in run.scheduleValues {
            let parts = key.split(separator: "/").map(String.init)
            guard parts.count == 3 else { continue }
            let (asset, variable) = (parts[1], parts[2])
            let sign: Double
            switch variable {
            case "charge_kW", "power_kW": sign = 1
            case "discharge_kW", "generation_kW": sign = -1
            default: continue
            }
            var acc = perAsset[asset] ?? [Double](repeating: 0, count: values.count)
            for k in values.indices where k < acc.count { acc[k] += sign * values[k] }
            perAsset[asset] = acc
        }
        return perAsset.keys.sorted().flatMap { asset in
            perAsset[asset]!.enumerated().compactMap { k, p in
                k < times.count ? Setpoint(asset: asset, step: k, time: times[k], powerKW: p) : nil
            }
        }
    }

    /// The step whose interval contains `date`; nil outside the run's horizon.
    public static func step(at date: Date, in setpoints: [Setpoint]) -> Int? {
        let starts = Set(setpoints.map(\.time)).sorted()
        guard starts.count >= 2 else { return starts.first.flatMap { date >= $0 ? 0 : nil } }
        let width = starts[1].timeIntervalSince(starts[0])
        guard let k = starts.lastIndex(where: { $0 <= date }), date < starts[k].addingTimeInterval(width) else { return nil }
        return k
    }
}
