import DataFiles
import Foundation
import Measurements
import OpenADRAPI
import RunHistory
import Storage

/// The park as the VTN of its firms: a run's internal price λ and each firm's planned
/// exchange become events of the park's program, and the firms' USAGE/DEMAND reports
/// become measurements of their load.
public enum ParkVTN {
    public static let programName = "flexdispatch-park"

    /// The park program (made once) and the run's events: `park-price` (PRICE, λ per step, for
    /// every firm) and one `dispatch-<firm>` per firm (DISPATCH_SETPOINT, the planned exchange
    /// in kW per step, positive = import from the park; targeted at the firm's id).
    ///
    /// Earlier runs' events: those that have ended by `now` go; those whose horizon overlaps
    /// this run's keep only their steps before it (a re-plan replaces the rest of the plan it
    /// revises; an event left with no step goes); those wholly before or after this run stay.
    /// With tomorrow's day-ahead plan published this afternoon, the firms keep the rest of
    /// today's, and a re-plan of today then leaves tomorrow's in place.
    public static func publish(_ run: RunDetail, runID: Int64, currency: String, into vtn: VTNService, now: Date = Date()) throws {
        let axis: TimeAxis
        do { axis = try run.timeAxis() } catch { throw StoreError("run \(runID): \(error)") }
        let first = axis.start, step = axis.stepSeconds
        let last = first.addingTimeInterval(step * Double(axis.count))
        let duration = "PT\(Int(step / 60))M"
        let program = try vtn.program(named: programName) ?? vtn.addProgram(.init(
            programName: programName,
            intervalPeriod: .init(start: first, duration: duration),
            payloadDescriptors: [.init(value1: .init(objectType: .eventPayloadDescriptor, payloadType: "PRICE", units: "KWH", currency: currency))]))
        // A restarted VTN with a state file has earlier runs' events too.
        var gone = Set<String>(), kept: [Components.Schemas.EventRequest] = []
        for e in vtn.store.state.withLockedValue({ $0.events }) where isRunEvent(e, of: program) {
            guard let start = e.value2.intervalPeriod?.start, let end = end(of: e), end > now else { gone.insert(e.value1.id); continue }
            guard end > first && start < last else { continue }
            gone.insert(e.value1.id)
            if let before = trimmed(e.value2, before: first) { kept.append(before) }
        }
        vtn.removeEvents { gone.contains($0.value1.id) }
        for request in kept { _ = try vtn.addEvent(request) }
        func intervals(_ values: [Double], _ type: String) -> [Components.Schemas.Interval] {
            values.enumerated().map { k, v in .init(id: Int32(k), payloads: [.init(_type: type, values: [.init(value1: v)])]) }
        }
        let lambda = run.internalPrice.map { $0 ?? 0 }
        try vtn.addEvent(.init(programID: program.value1.id, eventName: "park-price-run-\(runID)", priority: 0,
                               payloadDescriptors: [.init(objectType: .eventPayloadDescriptor, payloadType: "PRICE", units: "KWH", currency: currency)],
                               intervalPeriod: .init(start: first, duration: duration), intervals: intervals(lambda, "PRICE")))
        for key in run.scheduleValues.keys.sorted() where key.hasSuffix("/" + ScheduleVariable.exchange.rawValue) {
            let firm = String(key.split(separator: "/")[0])
            try vtn.addEvent(.init(programID: program.value1.id, eventName: "dispatch-\(firm)-run-\(runID)", priority: 1, targets: [firm],
                                   payloadDescriptors: [.init(objectType: .eventPayloadDescriptor, payloadType: "DISPATCH_SETPOINT", units: "KW")],
                                   intervalPeriod: .init(start: first, duration: duration),
                                   intervals: intervals(run.scheduleValues[key] ?? [], "DISPATCH_SETPOINT")))
        }
    }

    /// Publishes the newest optimal run of `scenario` when it is not `current` (the plan the
    /// VTN serves now), as `publish` does at `now`. Returns the run published, or nil when
    /// the newest is `current` or there is none.
    public static func publishNewest(from store: any RunStore, scenario: String?, currency: String, into vtn: VTNService,
                                     current: Int64?, now: Date = Date()) throws -> Int64? {
        guard let id = try RunSetpoints.newestPlan(in: store, scenario: scenario), id != current, let detail = try store.show(id) else { return nil }
        try publish(detail, runID: id, currency: currency, into: vtn, now: now)
        return id
    }

    /// Whether `e` is a run event (`publish`'s) of the park program.
    static func isRunEvent(_ e: Components.Schemas.Event, of program: Components.Schemas.Program) -> Bool {
        e.value2.programID == program.value1.id && e.value2.eventName.map(Self.isRunEvent) == true
    }

    /// `event` with only its intervals that begin before `date` (in order, each one period
    /// long); nil when none does or its period is unreadable.
    static func trimmed(_ event: Components.Schemas.EventRequest, before date: Date) -> Components.Schemas.EventRequest? {
        guard let start = event.intervalPeriod?.start, let d = event.intervalPeriod?.duration,
              let step = VTNValidation.seconds(d), step > 0 else { return nil }
        let count = min(event.intervals?.count ?? 0, Int((date.timeIntervalSince(start) / step).rounded(.up)))
        guard count > 0 else { return nil }
        var kept = event
        kept.intervals = Array((event.intervals ?? []).prefix(count))
        return kept
    }

