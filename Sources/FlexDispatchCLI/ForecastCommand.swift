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
    @Option(help: "Model: snaive_day, snaive_week, ridge (default for forecasts), …; for backtests also a comma-separated list or all (the default).")
    var model: String?
    @Option(help: "Output CSV (time,p10,p50,p90), written atomically.")
    var out: String?
    @Option(parsing: .unconditional, help: "PV site for pv_clearsky's clear-sky geometry: LAT,LON[,TILT,AZIMUTH] in degrees (azimuth clockwise from north; tilt and azimuth fitted when left out).")
    var site: String?
    @Option(parsing: .unconditional, help: "With --site: hours the history's clock is ahead of UTC when its times carry no offset (e.g. -7).")
    var clockOffset: Double = 0

    /// The `--site` value, checked.
    func solarSite() throws -> SolarSite? {
        guard let site else {
            guard clockOffset == 0 else { throw ValidationError("--clock-offset belongs to --site") }
            return nil
        }
        let parts = site.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard [2, 4].contains(parts.count), parts.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--site takes LAT,LON or LAT,LON,TILT,AZIMUTH (degrees), not '\(site)'")
        }
        let v = parts.map { $0! }
        let s = SolarSite(latitude: v[0], longitude: v[1], tilt: v.count == 4 ? v[2] : nil, azimuth: v.count == 4 ? v[3] : nil,
                          clockOffsetHours: clockOffset)
        if let problem = s.problem { throw ValidationError("--site: \(problem)") }
        return s
    }

    func run() throws {
        guard let history, let series, let out else {
            throw ValidationError("give --history, --series and --out (or use 'forecast backtest')")
        }
        guard horizon >= 1, horizon <= 24 * 14 else { throw ValidationError("--horizon must be 1…336 hours") }
        guard site == nil, clockOffset == 0 else {
            throw ValidationError("--site needs an irradiance driver, which 'forecast backtest --exog' and scenarios give; "
                                  + "'forecast' alone has no drivers")
        }
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
