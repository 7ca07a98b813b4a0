import Adapters
import DataFiles
import ArgumentParser
import FlexDispatch
import Foundation
import Measurements

struct OperateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operate",
        abstract: "Operate the park through the day: re-plan every few minutes and on events, and send each new plan's setpoints through the sinks.",
        discussion: """
            The configuration (JSON; relative paths from its folder) names the scenario, the database of the run history \
            and the measurements, and the feeds whose sinks receive the setpoints: {"scenario": "park", "database": \
            "park.sqlite", "feeds": "feeds.json", "collect": true, "everyMinutes": 15, "horizonHours": 24, \
            "maxAgeMinutes": 15, "pollSeconds": 30, "cycleSeconds": 300, "triggers": {"stateOfChargePercent": 10, \
            "minGapMinutes": 5}, "ven": "ven.json", "out": "out/operate"}. Each cycle is `flexdispatch plan --at now \
            --telemetry` recorded in the history as a revision of the plan in force; an optimal plan is sent at once and \
            then step by step. A battery off its plan by more than stateOfChargePercent of its capacity, or a price or limit \
            event of the VTN within the horizon, re-plans at once. A cycle that fails, is not optimal or takes longer than \
            cycleSeconds leaves the plan in force. Started again, it resumes the newest optimal plan of the scenario that \
            holds the present. Exit codes: 0 stopped (SIGINT/SIGTERM, or --cycles done); 1 the database or a sink failed; \
            2 a bad configuration.
            """
    )
    @Argument(help: "Operation configuration (JSON).") var config: String
    @Option(help: "Stop after this many cycles (scripts, a single re-plan from cron).") var cycles: Int?
    @Option(help: "Run on a clock that starts at this instant (ISO 8601 with its offset) and runs at the real rate: a rehearsal on a past scenario.")
    var from: String?

    func run() async throws {
        let logger = CLILogging.logger("flexdispatch.operate")
        let cfg: OperateConfig
        let feeds: FeedConfig?
        do {
            cfg = try OperateConfig.read(path: config)
            feeds = try cfg.feeds.map { try FeedConfig.read(path: $0) }
        } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
        if let cycles, cycles < 1 {
            logger.error("--cycles must be at least 1, got \(cycles)")
            throw ExitCode(2)
        }
        var clock: any AdapterClock = WallClock()
        if let from {
            guard let start = TimeParser.instant(from) else {
                logger.error("--from '\(from)': not an ISO 8601 time with a UTC offset (e.g. 2025-06-01T13:20:00+08:00)")
                throw ExitCode(2)
            }
            clock = ShiftedClock(start: start)
        }
        for w in feeds?.warnings ?? [] { logger.warning("\(w)") }
        let sinks: SetpointSinks?
        do { sinks = try feeds.map { try SetpointSinks($0) } } catch {
            logger.error("\(error)")
            throw ExitCode(1)
        }
        defer { sinks?.close() }
        let service: ParkOperator
        do { service = try ParkOperator(config: cfg, sinks: sinks?.sinks ?? [], clock: clock, logger: logger) } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
        let stop = StopFlag()
        stop.install()
        let collector: Task<Void, any Error>?
        if cfg.collect, let feeds {
            do { collector = try FeedService(config: feeds, store: try FeedsCommand.openStore(cfg.database), clock: clock).start { stop.isSet } } catch {
                logger.error("\(cfg.feeds ?? ""): \(error)")
                throw ExitCode(1)
            }
        } else {
            collector = nil
        }
        do {
            try await service.run { [cycles] in stop.isSet || cycles.map { service.status.cycles.count >= $0 } ?? false }
            collector?.cancel()
        } catch {
            collector?.cancel()
            logger.error("operate: \(error)")
            throw ExitCode(1)
        }
        let done = service.status
        logger.info("operate: \(done.cycles.count) cycle(s), \(done.cycles.filter(\.adopted).count) plan(s) put in force; run \(done.inForce.map(String.init) ?? "none") in force at the end")
    }
}
