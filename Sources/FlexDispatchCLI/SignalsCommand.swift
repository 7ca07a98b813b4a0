import DataFiles
import Adapters
import ArgumentParser
import Foundation
import RunHistory

struct SignalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals",
        abstract: "Grid signals from a utility's OpenADR 3.1 VTN, as our VEN.",
        subcommands: [Pull.self, Listen.self, Report.self]
    )

    /// The VEN's activity as feed events (source `openadr:<venName>`, series
    /// `openadr/<venName>`), so that `feeds status` shows the grid link like the others.
    static func logFeed(_ store: LockedMeasurementStore?, _ settings: VENClient.Settings, _ kind: String, _ message: String) {
        try? store?.logEvent(source: "openadr:\(settings.venName)", series: "openadr/\(settings.venName)", kind: kind, message: message)
    }

    static func openFeedStore(_ db: String, noDB: Bool) -> LockedMeasurementStore? {
        guard !noDB else { return nil }
        do { return LockedMeasurementStore(try FeedsCommand.openStore(db)) } catch {
            CLILogging.logger("flexdispatch.signals").warning("\(db): \(error); the VEN's activity is not logged")
            return nil
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register as a VEN, read the program's events and write their prices and carbon intensity into a scenario.",
            discussion: """
                The VEN file: {"url": "https://vtn.example", "clientID": "…", "secret": "…", "venName": "park", \
                "programName"?: "…", "tokenURL"?: "…", "scopes"?: "…", "credentialMode"?: "body" (client_id and client_secret in \
                the token request's form body, as OpenADR 3.1 has them; the default) or "basic" (HTTP Basic), \
                "caFile"?: "CA PEM for an https VTN with a private CA, relative to the file"}. PRICE, EXPORT_PRICE and GHG events over the \
                scenario's horizon replace the steps they cover in the columns scenario.json names (importPrice, \
                exportPrice, carbonIntensity; IMPORT/EXPORT_CAPACITY_LIMIT into importLimit/exportLimit when named), written atomically, so that the next `run` dispatches on them and its \
                manifest records them. The pull (or its error) is logged as a feed event in the store (`feeds status`). \
                Exit codes: 0 done (also when nothing changed); 1 the VTN could not be read; 2 bad input.
                """
        )
        @Option(help: "VEN configuration (JSON).") var ven: String
        @Option(help: "Scenario folder to update.") var scenario: String
        @Flag(help: "Print the changed steps as a JSON array.") var json = false
        @Option(help: "Store for the feed events: a SQLite file or a postgres:// URL.") var db: String = "out/flexdispatch.sqlite"
        @Flag(help: "Do not log the pull in a store.") var noDB = false

        func run() async throws {
            let logger = CLILogging.logger("flexdispatch.signals")
            let settings: VENClient.Settings
            let horizon: (Date, Date)
            do {
                settings = try SignalsCommand.settings(ven)
                horizon = try SignalsCommand.horizon(scenario)
            } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            let store = SignalsCommand.openFeedStore(db, noDB: noDB)
            let signals: [Signal]
            do {
                signals = try await withTaskExecutorPreference(FeedExecutor.shared) {
                    let client = try VENClient(settings)
                    let id = try await client.register()
                    logger.info("VEN '\(settings.venName)' registered as \(id) at \(settings.baseURL)")
                    return try await client.signals(from: horizon.0, to: horizon.1)
                }
            } catch {
                logger.error("\(settings.baseURL): \(error)")
                SignalsCommand.logFeed(store, settings, "error", "pull: \(error)")
                throw ExitCode(1)
            }
            for kind in [Signal.Kind.importLimit, .exportLimit] where signals.contains(where: { $0.kind == kind }) {
                logger.info("\(kind.rawValue) events received: applied where scenario.json names a park.\(kind.rawValue) series")
            }
            let changes: [ScenarioSignals.Change]
            do { changes = try ScenarioSignals.apply(signals, scenarioDirectory: scenario) } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            if json {
                let rows: [[String: Any]] = changes.map { ["column": $0.column, "step": $0.step, "old": $0.old, "new": $0.new] }
                print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
            }
            logger.info("\(signals.count) signal interval(s); \(changes.count) step value(s) changed in \(scenario)")
            SignalsCommand.logFeed(store, settings, "pulled", "\(signals.count) signal interval(s); \(changes.count) step value(s) changed in \(scenario)")
        }
    }
}

extension SignalsCommand {
    static func settings(_ path: String) throws -> VENClient.Settings {
        do { return try VENClient.Settings.read(path: path) } catch { throw ValidationError("\(error)") }
    }

    static func horizon(_ dir: String) throws -> (Date, Date) {
        do {
            let axis = try ScenarioFrame.read(directory: dir).axis
            return (axis.start, axis.end)
        } catch { throw ValidationError(error.description) }
    }
}
