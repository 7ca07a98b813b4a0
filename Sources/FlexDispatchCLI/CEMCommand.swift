import DataFiles
import Adapters
import ArgumentParser
import Foundation
import RunHistory

struct CEMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cem",
        abstract: "The park's S2 Customer Energy Manager: devices' resource managers follow a run's plan.",
        subcommands: [Serve.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept S2 resource managers on ws://HOST:PORT/ws/<name> and instruct them from a stored run until stopped.",
            discussion: """
                The resources file maps each resource manager's name to the asset whose planned power it follows, the \
                series its power measurements feed, its token's hash (`flexdispatch secret hash`) and the largest power it \
                may report: {"resources": {"battery": {"asset": "f03_bat", "series": "f03_bat_kw", "tokenHash": "pbkdf2-sha256$…", \
                "maxKW": 500}}}. A resource manager connects to /ws/<its name> with 'Authorization: Bearer <token>'. \
                Storage gets fill-rate based control (FRBC), other devices power-envelope based control (PEBC). \
                Exit codes: 0 stopped (SIGINT/SIGTERM); 1 the server failed; 2 bad input.
                """
        )
        @Argument(help: "Run id (see `flexdispatch runs list`).") var runID: Int64
        @Option(help: "Resources file (JSON).") var resources: String
        @OptionGroup var location: RunsCommand.Location
        @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
        @OptionGroup var tls: TLSOptions
        @Option(help: "Port to listen on.") var port: Int = 8003

        func run() async throws {
            let logger = CLILogging.logger("flexdispatch.cem")
            let map: [String: S2Session.Resource]
            do {
                let read = try S2Resources.read(path: resources)
                map = read.resources
                for w in read.warnings { logger.warning("\(w)") }
            } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            guard let detail = try location.open().show(runID), detail.field("status") == "optimal" else {
                logger.error("run \(runID): not in \(location.db), or not optimal")
                throw ExitCode(2)
            }
            let setpoints: [Setpoint]
            do { setpoints = try RunSetpoints.from(detail) } catch {
                logger.error("run \(runID): \(error)")
                throw ExitCode(2)
            }
            for (name, r) in map where !setpoints.contains(where: { $0.asset == r.asset }) {
                logger.warning("resource '\(name)': asset '\(r.asset)' has no plan in run \(runID); it will only be measured")
            }
            let store = LockedMeasurementStore(try FeedsCommand.openStore(location.db))
            let tlsFiles = try tls.load(logger)
            let cem = S2CEMServer(resources: map, plan: { S2Plan.from(setpoints, asset: $0) }, store: store, host: host, port: port, tls: tlsFiles)
            do {
                try await withTaskExecutorPreference(FeedExecutor.shared) {
                    try await cem.run(stopOnSignals: true) { bound in logger.info("S2 CEM on \(tlsFiles == nil ? "ws" : "wss")://\(host):\(bound)/ws/<name> — run \(runID)") }
                }
            } catch {
                logger.error("CEM: \(error)")
                throw ExitCode(1)
            }
            logger.info("CEM stopped")
        }
    }
}
