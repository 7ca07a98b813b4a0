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
                A fill-rate or operation-mode instruction goes out for each step of the plan, and a new one of any kind when \
                the plan changes: with 'latest' the newest optimal run (of --scenario) is instructed from, and a newer one \
                recorded (the re-plans of `flexdispatch operate`) replaces it within --poll-seconds. \
                Exit codes: 0 stopped (SIGINT/SIGTERM); 1 the server failed; 2 bad input.
                """
        )
        @OptionGroup var plan: FollowedRunOptions
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
            let runs = try location.open()
            let runID = try plan.resolve(in: runs, db: location.db, logger: logger)
            guard let detail = try runs.show(runID), detail.field("status") == "optimal" else {
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
            let source = S2PlanSource(run: runID, setpoints: setpoints)
            let cem = S2CEMServer(resources: map, plan: { source.plan(for: $0) }, store: store, host: host, port: port, tls: tlsFiles)
            // Following: every --poll-seconds, a newer optimal plan replaces the one instructed from.
            let follower = plan.follows ? Task(executorPreference: FeedExecutor.shared) { [scenario = plan.scenario, pollSeconds = plan.pollSeconds] in
                await source.follow(runs, scenario: scenario, pollSeconds: pollSeconds,
                                    onAdopted: { logger.info("run \($0) replaces run \($1): the resource managers are instructed from it") },
                                    onError: { logger.error("following the run history: \($0)") })
            } : nil
            defer { follower?.cancel() }
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
