import ArgumentParser
import DataFiles
import FlexDispatch
import Foundation
import ParkModel
import RunHistory

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Re-plan the park from an instant: solve from the step that holds --at to the end of the horizon, "
            + "starting from the state the park is in, with soft limits; recorded in the run history as a revision of the plan it replaces.",
        discussion: """
        The state (each battery's state of charge, the energy each shiftable process has received, the hydrogen each \
        electrolyzer has made, the load shed, the peak and the carbon so far) comes from --state, then from the measurement \
        store with --telemetry (values no older than --max-age-minutes); what they leave out is taken from the plan being replaced, as if the park had followed it (--replaces: the newest plan of the scenario \
        in the run history that holds --at; without one, the scenario's day-ahead plan, solved first). A state outside an \
        asset's limits is clamped and named. Writes summary.json (with "revision"), schedule.csv, report.html, \
        manifest.json and state.json (the state the plan started from). \
        Exit codes as for run: 0 a verdict, 1 no verdict or nothing written, 2 input errors (an instant outside the \
        horizon, a state naming an unknown asset or a value below zero).
        """
    )

    @Argument(help: "Scenario folder (scenario.json + timeseries.csv [+ history/]).")
    var scenario: String
    @Option(help: "The instant to re-plan from, ISO 8601 with its UTC offset (e.g. 2025-06-01T13:20:00+08:00), or 'now'.")
    var at: String
    @Option(help: "State file (JSON): stateOfChargeKWh, deliveredKWh, hydrogenKg, shedKWh by asset id; peakKW; carbonKg.")
    var state: String?
    @Flag(help: "Read the state from the measurement store in --db (series <asset>.soc_kWh or .soc_pct, .delivered_kWh, .hydrogen_kg, .shed_kWh, park.peak_kW, park.carbon_kg); --state overrides it.")
    var telemetry = false
    @Option(help: "With --telemetry: the oldest measurement used, in minutes before --at.")
    var maxAgeMinutes: Double = 15
    @Option(help: "Hours to plan ahead from --at; the scenario's end bounds it.")
    var horizonHours: Double = 24
    @Option(help: "The plan this one replaces: 'latest' (the newest plan of the scenario in the run history that holds --at), a run id, or 'none'.")
    var replaces = "latest"
    @Flag(help: "Keep the day-ahead forecasts; by default a forecast series with measured values before --at is corrected by its error over the last hour, decaying with a time constant of two hours (docs/forecasting.md).")
    var noIntraday = false
    @Flag(help: "Hard limits (a plan that cannot meet them is infeasible, with its diagnosis) instead of soft ones.")
    var hard = false
    @Option(help: "Output folder (default: out/<scenario name>-plan-step<K>).")
    var out: String?
    @Flag(help: "Replace --out even when it is not a previous FlexDispatch output (never an input of the run).")
    var force = false
    @Option(help: "Run history: a SQLite file (default: <output folder's parent>/flexdispatch.sqlite) or postgres://user:pass@host:port/db.")
    var db: String?
    @Flag(help: "Do not record the plan in the run history (and replace no recorded plan).")
    var noDb = false
    @Flag(help: "Dispatch on the time-series file's own values of flagged series, not on their forecasts.")
    var actuals = false
    @Flag(help: "Print nothing but errors.")
    var quiet = false
    @Flag(help: "Print one JSON object with the outcome (implies --quiet): runID, status, objective, firstStep, steps, replaces, breaches.")
    var json = false
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.plan")
        let instant: Date
        if at == "now" {
            instant = Date()
        } else if let parsed = TimeParser.instant(at) {
            instant = parsed
        } else {
            logger.error("--at '\(at)': not an ISO 8601 time with a UTC offset (e.g. 2025-06-01T13:20:00+08:00) or 'now'")
            throw ExitCode(2)
        }
        var request = Replanning.Request(at: instant, horizonHours: horizonHours, updateForecasts: !noIntraday)
        switch replaces {
        case "latest": request.replaces = .latest
        case "none": request.replaces = .none
        default:
            guard let id = Int64(replaces) else {
                logger.error("--replaces '\(replaces)': give 'latest', 'none' or a run id")
                throw ExitCode(2)
            }
            request.replaces = .run(id)
        }
        if let state {
            do { request.state = try ParkState.read(path: state) } catch {
                for message in error.messages { logger.error("\(message)") }
                throw ExitCode(2)
            }
        }
        if telemetry {
            guard let db, !noDb else {
                logger.error("--telemetry reads the measurement store of --db: give --db (and not --no-db)")
                throw ExitCode(2)
            }
            guard maxAgeMinutes > 0 else {
                logger.error("--max-age-minutes must be positive, got \(maxAgeMinutes)")
                throw ExitCode(2)
            }
            request.telemetry = TelemetryState.Source(location: db, maxAgeSeconds: maxAgeMinutes * 60)
        }
        var options = DailyBatch.Options()
        options.settings = try solver.settings()
        options.outputDirectory = out
        options.force = force
        options.forecastFlagged = !actuals
        options.limits = hard ? .hard : .soft
        options.replan = request
        options.alsoWritten = [db, state].compactMap { $0 }
        if !noDb { options.openStore = { [db] dir in try RunStores.open(db ?? RunStores.defaultPath(outputDirectory: dir)) } }
        try RunCommand.execute(scenario: scenario, options: options, quiet: quiet, json: json, logger: logger)
    }
}
