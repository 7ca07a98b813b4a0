import ArgumentParser
import FlexDispatch
import Forecasting
import Foundation
import ParkModel

struct ForecastIntradayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intraday",
        abstract: "Measure the intraday update of a scenario's forecasts on its own realised values: at every step, the "
            + "day-ahead forecast against the forecast corrected by the error of the steps before it, by lead hour.",
        discussion: "The scenario's forecast series must also be in its time-series file (their realised values). Exit 2 when none is."
    )

    @Argument(help: "Scenario folder with a history/ and forecast series that are also in timeseries.csv.")
    var scenario: String
    @Option(help: "Hours of recent error averaged.") var windowHours: Double = 1
    @Option(help: "The decay's time constant in hours.") var timeConstantHours: Double = 2
    @Option(help: "Lead hours reported.") var leadHours: Int = 6
    @Flag(help: "Print a JSON array instead of the table.") var json = false

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.forecast")
        guard windowHours > 0, windowHours <= 168, timeConstantHours > 0, timeConstantHours <= 1_000, (1...48).contains(leadHours) else {
            logger.error("--window-hours must lie in (0, 168], --time-constant-hours in (0, 1000], --lead-hours within 1…48")
            throw ExitCode(2)
        }
        let s: Scenario
        do { s = try DailyBatch.read(scenario) } catch {
            for line in error.description.split(separator: "\n") { logger.error("\(line)") }
            throw ExitCode(error.exitStatus)
        }
        let perHour = 60.0 / Double(s.stepMinutes)
        let correction = IntradayCorrection(window: max(1, Int((windowHours * perHour).rounded())), timeConstant: timeConstantHours * perHour)
        guard correction.window < s.steps else {
            logger.error("--window-hours \(windowHours): the error window must be shorter than the scenario's \(s.steps) steps")
            throw ExitCode(2)
        }
        let rows = IntradayEvaluation.evaluate(s, correction: correction, leadHours: leadHours)
        guard !rows.isEmpty else {
            logger.error("\(scenario): no forecast series with realised values in the time-series file")
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        print("role     lead h  day-ahead nMAE  corrected nMAE  ratio  samples")
        for r in rows {
            print("\(r.role.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(format: "%6d  %14.4f  %14.4f  %5.3f  %7d", r.leadHour, r.dayAhead, r.corrected, r.ratio, r.samples))")
        }
    }
}