    /// Where a run event's intervals end: its period's start plus its intervals' durations;
    /// nil without a start or a readable duration.
    static func end(of e: Components.Schemas.Event) -> Date? {
        guard let start = e.value2.intervalPeriod?.start, let d = e.value2.intervalPeriod?.duration,
              let step = VTNValidation.seconds(d) else { return nil }
        return start.addingTimeInterval(step * Double(e.value2.intervals?.count ?? 0))
    }

    /// Removes the park program's run events that have ended by `now` (an earlier run kept
    /// beside a later one, see `publish`); returns how many.
    @discardableResult
    public static func removeEnded(from vtn: VTNService, now: Date) -> Int {
        guard let program = vtn.program(named: programName) else { return 0 }
        return vtn.removeEvents { e in isRunEvent(e, of: program) && (end(of: e).map { $0 <= now } ?? false) }
    }

    /// Keeps `vtn` on the newest optimal run of `scenario`: every `pollSeconds` of `clock`,
    /// a newer one than `current` is published (`publishNewest`, at the clock's time), and
    /// `onPublished` hears the run published and the one before it; the events of runs
    /// that have ended go (`removeEnded`). A failed look goes to `onError` and the next
    /// look tries again. Returns when the task is cancelled.
    public static func follow(_ store: any RunStore, scenario: String?, currency: String, into vtn: VTNService, current: Int64,
                              pollSeconds: Double, clock: any AdapterClock = WallClock(),
                              onPublished: @escaping @Sendable (_ run: Int64, _ replaced: Int64) -> Void,
                              onError: @escaping @Sendable (any Error) -> Void) async {
        var current = current
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: pollSeconds) } catch { return }
            let now = clock.now
            do {
                if let id = try publishNewest(from: store, scenario: scenario, currency: currency, into: vtn, current: current, now: now) {
                    onPublished(id, current)
                    current = id
                }
            } catch {
                onError(error)
            }
            removeEnded(from: vtn, now: now)
        }
    }

    /// The events `publish` makes: `park-price-run-N`, `dispatch-<firm>-run-N`.
    static func isRunEvent(_ name: String) -> Bool {
        (name.hasPrefix("park-price-run-") || name.hasPrefix("dispatch-")) && name.range(of: #"-run-\d+$"#, options: .regularExpression) != nil
    }

    /// A report's readings as measurements of `<firm>_load` (kW): DEMAND as is, USAGE (kWh
    /// over the interval) divided by the interval's hours. The firm is the reporting VEN's
    /// target (its client id when it has none). Intervals without a time are skipped.
    public static func measurements(_ report: Components.Schemas.Report, grant: VTNAuth.Grant) -> [StoredMeasurement] {
        readings(report.value2, grant: grant).map(\.measurement)
    }

    /// Each reading with the field it came from (`resources[k].intervals[j]`).
    static func readings(_ report: Components.Schemas.ReportRequest, grant: VTNAuth.Grant) -> [(field: String, measurement: StoredMeasurement)] {
        let firm = grant.targets.first ?? grant.clientID
        var out: [(String, StoredMeasurement)] = []
        for (r, resource) in report.resources.enumerated() {
            for (k, interval) in resource.intervals.enumerated() {
                let period = interval.intervalPeriod ?? resource.intervalPeriod
                let own = interval.intervalPeriod?.start != nil
                guard let base = period?.start, let seconds = (period?.duration).flatMap(VTNValidation.seconds), seconds > 0 else { continue }
                let start = own ? base : base.addingTimeInterval(Double(k) * seconds)
                for p in interval.payloads {
                    guard let v = p.values.first.flatMap({ $0.value1 ?? $0.value2.map(Double.init) }) else { continue }
                    let kW: Double
                    switch p._type {
                    case "USAGE": kW = v / (seconds / 3600)
                    case "DEMAND": kW = v
                    default: continue
                    }
                    out.append(("resources[\(r)].intervals[\(k)]",
                                StoredMeasurement(series: "\(firm)_load", time: start, value: kW, unit: "kW", source: "openadr:\(grant.clientID)")))
                }
            }
        }
        return out
    }

    /// The problems of a report's readings under the same rules as every feed's samples
    /// (`MeasurementValidator`: a declared series, range, age, lead, a finite number), each
    /// naming its field: for `VTNService`'s `reportCheck`.
    public static func check(_ report: Components.Schemas.ReportRequest, grant: VTNAuth.Grant, validator: MeasurementValidator,
                             now: Date = Date()) -> [String] {
        readings(report, grant: grant).compactMap { field, m in
            let raw = RawSample(series: m.series, time: m.time, value: m.value, unit: m.unit)
            if case .failure(let r) = validator.validate(raw, source: m.source, now: now) { return "\(field): \(r.reason)" }
            return nil
        }
    }

    /// What a firm's load reported to the park's VTN accepts when no feeds configuration
    /// declares it: kW within ±1 GW, at most a week old and five minutes ahead.
    public static func defaultLoadSpec(firm: String) -> SeriesSpec {
        SeriesSpec(name: "\(firm)_load", unit: "kW", min: -1e6, max: 1e6, maxAgeSeconds: 7 * 86400, maxFutureSeconds: 300)
    }
}
