import Adapters
import ArgumentParser
import Foundation
import Logging
import RunHistory

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Send a finished run's setpoints through the sinks of a feeds configuration.",
        discussion: """
            MQTT feeds with a 'setpointPrefix' get every asset's schedule (retained) and the step in effect; Modbus/SunSpec \
            feeds with 'setpoints' get the step in effect written to the device and read back. The step in effect is the one \
            containing --at (default: now), or --step. Exit codes: 0 every setpoint confirmed; 1 a sink failed or did not \
            confirm; 2 bad input (no such run, a bad configuration, a time outside the run).
            """
    )
    @Argument(help: "Run id (see `flexdispatch runs list`).") var runID: Int64
    @Option(help: "Feeds configuration (JSON) naming the sinks.") var config: String
    @OptionGroup var location: RunsCommand.Location
    @Option(help: "Step to send to devices that hold one value (0-based).") var step: Int?
    @Option(help: "Time whose step to send (ISO 8601); default now.") var at: String?
    @Flag(help: "Print the receipts as a JSON array.") var json = false
    @Flag(help: "Stay running: send each step's setpoints at the step's start until the run's last step ends (SIGINT/SIGTERM stops).")
    var follow = false

    func run() async throws {
        let logger = CLILogging.logger("flexdispatch.publish")
        let cfg: FeedConfig
        do { cfg = try FeedConfig.read(path: config) } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
        for w in cfg.warnings { logger.warning("\(w)") }
        guard let detail = try location.open().show(runID) else {
            logger.error("no run \(runID) in \(location.db)")
            throw ExitCode(2)
        }
        guard detail.field("status") == "optimal" else {
            logger.error("run \(runID) is \(detail.field("status") ?? "?"), not optimal: it has no setpoints to send")
            throw ExitCode(2)
        }
        let setpoints: [Setpoint]
        do { setpoints = try RunSetpoints.from(detail) } catch {
            logger.error("run \(runID): \(error)")
            throw ExitCode(2)
        }
        let horizon = Set(setpoints.map(\.step)).count
        let chosen: Int
        if follow {
            guard step == nil && at == nil else {
                logger.error("--follow sends each step at its time: it takes neither --step nor --at")
                throw ExitCode(2)
            }
            chosen = 0
        } else if let step {
            guard (0..<horizon).contains(step) else {
                logger.error("--step \(step): run \(runID) has steps 0…\(horizon - 1)")
                throw ExitCode(2)
            }
            chosen = step
        } else {
            var when = Date()
            if let at {
                guard let d = ISO8601DateFormatter().date(from: at) else {
                    logger.error("--at '\(at)': not an ISO 8601 time (e.g. 2025-06-01T08:00:00+08:00)")
                    throw ExitCode(2)
                }
                when = d
            }
            guard let k = RunSetpoints.step(at: when, in: setpoints) else {
                logger.error("\(ISO8601DateFormatter().string(from: when)) is outside run \(runID) (\(detail.times.first ?? "?") … \(detail.times.last ?? "?")); give --step or --at")
                throw ExitCode(2)
            }
            chosen = k
        }
        let opened: SetpointSinks
        do { opened = try SetpointSinks(cfg) } catch {
            logger.error("\(error)")
            throw ExitCode(1)
        }
        defer { opened.close() }
        let sinks = opened.sinks
        guard !sinks.isEmpty else {
            logger.error("\(config): no sinks (an MQTT feed with 'setpointPrefix' or a Modbus feed with 'setpoints')")
            throw ExitCode(2)
        }
        let assets = Set(setpoints.map(\.asset))
        for sink in sinks { for a in sink.assets where !assets.contains(a) {
            logger.warning("\(sink.name): asset '\(a)' has no setpoints in run \(runID)")
        } }
        if follow {
            try await followRun(setpoints, sinks: sinks, logger: logger)
            return
        }
        logger.info("run \(runID): \(assets.count) assets × \(horizon) steps; step in effect \(chosen) (\(detail.times[chosen]))")
        let receipts = await withTaskExecutorPreference(FeedExecutor.shared) { [sinks, setpoints, chosen] in
            var all: [SetpointReceipt] = []
            for sink in sinks {
                do { all += try await sink.send(setpoints, step: chosen) } catch {
                    all.append(SetpointReceipt(sink: sink.name, asset: "*", step: chosen, powerKW: .nan, confirmed: nil, error: "\(error)"))
                }
            }
            return all
        }
        if json {
            let rows: [[String: Any]] = receipts.map {
                ["sink": $0.sink, "asset": $0.asset, "step": $0.step, "powerKW": $0.powerKW.isFinite ? $0.powerKW : NSNull(),
                 "confirmed": $0.confirmed ?? NSNull(), "error": $0.error ?? NSNull()]
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
        } else {
            for r in receipts {
                print("\(r.sink)\t\(r.asset)\tstep \(r.step)\t\(String(format: "%.3f kW", r.powerKW))\t\(r.confirmed ?? "FAILED: \(r.error ?? "?")")")
            }
        }
        let failed = receipts.filter { $0.error != nil }
        if !failed.isEmpty {
            logger.error("\(failed.count) of \(receipts.count) setpoints not confirmed")
            throw ExitCode(1)
        }
        logger.info("\(receipts.count) setpoints confirmed")
    }

    func followRun(_ setpoints: [Setpoint], sinks: [any SetpointSink], logger: Logger) async throws {
        let stop = StopFlag()
        stop.install()
        let failures = FailureCount()
        logger.info("following run \(runID): \(Set(setpoints.map(\.step)).count) steps from \(setpoints.map(\.time).min().map { ISO8601DateFormatter().string(from: $0) } ?? "?")")
        try await withTaskExecutorPreference(FeedExecutor.shared) { [sinks, setpoints] in
            try await SetpointFollower.follow(setpoints, sinks: sinks, shouldStop: { stop.isSet }) { step, receipts in
                for r in receipts {
                    print("\(r.sink)\tstep \(step)\t\(r.asset)\t\(String(format: "%.3f kW", r.powerKW))\t\(r.confirmed ?? "FAILED: \(r.error ?? "?")")")
                }
                let failed = receipts.filter { $0.error != nil }.count
                if failed > 0 { failures.add(failed) }
            }
        }
        if failures.value > 0 {
            logger.error("\(failures.value) setpoints not confirmed while following")
            throw ExitCode(1)
        }
        logger.info("run \(runID) followed to its end")
    }
}

private final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    func add(_ k: Int) { lock.lock(); n += k; lock.unlock() }
}
