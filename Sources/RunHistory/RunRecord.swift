import Storage
import DataFiles
import Foundation

/// Everything the run history keeps of one `flexdispatch run`: metadata, the result, and
/// the full tables (schedule, prices, firms, forecasts) in rows a SQL user can query.
public struct RunRecord: Sendable {
    public var scenario: String
    /// SHA-256 over the scenario's input files (see `InputFiles.digest`).
    public var scenarioHash: String
    public var scenarioDirectory: String
    public var startedAt: Date
    public var finishedAt: Date
    public var programVersion: String
    /// The solver settings as JSON.
    public var solverSettings: String
    public var status: String
    public var objective: Double?
    public var valueOfCluster: Double?
    public var parkResidual: Double?
    public var rows: Int, columns: Int, nonzeros: Int, iterations: Int
    public var solveSeconds: Double
    public var outputDirectory: String
    /// SHA-256 of the result (objective, settlements, schedule; see `ResultDigest`).
    public var resultDigest: String
    public var parts: [String: Double]
    public var prices: [(step: Int, time: String, internalPrice: Double?, importPrice: Double, exportPrice: Double)]
    public var firms: [(id: String, name: String, settlement: Double?, standaloneCost: Double?, note: String?)]
    public var schedule: [(step: Int, owner: String, asset: String, variable: String, value: Double)]
    public var forecasts: [Forecast]
    public var times: [String]
    /// The step length: `times` are this far apart.
    public var stepSeconds: Double
    public var conflicts: [String]
    /// For a re-plan: what it replaces and where it starts; nil for a day-ahead run.
    public var revision: Revision?

    /// A re-plan's place among the plans of its scenario.
    public struct Revision: Sendable, Equatable {
        /// The run it replaces; nil when it replaces none in this history.
        public var replaces: Int64?
        /// The instant it re-plans from (ISO 8601).
        public var planAt: String
        /// Its first step, counted in the scenario's steps.
        public var firstStep: Int
        /// The park state it started from, as a state file's JSON.
        public var startState: String
        /// Its remarks (states clamped, windows closed, where each value came from).
        public var notes: [String]

        public init(replaces: Int64?, planAt: String, firstStep: Int, startState: String, notes: [String]) {
            self.replaces = replaces
            self.planAt = planAt
            self.firstStep = firstStep
            self.startState = startState
            self.notes = notes
        }
    }

    /// One forecast series of the run: which model made it from which history, its
    /// quantiles per step, and the realised values when the scenario has them.
    public struct Forecast: Sendable, Equatable {
        public var series: String
        /// "load" or "profile".
        public var role: String
        public var model: String
        public var historyFile: String
        public var historyHours: Int
        public var maeAgainstActual: Double?
        public var p10: [Double], p50: [Double], p90: [Double]
        public var actual: [Double]?

        public init(series: String, role: String, model: String, historyFile: String, historyHours: Int, maeAgainstActual: Double?,
                    p10: [Double], p50: [Double], p90: [Double], actual: [Double]?) {
            self.series = series
            self.role = role
            self.model = model
            self.historyFile = historyFile
            self.historyHours = historyHours
            self.maeAgainstActual = maeAgainstActual
            self.p10 = p10
            self.p50 = p50
            self.p90 = p90
            self.actual = actual
        }
    }

    /// Whether the tables fit together (every step and forecast value has its time, the
    /// step length is a positive number); `RunStore.record` refuses a record that does not.
    public func check() throws {
        func fail(_ why: String) -> StoreError { StoreError("run of \(scenario): \(why)") }
        guard stepSeconds.isFinite && stepSeconds > 0 else { throw fail("the step length \(stepSeconds) s is not a positive number") }
        if let bad = schedule.first(where: { !times.indices.contains($0.step) }) {
            throw fail("schedule step \(bad.step) of \(bad.owner)/\(bad.asset)/\(bad.variable) has no time (\(times.count) steps)")
        }
        if let bad = prices.first(where: { !times.indices.contains($0.step) }) { throw fail("price step \(bad.step) has no time") }
        for f in forecasts where f.p50.count > times.count || f.p10.count != f.p50.count || f.p90.count != f.p50.count
            || (f.actual.map { $0.count != f.p50.count } ?? false) {
            throw fail("forecast '\(f.series)': p10, p50, p90 and actual must have one value per step")
        }
    }

