import DataFiles
import Forecasting
import Foundation
import LinearProgramming
import ParkModel
import RunHistory

/// A re-plan's place among its scenario's plans, as the manifest, `summary.json` and the
/// run history keep it: where it starts, from which state, and what it replaces.
public struct PlanRevision: Codable, Sendable, Equatable {
    /// The instant it re-plans from (ISO 8601).
    public var at: String
    /// Its first step, counted in the scenario's steps.
    public var firstStep: Int
    /// How many steps it plans.
    public var horizonSteps: Int
    /// The complete state it started from, as used (clamped states clamped).
    public var state: ParkState
    /// The run it replaces in the run history; nil when none.
    public var replaces: Int64?
    /// Remarks: states clamped, windows closed, where the state's values came from.
    public var notes: [String]
    /// The intraday update of the forecasts (a replay applies it); nil when none.
    public var intraday: IntradayCorrection?

    /// What the report says of the re-plan, one line each.
    public var reportLines: [String] {
        ["Re-plan from \(at) (step \(firstStep) of the scenario, \(horizonSteps) steps)"
            + (replaces.map { ", replacing run \($0)" } ?? ", replacing no recorded run")] + notes
    }
}

/// Re-planning a scenario from an instant: finding the state the park is in and the plan
/// it replaces, then solving the rest of the horizon (`DailyBatch.Options.replan`).
///
/// The state starts from what the caller gives (a state file, telemetry) and takes what
/// it leaves out from the plan being replaced, as if the park had followed it: the
/// latest plan of the scenario in the run history that covers the instant, or a given
/// run, or — without a history — the scenario's own day-ahead plan, solved first.
public enum Replanning {
    /// Which plan a re-plan replaces.
    public enum Replaced: Sendable, Equatable {
        /// The newest run of the same scenario in the history whose steps hold the instant.
        case latest
        /// This run of the history.
        case run(Int64)
        /// None: values the state leaves out come from the day-ahead plan, solved first.
        case none
    }

    /// What to re-plan.
    public struct Request: Sendable {
        /// The instant to re-plan from; the plan starts at the step that holds it.
        public var at: Date
        /// How far ahead to plan (hours); the scenario's end bounds it.
        public var horizonHours: Double = 24
        /// The state known at `at` (a state file); what it leaves out comes from `telemetry`, then from the replaced plan.
        public var state = ParkState()
        /// The measurement store to read the state from (``TelemetryState``); nil: none.
        public var telemetry: TelemetryState.Source?
        public var replaces = Replaced.latest
        /// Whether forecasts with realised values before `at` are updated by their recent error.
        public var updateForecasts = true
        /// How (nil: `IntradayCorrection.standard(stepMinutes:)` for the scenario's step).
        public var intraday: IntradayCorrection?

        public init(at: Date, horizonHours: Double = 24, state: ParkState = ParkState(), replaces: Replaced = .latest,
                    updateForecasts: Bool = true, intraday: IntradayCorrection? = nil) {
            self.at = at
            self.horizonHours = horizonHours
            self.state = state
            self.replaces = replaces
            self.updateForecasts = updateForecasts
            self.intraday = intraday
        }

        /// The update applied to a scenario of `stepMinutes`; nil when none.
        public func correction(stepMinutes: Int) -> IntradayCorrection? {
            updateForecasts ? intraday ?? .standard(stepMinutes: stepMinutes) : nil
        }
    }

    /// The re-plan of `s` for `request`, with its revision record.
    /// - Throws: `DailyBatch.Failure.input` naming what is wrong (an instant outside the
    ///   horizon, a state that names unknown assets, a replaced run that does not cover the instant).
    public static func prepare(_ s: Scenario, request: Request, store: (any RunStore)?, settings: SolverSettings,
                               limits: LimitMode) throws(DailyBatch.Failure) -> (replan: Replan, revision: PlanRevision) {
        guard request.horizonHours.isFinite, request.horizonHours > 0 else {
            throw .input(["--horizon-hours must be a positive number of hours, got \(request.horizonHours)"])
        }
        guard let first = s.step(containing: request.at) else {
            throw .input(["--at \(ISO8601Formatting.string(request.at)) lies outside the scenario's horizon "
                          + "[\(ISO8601Formatting.string(s.start)), \(ISO8601Formatting.string(s.stepStart(s.steps))))"])
        }
        var notes: [String] = []
        var given = request.state
        if let source = request.telemetry {
            do {
                let measured = try TelemetryState.read(source, scenario: s, at: request.at)
                given = given.filled(from: measured.state)
                notes += measured.notes
            } catch {
                throw .writing("telemetry: \(error)")
            }
        }
        let problems = given.problems(for: s)
        if !problems.isEmpty { throw .input(problems.map { "state: \($0)" }) }
        let (planned, replaced) = try plannedState(s, at: first, request: request, store: store, settings: settings, limits: limits, notes: &notes)
        let taken = s.allAssets.filter { a in a.kind.progressKind.map { given[$0, a.id] == nil } ?? false }.map(\.id)
        if !taken.isEmpty {
            let source = replaced.map { "run \($0)'s plan" } ?? "the day-ahead plan"
            notes.append("park: the state of \(taken.count) asset(s) is taken from \(source), not measured: \(taken.prefix(8).joined(separator: ", "))"
                         + (taken.count > 8 ? ", …" : ""))
        }
        let steps = Int(min(Double(s.steps), max(1, (request.horizonHours * 60 / Double(s.stepMinutes)).rounded(.up))))
        let replan: Replan
        do { replan = try s.replanned(from: first, horizonSteps: steps, state: given.filled(from: planned)) } catch {
            throw .input(error.messages)
        }
        let revision = PlanRevision(at: ISO8601Formatting.string(request.at), firstStep: first, horizonSteps: replan.scenario.steps,
                                    state: replan.state, replaces: replaced, notes: replan.notes + notes,
                                    intraday: request.correction(stepMinutes: s.stepMinutes))
        return (replan, revision)
    }

