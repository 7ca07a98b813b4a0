import DataFiles
import Forecasting
import Foundation
import LinearProgramming
import ParkModel
import Reporting

/// The digital twin: plays a park's measured history closed-loop and measures what a
/// planning strategy is worth against the hindsight optimum (docs/operations.md
/// "Digital twin").
///
/// Each simulated day is the scenario's park over one day of its history: the loads, PV
/// and wind as measured that day (`history/`), the other series (tariffs, carbon
/// intensity) as the scenario gives them for its own day. The controller sees only what it
/// could have known: the day-ahead forecasts are made from the history before the day
/// (the same models as `run`), and a rolling re-plan at step k corrects them by the error
/// of the steps before k (`IntradayCorrection`) and starts from the twin's state. The twin
/// (`ParkTwin`) carries out each plan against the measured day. Every plan has soft limits.
/// Each day starts from the scenario's initial state.
///
/// ```swift
/// var options = Simulation.Options(strategy: .rolling)
/// options.days = 14
/// let result = try Simulation.run(scenarioDirectory: "datasets/ordos-park", options: options) { print($0) }
/// print(result.regret)
/// ```
public enum Simulation {
    /// How the controller plans.
    public enum Strategy: String, Sendable, Codable, CaseIterable {
        /// One plan a day, made the day before on the forecasts, carried out as it is.
        case dayAhead = "day-ahead"
        /// The day-ahead plan, re-made every `everyMinutes` from the twin's state and updated forecasts.
        case rolling
        /// The hindsight optimum: one plan on the measured day.
        case perfect
    }

    public struct Options: Sendable {
        public var strategy: Strategy
        /// Days simulated.
        public var days = 14
        /// The first day (YYYY-MM-DD on the park's clock); nil: the `days` days just before the scenario's start.
        public var fromDay: String?
        /// Minutes between re-plans (rolling).
        public var everyMinutes = 15
        /// Money per kWh of net import away from the nominated (day-ahead) schedule; nil:
        /// 10 % of the scenario's mean import price.
        public var imbalancePrice: Double?
        /// Rolling: each re-plan keeps its imports below the peak so far less this quantile of
        /// the last eight hours' excess of realised over planned net import, so that a
        /// forecast error does not raise the peak a plan filled up to; nil: up to the peak so far.
        public var peakReserveQuantile: Double? = 0.9
        /// Plan on the day's measured values instead of forecasts: what forecast errors cost
        /// (day-ahead and rolling then realise the hindsight optimum, a check of the re-planning).
        public var exactForecasts = false
        public var settings = SolverSettings()
        public var forecastModels = ForecastCatalog()

        public init(strategy: Strategy) { self.strategy = strategy }
    }

    /// One simulated day.
    public struct Day: Sendable, Codable, Equatable {
        /// The day's start (ISO 8601 in the park's offset).
        public var day: String
        public var realisedCost: Double
        /// The hindsight optimum of the same day.
        public var perfectCost: Double
        public var regret: Double
        /// The realised cost by part (energy, carbon, peak, degradation, shedding, curtailment, breach, imbalance).
        public var parts: [String: Double]
        /// Plans solved and their solve time.
        public var solves: Int
        public var solveSeconds: Double
        /// Re-plans that failed (the plan in force kept running), in words.
        public var failedPlans: [String]
        /// Limits the realised day breached, in words.
        public var breaches: [String]
        /// The day step by step, for the report (not in `simulation.json`).
        public var series: DaySeries?

        enum CodingKeys: String, CodingKey { case day, realisedCost, perfectCost, regret, parts, solves, solveSeconds, failedPlans, breaches }
    }

    /// A simulated day step by step: the plan's and the realised net import (kW), and the
    /// energy all batteries hold at each step's end, planned and realised (kWh). The plan
    /// is the day's first: the nomination (day-ahead, rolling) or the hindsight optimum (perfect).
    public struct DaySeries: Sendable, Equatable {
        public var times: [String]
        public var plannedImportKW: [Double]
        public var realisedImportKW: [Double]
        public var plannedStoredKWh: [Double]
        public var realisedStoredKWh: [Double]
    }

    /// The outcome (`simulation.json`, `simulate --json`).
    public struct Result: Sendable, Codable, Equatable {
        public var scenario: String
        /// The currency of every cost.
        public var currency: String
        public var strategy: Strategy
        public var days: Int
        public var everyMinutes: Int?
        /// Rolling: the peak reserve's quantile (`Options.peakReserveQuantile`).
        public var peakReserveQuantile: Double?
        public var imbalancePrice: Double
        public var realisedCost: Double
        public var perfectCost: Double
        public var regret: Double
        public var breaches: [String]
        public var perDay: [Day]
        public var solves: Int
        public var solveSeconds: Double
        /// Re-plans that failed over all days (each time, the plan in force kept running).
        public var failedPlans: Int
    }

