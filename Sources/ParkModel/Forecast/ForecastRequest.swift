import Forecasting
import Foundation

/// What a scenario asks to have forecast: the series it flags (`"forecast": true`) or leaves
/// out of its time-series file, with where their history lies and which models it names
/// (the optional `"forecast"` object of scenario.json, docs/park-model.md "Forecast series").
/// The reader builds it; a ``SeriesForecaster`` the application layer supplies answers it.
public struct ForecastRequest: Sendable {
    /// The scenario folder (history folders are relative to it).
    public var directory: String
    /// The series to forecast, in first-reference order, with their roles: "load" (kept
    /// ≥ 0) or "profile" (a pv/wind per-unit profile, kept in [0, 1]).
    public var series: [(name: String, role: String)]
    /// The history folder as scenario.json names it (default "history").
    public var historyFolder: String
    /// Whether that folder exists.
    public var hasHistory: Bool
    /// The model for every series (default "auto"), and per-series choices.
    public var model: String
    public var models: [String: String]
    /// Per series, the history columns used as drivers; their horizon values come from `columns`.
    public var drivers: [String: [String]]
    /// Per series, the PV site its models get (the sun's geometry for `pv_clearsky`).
    public var sites: [String: SolarSite] = [:]
    /// The horizon: its first step's start, the step length and the number of steps.
    public var start: Date
    public var stepMinutes: Int
    public var steps: Int
    /// The time-series file's columns (a flagged series' own values are its actuals).
    public var columns: [String: [Double]]

    public init(directory: String, series: [(name: String, role: String)], historyFolder: String, hasHistory: Bool, model: String,
                models: [String: String], drivers: [String: [String]], start: Date, stepMinutes: Int, steps: Int, columns: [String: [Double]]) {
        self.directory = directory
        self.series = series
        self.historyFolder = historyFolder
        self.hasHistory = hasHistory
        self.model = model
        self.models = models
        self.drivers = drivers
        self.start = start
        self.stepMinutes = stepMinutes
        self.steps = steps
        self.columns = columns
    }
}

/// A forecaster's answer: the series it forecast, the errors (each naming its file, field
/// or series; a series it could not forecast is named there), and the history files it read.
public struct ForecastResponse: Sendable {
    public var forecasts: [SeriesForecast]
    public var messages: [String]
    public var files: [InputContent]

    public init(forecasts: [SeriesForecast] = [], messages: [String] = [], files: [InputContent] = []) {
        self.forecasts = forecasts
        self.messages = messages
        self.files = files
    }
}

/// Forecasts what a scenario leaves to its history: the stage between reading a scenario
/// and resolving its series. `FlexDispatch` supplies one built on the `Forecasting` models.
public protocol SeriesForecaster {
    func forecast(_ request: ForecastRequest) -> ForecastResponse
}