    /// The state at step `first` of the plan being replaced, and that plan's run id.
    static func plannedState(_ s: Scenario, at first: Int, request: Request, store: (any RunStore)?, settings: SolverSettings,
                             limits: LimitMode, notes: inout [String]) throws(DailyBatch.Failure) -> (ParkState, Int64?) {
        if case .run(let id) = request.replaces, store == nil {
            throw .input(["--replaces \(id): there is no run history to find it in (--no-db)"])
        }
        if let store, request.replaces != .none {
            do {
                if let (id, detail) = try replacedRun(s, at: first, request: request, store: store) {
                    return (try state(of: detail, scenario: s, after: first), id)
                }
            } catch let failure as DailyBatch.Failure {
                throw failure
            } catch {
                throw .writing("\(error)")
            }
        }
        if first == 0 { return (.initial(s), nil) }
        // The day-ahead plan: on the forecasts as they were before any intraday update.
        let original = Dictionary(s.forecasts.compactMap { f in f.dayAheadP50.map { (f.series, $0) } }, uniquingKeysWith: { a, _ in a })
        var dayAheadScenario = s
        if !original.isEmpty {
            let offset = s.times.first.flatMap { TimeParser.parse(Substring($0))?.offsetSeconds } ?? 0
            dayAheadScenario = s.withSeries(start: s.start, utcOffsetSeconds: offset) { original[$0] }
        }
        do {
            let dayAhead = try DispatchRun.solve(dayAheadScenario, settings: settings, limits: limits, standalone: false)
            guard dayAhead.status == .optimal else {
                throw DailyBatch.Failure.input(["the day-ahead plan the state would come from is \(dayAhead.status.rawValue); give every asset's state (--state)"])
            }
            return (ParkState.planned(by: dayAhead, of: s, after: first), nil)
        } catch let failure as DailyBatch.Failure {
            throw failure
        } catch {
            throw .input(["\(error)"])
        }
    }

    /// The run a re-plan replaces, when there is one in the history.
    static func replacedRun(_ s: Scenario, at first: Int, request: Request, store: any RunStore) throws -> (Int64, RunDetail)? {
        let time = s.times[first]
        switch request.replaces {
        case .none:
            return nil
        case .run(let id):
            guard let detail = try store.show(id) else { throw DailyBatch.Failure.input(["--replaces \(id): no such run in the history"]) }
            guard detail.field("scenario") == s.name, detail.times.contains(time) else {
                throw DailyBatch.Failure.input(["--replaces \(id): run \(id) is not a plan of '\(s.name)' that holds \(time)"])
            }
            return (id, detail)
        case .latest:
            guard let id = try store.latestRun(scenario: s.name, holding: time), let detail = try store.show(id) else { return nil }
            return (id, detail)
        }
    }

    /// The state after a stored plan's steps up to `first`, as if the park had followed it.
    static func state(of detail: RunDetail, scenario s: Scenario, after first: Int) throws -> ParkState {
        let revision = detail.revision
        let start = try revision.map { try JSONDecoder().decode(ParkState.self, from: Data($0.startState.utf8)) } ?? .initial(s)
        let origin = revision?.firstStep ?? 0
        guard let offset = detail.times.firstIndex(of: s.times[first]), origin + offset == first else {
            throw DailyBatch.Failure.input(["the replaced run's steps do not line up with the scenario's (step \(first), \(s.times[first]))"])
        }
        let planned = try s.replanned(from: origin, horizonSteps: detail.times.count, state: start.filled(from: .initial(s))).scenario
        var values: [String: [ScheduleVariable: [Double]]] = [:]
        for (key, series) in detail.scheduleValues {
            let parts = key.split(separator: "/", maxSplits: 2).map(String.init)
            guard parts.count == 3, let role = ScheduleVariable(rawValue: parts[2]) else { continue }
            values[parts[1], default: [:]][role] = series
        }
        let imports = values["grid"]?[.gridImport] ?? []
        return ParkState.planned(values: values, imports: imports, of: planned, startingFrom: start, after: offset)
    }
}
