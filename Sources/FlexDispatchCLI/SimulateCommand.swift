import ArgumentParser
import DataFiles
import FlexDispatch
import Foundation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Digital twin: play days of the scenario's measured history closed-loop with a planning strategy, "
            + "and measure its realised cost against the hindsight optimum of the same days.",
        discussion: """
        Each day is the scenario's park with that day's measured loads, PV and wind from its history (tariffs and \
        carbon as the scenario gives them); forecasts are made from the history before the day. Writes \
        simulation.json, simulation.csv and simulation.html (the report page with charts) into --out (default out/<scenario folder>-simulation-<strategy>). \
        Exit codes: 0 done, 1 a plan could not be made or the outputs not written, 2 input errors.
        """
    )

    @Argument(help: "Scenario folder of one day with a history/ folder and forecast series.")
    var scenario: String
    @Option(help: "Strategy: day-ahead, rolling or perfect.")
    var strategy: String = "rolling"
    @Option(help: "First day (YYYY-MM-DD on the park's clock); default: the --days days before the scenario's day.")
    var from: String?
    @Option(help: "Days to simulate.")
    var days: Int = 14
    @Option(help: "Minutes between re-plans (rolling).")
    var every: Int = 15
    @Option(help: "Money per kWh of net import away from the day-ahead schedule (default: 10 % of the mean import price).")
    var imbalancePrice: Double?
    @Option(help: "Rolling: keep re-planned imports below the peak so far less this quantile of the last eight hours' excess of realised over planned net import; 0: up to the peak so far.")
    var peakReserve: Double = 0.9
    @Flag(help: "Plan on the measured days instead of forecasts (what forecast errors cost; day-ahead and rolling then realise the hindsight optimum).")
    var exactForecasts = false
    @Option(help: "Output folder.")
    var out: String?
    @Flag(help: "Print one JSON object (strategy, days, realisedCost, perfectCost, regret, breaches, perDay) instead of the table.")
    var json = false
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.simulate")
        guard let chosen = Simulation.Strategy(rawValue: strategy) else {
            logger.error("--strategy '\(strategy)': one of \(Simulation.Strategy.allCases.map(\.rawValue).joined(separator: ", "))")
            throw ExitCode(2)
        }
        guard days >= 1, days <= 366, every >= 1 else {
            logger.error("--days must be within 1…366 and --every ≥ 1")
            throw ExitCode(2)
        }
        var options = Simulation.Options(strategy: chosen)
        options.days = days
        options.fromDay = from
        options.everyMinutes = every
        options.imbalancePrice = imbalancePrice
        options.peakReserveQuantile = peakReserve > 0 ? peakReserve : nil
        options.exactForecasts = exactForecasts
        guard peakReserve >= 0 && peakReserve < 1 else {
            logger.error("--peak-reserve must lie in [0, 1), got \(peakReserve)")
            throw ExitCode(2)
        }
        options.settings = try solver.settings()
        let result: Simulation.Result
        do {
            // A bar over the days: one line per day done.
            var done = 0
            result = try Simulation.run(scenarioDirectory: scenario, options: options) { line in
                done += 1
                let filled = done * 20 / max(1, days)
                if !json { logger.info("[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 20 - filled))] \(line)") }
            }
        } catch let failure as DailyBatch.Failure {
            for line in failure.description.split(separator: "\n") { logger.error("\(line)") }
            throw ExitCode(failure.exitStatus)
        }
        let dir = out ?? "out/\((scenario as NSString).lastPathComponent)-simulation-\(chosen.rawValue)"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(result).write(to: URL(fileURLWithPath: dir + "/simulation.json"), options: .atomic)
            var csv = CSVWriter(header: ["day", "realised_cost", "perfect_cost", "regret", "solves", "solve_seconds", "failed_plans", "breaches"])
            for d in result.perDay {
                csv.row([d.day, "\(d.realisedCost)", "\(d.perfectCost)", "\(d.regret)", "\(d.solves)", "\(d.solveSeconds)",
                         "\(d.failedPlans.count)", d.breaches.joined(separator: "; ")])
            }
            try Data(csv.text.utf8).write(to: URL(fileURLWithPath: dir + "/simulation.csv"), options: .atomic)
            try Data(Simulation.report(result).utf8).write(to: URL(fileURLWithPath: dir + "/simulation.html"), options: .atomic)
        } catch {
            logger.error("\(dir): cannot write the outputs (\(error))")
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print("\(result.strategy.rawValue) over \(result.days) day(s): realised \(String(format: "%.2f", result.realisedCost)), "
                  + "perfect \(String(format: "%.2f", result.perfectCost)), regret \(String(format: "%.2f", result.regret)); "
                  + "\(result.solves) plans in \(String(format: "%.2f", result.solveSeconds)) s"
                  + (result.failedPlans > 0 ? " (\(result.failedPlans) failed; the plan in force kept running)" : "")
                  + "; wrote \(dir)/simulation.json, simulation.csv, simulation.html")
        }
    }
}
