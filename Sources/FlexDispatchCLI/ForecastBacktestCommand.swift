import ArgumentParser
import DataFiles
import Forecasting
import Foundation

/// Opens the existential so `Backtest.run` gets a concrete model.
func runBacktest(_ backtest: Backtest, _ model: some ForecastModel, options: Backtest.Options) throws(InsufficientHistory)
    -> Backtest.Score {
    var m = model
    return try backtest.run(&m, options: options)
}

struct ForecastBacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin day-ahead backtest: 60 test days, refits every 7 days, MAE, RMSE, MASE, pinball, 80 % coverage.",
        discussion: """
        With --windows the protocol runs on many 60-day windows of the series (one every --window-spacing days back \
        from the last complete day, or N spread over the record) and reports each model's mean, spread and range. \
        --intraday-leads N also scores the intraday update (the day-ahead P50 corrected by the last hour's error) \
        by lead hour against the day-ahead forecast; --scenarios N draws N joint scenarios per test day from a \
        Gaussian copula of the past days' errors and scores them (energy score) against independent draws.
        """
    )

    /// `--history`, `--series` and `--model` belong to `forecast` and are shared with this subcommand.
    @ParentCommand var parent: ForecastCommand
    @Option(help: "Exogenous drivers (comma-separated columns), used for the target day as perfect forecasts.")
    var exog: String?
    @Option(help: "Last test day (YYYY-MM-DD), default: the last complete day.")
    var testEnd: String?
    @Option(help: "Backtest windows: 'all' (one every --window-spacing days) or a count spread over the record.")
    var windows: String?
    @Option(help: "Days between the ends of consecutive windows with --windows all.")
    var windowSpacing = 30
    @Option(help: "Days of history a window needs before its first test day (default: 60, or more if a model needs it).")
    var minTrainingDays: Int?
    @Option(help: "Score the intraday update at lead hours 1…N (0: not scored).")
    var intradayLeads = 0
    @Option(help: "Time constant of the intraday update's decay: hours, or 'fitted' (to the 28 days of day-ahead errors before each test day; 2 h until a week of them exists).")
    var intradayTau = "fitted"
    @Option(help: "Joint scenarios drawn per test day for the energy score (0: none).")
    var scenarios = 0
    @Flag(help: "Print JSON instead of the table.")
    var json = false

    func validate() throws {
        if let windows, windows != "all", (Int(windows) ?? 0) < 1 { throw ValidationError("--windows takes 'all' or a count ≥ 1") }
        if windows != nil && testEnd != nil { throw ValidationError("give --windows or --test-end, not both") }
        guard windowSpacing >= 1 else { throw ValidationError("--window-spacing must be at least 1 day") }
        guard (0...24).contains(intradayLeads) else { throw ValidationError("--intraday-leads must be 0…24") }
        if intradayTau != "fitted" {
            guard let tau = Double(intradayTau), tau > 0, tau.isFinite else {
                throw ValidationError("--intraday-tau takes hours > 0 or 'fitted'")
            }
        }
        guard (0...1000).contains(scenarios) else { throw ValidationError("--scenarios must be 0…1000") }
    }

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.forecast")
        guard let history = parent.history, let series = parent.series else {
            throw ValidationError("give --history FILE and --series COLUMN")
        }
        let model = parent.model ?? "all"
        let names = model == "all" ? ForecastModels.names : model.split(separator: ",").map(String.init)
        let drivers = exog.map { $0.split(separator: ",").map(String.init) } ?? []
        let site = try parent.solarSite()
        func makeModels() throws -> [any ForecastModel] {
            try names.map { n in
                guard let m = ForecastModels.make(n, drivers: drivers, site: site) else {
                    throw ValidationError("unknown model '\(n)' (\(ForecastModels.names.joined(separator: ", ")), all)")
                }
                return m
            }
        }
        let needed = try makeModels().map(\.minimumHistoryDays).max() ?? 1
        var options = Backtest.Options()
        options.intradayLeads = intradayLeads
        options.intraday = IntradayCorrection(window: 1, timeConstant: Double(intradayTau) ?? 2)
        options.fitIntradayTimeConstant = intradayTau == "fitted"
        options.scenarioSamples = scenarios
        func inputError(_ e: HistoryError) -> ExitCode {
            logger.error("\(e.file == "backtest" ? "\(history): series '\(series)': \(e.message)" : e.description)")
            return ExitCode(2)
        }
        let s: HourlySeries
        var ends: [String?] = [testEnd]
        do {
            s = try HistoryReader.read(path: history, column: series, drivers: drivers)
            if let windows {
                ends = try Backtest.windowEnds(s, count: windows == "all" ? nil : Int(windows), spacingDays: windowSpacing,
                                               minimumTrainingDays: minTrainingDays ?? max(60, needed))
            }
        } catch let e as HistoryError { throw inputError(e) }

        var results: [(backtest: Backtest, scores: [Backtest.Score])] = []
        var skipped: [(model: String, reason: String)] = []
        for (w, end) in ends.enumerated() {
            let backtest: Backtest
            do { backtest = try Backtest(s, testEnd: end) } catch let e as HistoryError { throw inputError(e) }
            if windows != nil {
                logger.info("window \(w + 1)/\(ends.count): test days \(backtest.days[0].date) … \(backtest.days.last!.date)")
            }
            // With `all`, a model that needs more history than the series has before its first
            // test day is skipped with a note; a model named alone is an input error.
            var scores: [Backtest.Score] = []
            for m in try makeModels() {
                do { scores.append(try runBacktest(backtest, m, options: options)) } catch {
                    guard model == "all" else {
                        logger.error("\(history): series '\(series)': \(error.description)")
                        throw ExitCode(2)
                    }
                    logger.notice("\(history): series '\(series)': \(m.name) skipped: \(error.description)")
                    if !skipped.contains(where: { $0.model == m.name }) { skipped.append((m.name, error.description)) }
                }
            }
            guard !scores.isEmpty else {
                logger.error("\(history): series '\(series)': no model has enough history before the first test day")
                throw ExitCode(2)
            }
            results.append((backtest, scores))
        }
        if windows == nil {
            try BacktestReport.printSingle(results[0].backtest, results[0].scores, skipped: skipped, json: json)
        } else {
            try BacktestReport.printWindows(results, skipped: skipped, json: json)
        }
    }
}