    /// A record from plain values (the application layer builds it from a scenario and its
    /// solved dispatch: `RunRecord(scenario:run:…)` in the FlexDispatch module).
    public init(scenario: String, scenarioHash: String, scenarioDirectory: String, startedAt: Date, finishedAt: Date,
                programVersion: String, solverSettings: String, status: String, objective: Double?, valueOfCluster: Double?,
                parkResidual: Double?, rows: Int, columns: Int, nonzeros: Int, iterations: Int, solveSeconds: Double,
                outputDirectory: String, resultDigest: String, parts: [String: Double],
                prices: [(step: Int, time: String, internalPrice: Double?, importPrice: Double, exportPrice: Double)],
                firms: [(id: String, name: String, settlement: Double?, standaloneCost: Double?, note: String?)],
                schedule: [(step: Int, owner: String, asset: String, variable: String, value: Double)],
                forecasts: [Forecast], times: [String], stepSeconds: Double, conflicts: [String]) {
        self.scenario = scenario
        self.scenarioHash = scenarioHash
        self.scenarioDirectory = scenarioDirectory
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.programVersion = programVersion
        self.solverSettings = solverSettings
        self.status = status
        self.objective = objective
        self.valueOfCluster = valueOfCluster
        self.parkResidual = parkResidual
        self.rows = rows; self.columns = columns; self.nonzeros = nonzeros; self.iterations = iterations
        self.solveSeconds = solveSeconds
        self.outputDirectory = outputDirectory
        self.resultDigest = resultDigest
        self.parts = parts
        self.prices = prices
        self.firms = firms
        self.schedule = schedule
        self.forecasts = forecasts
        self.times = times
        self.stepSeconds = stepSeconds
        self.conflicts = conflicts
    }
}

/// A run as `runs list` shows it.
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var scenario: String
    public var startedAt: String
    public var status: String
    public var objective: Double?
    public var valueOfCluster: Double?
    public var solveSeconds: Double
    public var scenarioHash: String
}

/// Where runs are recorded: SQLite by default, PostgreSQL for shared deployments; the
/// same schema in both (`RunSchema`).
public protocol RunStore {
    /// Stores a run and everything in it in one transaction; returns its id.
    func record(_ run: RunRecord) throws -> Int64
    func list(limit: Int) throws -> [RunSummary]
    /// One run's metadata as column → text, parts, firms; nil when there is no such run.
    func show(_ id: Int64) throws -> RunDetail?
    /// The newest optimal run of `scenario` one of whose steps starts at `time` (as the
    /// scenario writes its times); nil when there is none.
    func latestRun(scenario: String, holding time: String) throws -> Int64?
    /// The newest optimal run, of `scenario` when given; nil when there is none.
    func latestOptimalRun(scenario: String?) throws -> Int64?
}

extension RunStore {
    /// By listing the newest 1,000 runs and reading each of the scenario's; the stores of
    /// this module answer with one query.
    public func latestRun(scenario: String, holding time: String) throws -> Int64? {
        for summary in try list(limit: 1_000) where summary.scenario == scenario && summary.status == "optimal" {
            if try show(summary.id)?.times.contains(time) == true { return summary.id }
        }
        return nil
    }

    /// By listing the newest 1,000 runs; the stores of this module answer with one query.
    public func latestOptimalRun(scenario: String?) throws -> Int64? {
        try list(limit: 1_000).first { $0.status == "optimal" && (scenario == nil || $0.scenario == scenario) }?.id
    }
}

/// One stored run in full enough for `runs show` and `runs diff`.
public struct RunDetail: Sendable {
    public var fields: [(name: String, value: String)]
    public var parts: [String: Double]
    public var firms: [String: (settlement: Double?, standaloneCost: Double?)]
    public var internalPrice: [Double?]
    public var importPrice: [Double]
    public var scheduleValues: [String: [Double]]
    public var forecastModels: [String: String]
    /// Each step's start (ISO 8601 with the scenario's offset), from the schedule.
    public var times: [String] = []
    /// For a re-plan: what it replaces and where it starts.
    public var revision: RunRecord.Revision?
    /// The runs that re-planned this one, oldest first.
    public var revisedBy: [Int64] = []

    public init(fields: [(name: String, value: String)], parts: [String: Double], firms: [String: (settlement: Double?, standaloneCost: Double?)],
                internalPrice: [Double?], importPrice: [Double], scheduleValues: [String: [Double]], forecastModels: [String: String],
                times: [String] = []) {
        self.fields = fields
        self.parts = parts
        self.firms = firms
        self.internalPrice = internalPrice
        self.importPrice = importPrice
        self.scheduleValues = scheduleValues
        self.forecastModels = forecastModels
        self.times = times
    }

    public func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The run's steps on the clock: its recorded step length (`step_seconds`), or for a run
    /// recorded before the history kept it, the distance of its first two times.
    public func timeAxis() throws(TimeAxisError) -> TimeAxis {
        if let recorded = field("step_seconds").flatMap(Double.init) { return try TimeAxis.of(times: times, stepSeconds: recorded) }
        guard times.count >= 2, let a = TimeParser.instant(times[0]), let b = TimeParser.instant(times[1]) else {
            throw TimeAxisError("the run's step length is not recorded and it has fewer than two steps to read it from")
        }
        return try TimeAxis.of(times: times, stepSeconds: b.timeIntervalSince(a))
    }
}
