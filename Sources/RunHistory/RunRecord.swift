import Foundation
import LinearProgramming
import ParkModel

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
    public var forecasts: [SeriesForecast]
    public var times: [String]
    public var conflicts: [String]

    public init(scenario s: Scenario, run r: DispatchRun, scenarioHash: String, scenarioDirectory: String,
                startedAt: Date, finishedAt: Date, programVersion: String, settings: SolverSettings,
                outputDirectory: String, resultDigest: String) {
        scenario = s.name
        self.scenarioHash = scenarioHash
        self.scenarioDirectory = scenarioDirectory
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.programVersion = programVersion
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        solverSettings = (try? encoder.encode(settings)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        status = r.status.rawValue
        objective = r.objective
        valueOfCluster = r.valueOfCluster
        parkResidual = r.parkResidual
        rows = r.rows; columns = r.columns; nonzeros = r.nonzeros; iterations = r.iterations
        solveSeconds = r.solveSeconds
        self.outputDirectory = outputDirectory
        self.resultDigest = resultDigest
        parts = r.parts
        prices = (0..<s.steps).map { t in
            (t, s.times[t], r.internalPrice.indices.contains(t) ? r.internalPrice[t] : nil, s.park.importPrice[t], s.park.exportPrice[t])
        }
        firms = s.firms.map { f in (f.id, f.name, r.settlement[f.id], r.standaloneCost[f.id] ?? nil, r.standaloneNote[f.id]) }
        schedule = r.schedule
        forecasts = s.forecasts
        times = s.times
        conflicts = r.conflicts
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
}

public struct RunStoreError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
