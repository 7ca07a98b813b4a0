import DataFiles
import Forecasting
import Foundation
import LinearProgramming
import ParkModel
import RunHistory

/// The park's daily batch as an API: read and validate the scenario (forecasting the series
/// it leaves out), check where the outputs go, solve the park's dispatch and every firm's
/// standalone problem, write the outputs, record the run. Each stage can be called on its
/// own; `run` calls them in order and reports each through `progress`.
///
/// ```swift
/// var options = DailyBatch.Options()
/// options.outputDirectory = "out/ordos-park"
/// let outcome = try DailyBatch.run(scenarioDirectory: "datasets/ordos-park", options: options) { event in
///     if case .stage(let text) = event { print(text) }
/// }
/// print(outcome.run.objective ?? .nan, outcome.run.settlement)
/// ```
public enum DailyBatch {
    /// How the batch runs.
    public struct Options {
        /// Output folder; nil: `out/<scenario name>`.
        public var outputDirectory: String?
        /// Replace an output folder that is not a previous FlexDispatch output (never an input).
        public var force = false
        /// Dispatch on the forecasts of flagged series (false: on the file's own values).
        public var forecastFlagged = true
        /// The forecasting models scenario.json may name: the built-in ones and any added.
        public var forecastModels = ForecastCatalog()
        /// The interior point's settings for the park's and the firms' problems.
        public var settings = SolverSettings()
        /// Hard limits (v1: a plan that cannot meet them is infeasible) or soft ones (every
        /// solve yields a plan and reports its breaches).
        public var limits = LimitMode.hard
        /// Re-plan from an instant instead of planning the whole horizon (`flexdispatch plan`).
        public var replan: Replanning.Request?
        /// Opens the run history to record the run in, given the output folder (the default
        /// history lies beside it: `RunStores.defaultPath`); nil: the run is not recorded.
        public var openStore: ((_ outputDirectory: String) throws -> any RunStore)?
        /// Also write the park LP as free MPS here.
        public var writeMPS: String?
        /// Files the run writes besides its output folder (the run history's file): never replaced.
        public var alsoWritten: [String] = []

        public init() {}
    }

    /// What the batch reports while it works.
    public enum Event: Sendable {
        /// A stage begins (reading, forecasting, building, solving, writing).
        case stage(String)
        /// A forecast model's remark on a series (e.g. candidates left out).
        case forecastNote(String)
        /// An interior-point iteration of the park's problem.
        case iteration(IterationRecord)
        /// A re-plan's remark (a state clamped, a window closed, where the state came from).
        case planNote(String)
    }

    /// Why the batch stopped; `exitStatus` is the command line's (2 input, 1 writing).
    public enum Failure: Error, CustomStringConvertible, Sendable {
        /// The scenario's errors, each naming its file, line or field.
        case input([String])
        /// The output folder may not be replaced.
        case output(String)
        /// The outputs or the run history could not be written.
        case writing(String)

        public var description: String {
            switch self {
            case .input(let messages): messages.joined(separator: "\n")
            case .output(let message), .writing(let message): message
            }
        }
        public var exitStatus: Int32 {
            switch self {
            case .input, .output: 2
            case .writing: 1
            }
        }
    }

    /// What a batch gave.
    public struct Outcome: Sendable {
        /// The scenario as read, with its forecasts.
        public var scenario: Scenario
        /// The solved dispatch: status, objective, λ, settlements, schedule.
        public var run: DispatchRun
        /// Where the outputs are.
        public var outputDirectory: String
        /// Where the run was recorded, when it was.
        public var written: RunOutput.Written
        /// For a re-plan: where it started and what it replaced.
        public var revision: PlanRevision?
        /// A verdict: optimal, or infeasible with its conflicts.
        public var isVerdict: Bool { run.status == .optimal || run.status == .infeasible }
    }

    /// Reads and validates the scenario folder, forecasting the series it leaves out with
    /// the models of `models` that scenario.json names; with `intraday`, the forecasts that
    /// have realised values are corrected from the origin's step on by the error just before it.
    public static func read(_ directory: String, forecastFlagged: Bool = true, models: ForecastCatalog = ForecastCatalog(),
                            intraday: (origin: Date, correction: IntradayCorrection?)? = nil) throws(Failure) -> Scenario {
        let history = HistoryForecaster(models: models)
        let forecaster: any SeriesForecaster = intraday.map {
            IntradayForecaster(base: history, origin: .instant($0.origin), correction: $0.correction)
        } ?? history
        do {
            return try ScenarioReader.read(directory: directory, forecastFlagged: forecastFlagged, forecaster: forecaster)
        } catch let e as ScenarioError {
            throw .input(e.messages.map { "\(directory): \($0)" })
        } catch {
            throw .input(["\(directory): \(error)"])
        }
    }

