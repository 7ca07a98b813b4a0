import DataFiles
import ArgumentParser
import Foundation
import Forecasting

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast a series from its history (P10/P50/P90), or backtest models (`forecast backtest`).",
        subcommands: [ForecastBacktestCommand.self, ForecastIntradayCommand.self]
    )

    @Option(help: "History CSV (first column the interval-start time: Z, an offset, or bare local time).")
    var history: String?
    @Option(help: "The column to forecast.")
    var series: String?
    @Option(parsing: .unconditional, help: "Hours to forecast after the last hour of the history.")
    var horizon: Int = 24
    @Option(help: "Model: snaive_day, snaive_week, ridge (default for forecasts), or all (default for backtests).")
    var model: String?
    @Option(help: "Output CSV (time,p10,p50,p90), written atomically.")
    var out: String?

    func run() throws {
        guard let history, let series, let out else {
            throw ValidationError("give --history, --series and --out (or use 'forecast backtest')")
        }
        guard horizon >= 1, horizon <= 24 * 14 else { throw ValidationError("--horizon must be 1…336 hours") }
        let logger = CLILogging.logger("flexdispatch.forecast")
        let s: HourlySeries
        do { s = try HistoryReader.read(path: history, column: series) } catch let e as HistoryError {
            logger.error("\(e.description)")
            throw ExitCode(2)
        }
        let model = self.model ?? "ridge"
        guard let m = ForecastModels.make(model) else {
            throw ValidationError("unknown model '\(model)' (\(ForecastModels.names.joined(separator: ", ")))")
        }
        let result: Forecaster.Result
        do { result = try Forecaster.run(m, s, horizon: horizon, futureDrivers: [:]) } catch {
            logger.error("\(history): series '\(series)': \(error.description)")
            throw ExitCode(2)
        }
        for note in result.notes { logger.notice("\(history): series '\(series)': \(result.model): \(note)") }
        let rows = result.rows
        let formatter = ISO8601DateFormatter()
        var csv = CSVWriter(header: ["time", "p10", "p50", "p90"])
        for (h, r) in rows.enumerated() {
            let t = Date(timeIntervalSince1970: TimeInterval(s.start + (s.count + h) * 3600))
            csv.row([formatter.string(from: t), "\(r.p10)", "\(r.p50)", "\(r.p90)"])
        }
        try Data(csv.text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        logger.info("wrote \(horizon) hours of \(result.model) forecasts to \(out)")
    }
}

/// Opens the existential so `Backtest.run` gets a concrete model.
func runBacktest(_ backtest: Backtest, _ model: some ForecastModel) throws(InsufficientHistory) -> Backtest.Score {
    var m = model
    return try backtest.run(&m)
}

struct ForecastBacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin day-ahead backtest: 60 test days, refits every 7 days, MAE, RMSE, MASE, pinball, 80 % coverage."
    )

    /// `--history`, `--series` and `--model` belong to `forecast` and are shared with this subcommand.
    @ParentCommand var parent: ForecastCommand
    @Option(help: "Exogenous drivers (comma-separated columns), used for the target day as perfect forecasts.")
    var exog: String?
    @Option(help: "Last test day (YYYY-MM-DD), default: the last complete day.")
    var testEnd: String?
    @Flag(help: "Print a JSON array instead of the table.")
    var json = false

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.forecast")
        guard let history = parent.history, let series = parent.series else {
            throw ValidationError("give --history FILE and --series COLUMN")
        }
        let model = parent.model ?? "all"
        let names = model == "all" ? ForecastModels.names : [model]
        let drivers = exog.map { $0.split(separator: ",").map(String.init) } ?? []
        var models: [any ForecastModel] = []
        for n in names {
            guard let m = ForecastModels.make(n, drivers: drivers) else {
                throw ValidationError("unknown model '\(n)' (\(ForecastModels.names.joined(separator: ", ")), all)")
            }
            models.append(m)
        }
        let backtest: Backtest
        do {
            let s = try HistoryReader.read(path: history, column: series, drivers: drivers)
            backtest = try Backtest(s, testEnd: testEnd)
        } catch let e as HistoryError {
            logger.error("\(e.file == "backtest" ? "\(history): series '\(series)': \(e.message)" : e.description)")
            throw ExitCode(2)
        }
        // With `all`, a model that needs more history than the series has before its first
        // test day is skipped with a note; a model named alone is an input error.
        var scores: [Backtest.Score] = []
        var skipped: [(model: String, reason: String)] = []
        for m in models {
            do { scores.append(try runBacktest(backtest, m)) } catch {
                guard model == "all" else {
                    logger.error("\(history): series '\(series)': \(error.description)")
                    throw ExitCode(2)
                }
                logger.notice("\(history): series '\(series)': \(m.name) skipped: \(error.description)")
                skipped.append((m.name, error.description))
            }
        }
        guard !scores.isEmpty else {
            logger.error("\(history): series '\(series)': no model has enough history before the first test day")
            throw ExitCode(2)
        }
        if json {
            var rows: [[String: Any]] = scores.map {
                ["model": $0.model, "mae": $0.mae, "rmse": $0.rmse, "mase": $0.mase, "pinball": $0.pinball,
                 "coverage80": $0.coverage80, "seconds": $0.seconds]
            }
            rows += skipped.map { ["model": $0.model, "skipped": $0.reason] }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("test days \(backtest.days.first!.date) … \(backtest.days.last!.date), MASE scale \(String(format: "%.6g", backtest.scale))")
            let width = max(12, scores.map(\.model.count).max() ?? 0)
            print("model".padding(toLength: width, withPad: " ", startingAt: 0)
                  + "          MAE          RMSE         MASE      pinball      cover80  seconds")
            for s in scores {
                print(s.model.padding(toLength: width, withPad: " ", startingAt: 0)
                      + String(format: " %12.6g %12.6g %9.6f %12.6g %8.4f %8.3f", s.mae, s.rmse, s.mase, s.pinball, s.coverage80, s.seconds))
            }
            for s in skipped { print(s.model.padding(toLength: width, withPad: " ", startingAt: 0) + "  skipped: " + s.reason) }
        }
    }
}