    /// Simulates `options.days` days of the scenario in `scenarioDirectory`; `progress`
    /// hears one line per day.
    /// - Throws: `DailyBatch.Failure.input` for a scenario that is not one day long, has no
    ///   forecast series or history, or history that does not cover the days.
    public static func run(scenarioDirectory: String, options: Options, progress: (String) -> Void = { _ in }) throws -> Result {
        let base = try readBase(scenarioDirectory, models: options.forecastModels)
        guard let request = base.forecastRequest, !request.series.isEmpty else {
            throw DailyBatch.Failure.input(["\(scenarioDirectory): the scenario forecasts no series from a history; a simulation needs one"])
        }
        guard base.steps * base.stepMinutes == 1_440 else {
            throw DailyBatch.Failure.input(["\(scenarioDirectory): a simulation plays whole days; the scenario lasts \(base.steps) steps of \(base.stepMinutes) min"])
        }
        guard options.days >= 1, options.everyMinutes >= base.stepMinutes, options.everyMinutes % base.stepMinutes == 0 else {
            throw DailyBatch.Failure.input(["--days must be ≥ 1 and --every a multiple of the scenario's \(base.stepMinutes)-minute step"])
        }
        if let q = options.peakReserveQuantile, !(q >= 0 && q < 1) {
            throw DailyBatch.Failure.input(["--peak-reserve must lie in [0, 1), got \(q)"])
        }
        let history = try HistoryDays(folder: (scenarioDirectory as NSString).appendingPathComponent(request.historyFolder))
        let offset = TimeParser.parse(Substring(base.times.first ?? ""))?.offsetSeconds ?? 0
        var first = base.start.addingTimeInterval(-Double(options.days) * 86_400)
        if let day = options.fromDay {
            let sign = offset < 0 ? "-" : "+"
            let text = day + String(format: "T00:00:00%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
            guard day.count == 10, let date = TimeParser.instant(text) else {
                throw DailyBatch.Failure.input(["--from '\(day)': not a day YYYY-MM-DD"])
            }
            first = date
        }
        let meanPrice = base.park.importPrice.reduce(0, +) / Double(max(1, base.steps))
        let imbalancePrice = options.imbalancePrice ?? 0.1 * meanPrice
        var result = Result(scenario: base.name, currency: base.currency, strategy: options.strategy, days: options.days,
                            everyMinutes: options.strategy == .rolling ? options.everyMinutes : nil,
                            peakReserveQuantile: options.strategy == .rolling ? options.peakReserveQuantile : nil, imbalancePrice: imbalancePrice,
                            realisedCost: 0, perfectCost: 0, regret: 0, breaches: [], perDay: [], solves: 0, solveSeconds: 0,
                            failedPlans: 0)
        for d in 0..<options.days {
            let start = first.addingTimeInterval(Double(d) * 86_400)
            let day = try simulateDay(base, history: history, request: request, start: start, offset: offset, options: options,
                                      imbalancePrice: imbalancePrice)
            result.perDay.append(day)
            result.realisedCost += day.realisedCost
            result.perfectCost += day.perfectCost
            result.solves += day.solves
            result.solveSeconds += day.solveSeconds
            result.failedPlans += day.failedPlans.count
            result.breaches += day.breaches.map { "\(day.day): \($0)" }
            progress("day \(d + 1)/\(options.days) \(day.day): realised \(String(format: "%.2f", day.realisedCost)), "
                     + "perfect \(String(format: "%.2f", day.perfectCost)), regret \(String(format: "%.2f", day.regret)) \(base.currency)"
                     + (day.failedPlans.isEmpty ? "" : "; \(day.failedPlans.count) re-plan(s) failed, the plan in force kept running"))
        }
        result.regret = result.realisedCost - result.perfectCost
        return result
    }

    /// The page `simulate` writes as `simulation.html` (`SimulationReport`).
    public static func report(_ r: Result, generated: Date = Date()) -> String {
        let series = r.perDay.compactMap(\.series)
        return SimulationReport.html(.init(
            scenario: r.scenario, strategy: r.strategy.rawValue, everyMinutes: r.everyMinutes, currency: r.currency,
            imbalancePrice: r.imbalancePrice, realisedCost: r.realisedCost, perfectCost: r.perfectCost, solves: r.solves,
            solveSeconds: r.solveSeconds, days: r.perDay.map { ($0.day, $0.realisedCost, $0.perfectCost) },
            times: series.flatMap(\.times), plannedImportKW: series.flatMap(\.plannedImportKW),
            realisedImportKW: series.flatMap(\.realisedImportKW), plannedStoredKWh: series.flatMap(\.plannedStoredKWh),
            realisedStoredKWh: series.flatMap(\.realisedStoredKWh),
            failedPlans: r.perDay.flatMap { d in d.failedPlans.map { "\(d.day): \($0)" } }, breaches: r.breaches), generated: generated)
    }

    /// The scenario as read, with forecasts that are its own realised values (the simulation
    /// makes its own per day): what it asks to forecast and which series each field names.
    static func readBase(_ directory: String, models: ForecastCatalog) throws(DailyBatch.Failure) -> Scenario {
        do {
            return try ScenarioReader.read(directory: directory, forecastFlagged: true, forecaster: Hindsight())
        } catch let e as ScenarioError {
            throw .input(e.messages.map { "\(directory): \($0)" })
        } catch {
            throw .input(["\(directory): \(error)"])
        }
    }

    /// Answers a forecast request with the realised values (and nothing for a series without them).
    struct Hindsight: SeriesForecaster {
        func forecast(_ request: ForecastRequest) -> ForecastResponse {
            var response = ForecastResponse()
            for s in request.series {
                guard let v = request.columns[s.name] else {
                    response.messages.append("series '\(s.name)': a simulation needs its values in the time-series file or the history")
                    continue
                }
                response.forecasts.append(SeriesForecast(series: s.name, role: s.role, model: "actual", historyFile: "", historyHours: 0,
                                                         p10: v, p50: v, p90: v, actual: v))
            }
            return response
        }
    }
}