    /// The output folder for `s`, after checking it may be replaced.
    public static func outputDirectory(for s: Scenario, scenarioDirectory: String, options: Options) throws(Failure) -> String {
        let step = options.replan.flatMap { s.step(containing: $0.at) }
        let dir = options.outputDirectory ?? step.map { "out/\(s.name)-plan-step\($0)" } ?? "out/\(s.name)"
        do {
            try OutputFolder.check(dir, inputs: RunOutput.protectedInputs(s, scenarioDirectory: scenarioDirectory, also: protected(options)),
                                   force: options.force)
        } catch { throw .output(error.description) }
        return dir
    }

    /// Solves the park's dispatch and every firm's standalone problem.
    public static func dispatch(_ s: Scenario, settings: SolverSettings, limits: LimitMode = .hard,
                                progress: ((IterationRecord) -> Void)? = nil) throws -> DispatchRun {
        try DispatchRun.solve(s, settings: settings, limits: limits, progress: progress)
    }

    /// The whole batch, stage by stage.
    public static func run(scenarioDirectory: String, options: Options, progress: (Event) -> Void = { _ in }) throws -> Outcome {
        let started = Date()
        progress(.stage("reading \(scenarioDirectory)"))
        var s = try read(scenarioDirectory, forecastFlagged: options.forecastFlagged, models: options.forecastModels,
                         intraday: options.replan.flatMap { r in r.updateForecasts ? (r.at, r.intraday) : nil })
        let dir = try outputDirectory(for: s, scenarioDirectory: scenarioDirectory, options: options)
        let store: (any RunStore)?
        do { store = try options.openStore?(dir) } catch { throw Failure.writing("\(error)") }
        if !s.forecasts.isEmpty {
            let models = Dictionary(grouping: s.forecasts, by: \.model).map { "\($0.key) ×\($0.value.count)" }.sorted()
            progress(.stage("forecast \(s.forecasts.count) series from the history: \(models.joined(separator: ", "))"))
            for f in s.forecasts { for note in f.notes { progress(.forecastNote("\(f.historyFile): series '\(f.series)': \(f.model): \(note)")) } }
        }
        var revision: PlanRevision?
        if let request = options.replan {
            progress(.stage("re-planning from \(ISO8601Formatting.string(request.at))"))
            let prepared = try Replanning.prepare(s, request: request, store: store, settings: options.settings, limits: options.limits)
            s = prepared.replan.scenario
            revision = prepared.revision
            for note in prepared.revision.notes { progress(.planNote(note)) }
        }
        progress(.stage("building the LP: \(s.firms.count) firms, \(s.steps) steps"))
        if let path = options.writeMPS {
            try MPSWriter.write(try DispatchFormulation(s, scope: .park, limits: options.limits).model.build(), to: path)
            progress(.stage("wrote \(path)"))
        }
        progress(.stage("solving the park and \(s.firms.count) standalone problems"))
        let run = try withoutActuallyEscaping(progress) { report in
            try dispatch(s, settings: options.settings, limits: options.limits) { report(.iteration($0)) }
        }
        progress(.stage("writing \(dir)"))
        let written: RunOutput.Written
        do {
            written = try RunOutput.write(run, scenario: s, scenarioDirectory: scenarioDirectory, forecastFlagged: options.forecastFlagged,
                                          settings: options.settings, startedAt: started, to: dir, force: options.force,
                                          protected: protected(options), store: store, revision: revision)
        } catch let refusal as OutputFolder.Refusal {
            throw Failure.output(refusal.description)
        } catch {
            throw Failure.writing("\(error)")
        }
        return Outcome(scenario: s, run: run, outputDirectory: dir, written: written, revision: revision)
    }

    static func protected(_ options: Options) -> [String] {
        (options.alsoWritten + [options.writeMPS].compactMap { $0 }).filter { !$0.hasPrefix("postgres") }
    }
}
