import Adapters
import ArgumentParser
import DataFiles
import Foundation
import Measurements
import RunHistory

extension SignalsCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report the park's planned (and measured) usage to the utility's VTN, as our VEN.",
            discussion: """
                The run's planned exchange with the grid (import − export, kW per step) goes to the VTN as a USAGE \
                report (kWh per interval, readingType PROJECTION) on one of its events: --event, or else the program's \
                event modified last — of events modified at the same time the one created last, then the one whose id \
                sorts last with digits compared as numbers (event-10 after event-9). With --measured-series, the store's readings of that series (kW, step means) \
                over the run's horizon go as a second report (DIRECT_READ), for the leading steps that have readings. \
                Logged as feed events (`feeds status`). Exit codes: 0 reported; 1 the VTN refused or could not be \
                reached; 2 bad input (unknown run, no grid schedule).
                """
        )
        @Argument(help: "Run id (see `flexdispatch runs list`).") var runID: Int64
        @Option(help: "VEN configuration (JSON), as for `signals pull`.") var ven: String
        @OptionGroup var location: RunsCommand.Location
        @Option(help: "The event to report on (default: the program's event modified last; see the discussion for ties).") var event: String?
        @Option(help: "Resource name in the report.") var resource: String = "park-grid-connection"
        @Option(help: "A stored series of the park's measured grid exchange (kW, import positive).") var measuredSeries: String?

        func run() async throws {
            let logger = CLILogging.logger("flexdispatch.signals")
            let settings: VENClient.Settings
            do { settings = try SignalsCommand.settings(ven) } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            let found: RunDetail?
            do { found = try location.open().show(runID) } catch let e as ExitCode { throw e } catch {
                logger.error("\(location.db): \(error)")
                throw ExitCode(2)
            }
            guard let detail = found, detail.field("status") == "optimal" else {
                logger.error("run \(runID): not in \(location.db), or not optimal")
                throw ExitCode(2)
            }
            guard let imports = detail.scheduleValues["park/grid/" + ScheduleVariable.gridImport.rawValue] else {
                logger.error("run \(runID): no grid schedule (park/grid/import_kW) to report")
                throw ExitCode(2)
            }
            let axis: TimeAxis
            do { axis = try detail.timeAxis() } catch {
                logger.error("run \(runID): \(error)")
                throw ExitCode(2)
            }
            let start = axis.start, step = axis.stepSeconds
            let exports = detail.scheduleValues["park/grid/" + ScheduleVariable.gridExport.rawValue] ?? Array(repeating: 0, count: imports.count)
            let planned = zip(imports, exports).map { ($0 - $1) * step / 3600 }
            var measured: [Double] = []
            if let series = measuredSeries {
                let readings: [StoredMeasurement]
                do {
                    readings = try FeedsCommand.openStore(location.db).measurements(series: series, from: start, to: start.addingTimeInterval(step * Double(planned.count)))
                } catch {
                    logger.error("\(location.db): \(series): \(error)")
                    throw ExitCode(2)
                }
                // Mean kW per step → kWh, up to the first step without readings.
                let means = axis.means(of: readings.map { (time: $0.time, value: $0.value) })
                measured = means.prefix { $0 != nil }.prefix(planned.count).map { $0! * step / 3600 }
                if measured.isEmpty { logger.warning("\(series): no readings in the run's first step; only the plan is reported") }
            }
            let feeds = SignalsCommand.openFeedStore(location.db, noDB: false)
            let eventID = self.event, resource = self.resource, measuredKWh = measured
            do {
                let ids = try await withTaskExecutorPreference(FeedExecutor.shared) { () async throws -> [String] in
                    let client = try VENClient(settings)
                    try await client.register()
                    var target = eventID
                    if target == nil { target = VENEvents.latest(try await client.refresh())?.value1.id }
                    guard let on = target else { throw VENError("the VTN shows this VEN no event to report on (give --event)") }
                    var ids = [try await client.reportUsage(eventID: on, reportName: "flexdispatch-run-\(runID)-plan", resourceName: resource,
                                                            start: start, stepSeconds: step, kWh: planned, projected: true)]
                    if !measuredKWh.isEmpty {
                        ids.append(try await client.reportUsage(eventID: on, reportName: "flexdispatch-run-\(runID)-measured", resourceName: resource,
                                                                start: start, stepSeconds: step, kWh: measuredKWh, projected: false))
                    }
                    return ids
                }
                let message = "run \(runID): plan (\(planned.count) intervals)\(measured.isEmpty ? "" : " and \(measured.count) measured intervals") reported as \(ids.joined(separator: ", "))"
                logger.info("\(message)")
                SignalsCommand.logFeed(feeds, settings, "reported", message)
            } catch {
                logger.error("\(settings.baseURL): \(error)")
                SignalsCommand.logFeed(feeds, settings, "error", "report: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
