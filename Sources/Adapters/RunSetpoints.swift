import DataFiles
import Foundation
import RunHistory
import Storage

/// A stored run's schedule as setpoints per asset and step (kW; positive = consume or
/// charge, negative = produce or discharge): a battery's charge minus discharge, a
/// generator's planned output (negative), a flexible load's or electrolyzer's power.
/// Firm exchanges, shedding and state of charge are results, not setpoints.
public enum RunSetpoints {
    public static func from(_ run: RunDetail) throws -> [Setpoint] {
        let axis: TimeAxis
        do { axis = try run.timeAxis() } catch { throw StoreError("the run's steps: \(error)") }
        var perAsset: [String: [Double]] = [:]
        for (key, values) in run.scheduleValues {
            let parts = key.split(separator: "/").map(String.init)
            guard parts.count == 3 else { continue }
            let (asset, variable) = (parts[1], parts[2])
            guard let sign = ScheduleVariable(rawValue: variable)?.setpointSign else { continue }
            var acc = perAsset[asset] ?? [Double](repeating: 0, count: values.count)
            for k in values.indices where k < acc.count { acc[k] += sign * values[k] }
            perAsset[asset] = acc
        }
        return perAsset.keys.sorted().flatMap { asset in
            perAsset[asset]!.enumerated().compactMap { k, p in
                k < axis.count ? Setpoint(asset: asset, step: k, time: axis.time(k), seconds: axis.stepSeconds, powerKW: p) : nil
            }
        }
    }

    /// The newest optimal run in `store`, of `scenario` when given: the plan `operate` keeps
    /// in force, which `vtn serve latest` and `cem serve latest` follow (one query).
    public static func newestPlan(in store: any RunStore, scenario: String?) throws -> Int64? {
        try store.latestOptimalRun(scenario: scenario)
    }

    /// The newest optimal run of `scenario` (of any when nil) with a step holding `date`,
    /// among the newest `limit` runs; nil when none has one. Beside `newestPlan` when that
    /// begins later (tomorrow's day-ahead plan), it is the plan in force now.
    public static func planHolding(_ date: Date, in store: any RunStore, scenario: String?, limit: Int = 200) throws -> Int64? {
        for summary in try store.list(limit: limit) where summary.status == "optimal" && (scenario == nil || summary.scenario == scenario) {
            guard let detail = try store.show(summary.id), let axis = try? detail.timeAxis() else { continue }
            if axis.start <= date && date < axis.start.addingTimeInterval(axis.stepSeconds * Double(axis.count)) { return summary.id }
        }
        return nil
    }

    /// The step whose interval contains `date`; nil outside the run's horizon.
    public static func step(at date: Date, in setpoints: [Setpoint]) -> Int? {
        setpoints.first { $0.time <= date && date < $0.end }?.step
    }
}
