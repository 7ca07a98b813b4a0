import Adapters
import ArgumentParser
import Foundation
import Measurements
import RunHistory
import Storage

struct VTNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vtn",
        abstract: "The park's OpenADR 3.1 VTN: the firms' VENs read a run's price and dispatch as events and post reports.",
        subcommands: [Serve.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a run's internal price and firm dispatch as OpenADR events until stopped (SIGINT/SIGTERM).",
            discussion: """
                Program 'flexdispatch-park' with a PRICE event (λ per step, for every firm) and one DISPATCH_SETPOINT event \
                per firm (its planned exchange, kW, targeted at the firm id); with 'latest' the newest optimal run, and a newer \
                one (a re-plan of `operate` or `plan`) replaces the events when it is recorded. VENs authenticate with OAuth2 client \
                credentials (POST /auth/token; the clients file names their secrets, scopes and firms); their USAGE and \
                DEMAND reports are checked like every feed's samples (range, age, lead: the '<firm>_load' series of --feeds, \
                else kW within ±1 GW, at most a week old) and stored as '<firm>_load' measurements; a report with a bad \
                reading is refused (400) whole. The VTN's objects (VENs, subscriptions, reports) are kept in the run-history \
                database (--db), one row per object, and read back when it restarts. Limits and deployment: \
                docs/security.md. Exit codes: 0 stopped; 1 the server or store failed; 2 bad input.
                """
        )
        @OptionGroup var plan: FollowedRunOptions
        @Option(help: "Clients file (JSON): id, secret, scopes, targets per client.") var clients: String
        @OptionGroup var location: RunsCommand.Location
        @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
        @OptionGroup var tls: TLSOptions
        @Option(help: "Port to listen on (0: any free port).") var port: Int = 8080
        @Option(help: "Currency of the PRICE payloads (ISO 4217).") var currency: String = "CNY"
        @Option(help: "Keep the VTN's objects (VENs, subscriptions, reports, events) in this JSON file instead of the database (--db).")
        var state: String?
        @Option(help: "Feeds configuration whose series declarations (unit, range, age) the reports' readings are checked against.") var feeds: String?

        func run() async throws {
            let logger = CLILogging.logger("flexdispatch.vtn")
            let list: [VTNAuth.Client]
            var specs: [SeriesSpec] = []
            do {
                let read = try VTNAuth.readClientsFile(path: clients)
                list = read.clients
                for w in read.warnings { logger.warning("\(w)") }
                if let feeds { specs = try FeedConfig.read(path: feeds).series }
            } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            // Each reporting firm's load: as the feeds configuration declares it, else the default.
            let firms = Set(list.map { $0.targets.first ?? $0.id })
            let validator = MeasurementValidator(specs + firms.filter { f in !specs.contains { $0.name == "\(f)_load" } }.sorted().map(ParkVTN.defaultLoadSpec))
            let tlsFiles = try tls.load(logger)
            // One database: the run to publish, the reports' measurements and the VTN's objects.
            let database = try location.database()
            let runs = RunStores.store(on: database)
            let runID = try plan.resolve(in: runs, db: location.db, logger: logger)
            guard let detail = try runs.show(runID), detail.field("status") == "optimal" else {
                logger.error("run \(runID): not in \(location.db), or not optimal")
                throw ExitCode(2)
            }
            let sink = LockedMeasurementStore(MeasurementStores.store(on: database))
            let auth = VTNAuth(clients: list)
            let service: VTNService
            do {
                // The objects live in the database unless a state file is asked for.
                let documents = state == nil ? database.documents : nil
                service = try VTNService(auth: auth, stateFile: state, documents: documents, reportCheck: { ParkVTN.check($0, grant: $1, validator: validator) }) { report, grant in
                    let m = ParkVTN.measurements(report, grant: grant)
                    do {
                        let n = try sink.ingest(m)
                        logger.info("report \(report.value1.id) from \(grant.clientID): \(n) new measurements")
                    } catch {
                        logger.error("report \(report.value1.id): \(error)")
                    }
                }
            } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            do {
                // Following, with the newest plan beginning later (tomorrow's): the plan in force now beside it.
                let now = Date()
                if plan.follows, let begins = try? detail.timeAxis().start, begins > now,
                   let held = try RunSetpoints.planHolding(now, in: runs, scenario: plan.scenario ?? detail.field("scenario")), held != runID,
                   let inForce = try runs.show(held) {
                    try ParkVTN.publish(inForce, runID: held, currency: currency, into: service, now: now)
                    logger.info("run \(held) holds the present and is published beside run \(runID), which begins later (its steps from then on give way)")
                }
                try ParkVTN.publish(detail, runID: runID, currency: currency, into: service, now: now)
            } catch {
                logger.error("run \(runID): \(error)")
                throw ExitCode(2)
            }
            let server = VTNServer(service: service, auth: auth, host: host, port: port, tls: tlsFiles)
            // Following: every --poll-seconds, a newer optimal plan replaces the events.
            let follower = plan.follows ? Task(executorPreference: FeedExecutor.shared) { [scenario = plan.scenario, currency, pollSeconds = plan.pollSeconds] in
                await ParkVTN.follow(runs, scenario: scenario, currency: currency, into: service, current: runID, pollSeconds: pollSeconds,
                                     onPublished: { logger.info("run \($0) is published after run \($1): its price and dispatch events replace those of the runs it overlaps") },
                                     onError: { logger.error("following the run history: \($0)") })
            } : nil
            defer { follower?.cancel() }
            do {
                try await withTaskExecutorPreference(FeedExecutor.shared) {
                    try await server.run(stopOnSignals: true) { bound in logger.info("VTN on \(tlsFiles == nil ? "http" : "https")://\(host):\(bound) — \(list.count) clients, run \(runID)") }
                }
            } catch {
                logger.error("VTN: \(error)")
                throw ExitCode(1)
            }
            logger.info("VTN stopped")
        }
    }
}
