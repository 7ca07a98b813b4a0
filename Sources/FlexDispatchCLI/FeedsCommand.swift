import Adapters
import ArgumentParser
import Foundation
import RunHistory

struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Measurement feeds: run the configured adapters into the store, or show what arrived.",
        subcommands: [Run.self, Status.self]
    )

    /// The measurement store a `--db` names; exit 1 with the reason when it cannot be opened.
    static func openStore(_ db: String) throws -> any MeasurementStore {
        do {
            if let store = try RunStores.open(db) as? any MeasurementStore { return store }
            CLILogging.logger("flexdispatch.feeds").error("\(db): this store keeps no measurements")
        } catch {
            CLILogging.logger("flexdispatch.feeds").error("\(error)")
        }
        throw ExitCode(1)
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the adapters of a feeds configuration until stopped (SIGINT/SIGTERM), ingesting into the store.",
            discussion: "Exit codes: 0 stopped cleanly (or --once done); 1 the store failed; 2 a bad configuration."
        )
        @Argument(help: "Feeds configuration (JSON).") var config: String
        @Option(help: "Store: a SQLite file or a postgres:// URL.") var db: String = "out/flexdispatch.sqlite"
        @Flag(help: "Process what is waiting once, then exit.") var once = false

        func run() throws {
            let logger = CLILogging.logger("flexdispatch.feeds")
            let cfg: FeedConfig
            do { cfg = try FeedConfig.read(path: config) } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            let store = try FeedsCommand.openStore(db)
            let validator = MeasurementValidator(cfg.series)
            let adapters = cfg.files.map { DropFolderAdapter(feed: $0, validator: validator) }
            var mqtt: [(MQTTClient, MQTTSource)] = []
            for f in cfg.mqtt {
                do {
                    let client = try MQTTClient(f.settings)
                    let source = MQTTSource(name: f.name, client: client, topics: f.topics)
                    try client.start()
                    mqtt.append((client, source))
                } catch {
                    logger.error("\(f.name): \(error)")
                    throw ExitCode(1)
                }
            }
            let stop = StopFlag()
            if !once { stop.install() }
            logger.info("feeds: \(adapters.count) file feed(s), \(mqtt.count) MQTT feed(s), \(cfg.series.count) series → \(db)")
            var nextPoll = [Date](repeating: .distantPast, count: adapters.count)
            repeat {
                for (k, a) in adapters.enumerated() where Date() >= nextPoll[k] {
                    do {
                        let o = try a.ingestOnce(into: store)
                        if o.files > 0 {
                            logger.info("\(a.feed.name): \(o.files) file(s), \(o.accepted) new samples, \(o.duplicates) duplicates, \(o.rejectedSamples) rejected samples, \(o.rejectedFiles) rejected files")
                        }
                    } catch {
                        logger.error("\(a.feed.name): \(error)")
                        throw ExitCode(1)
                    }
                    nextPoll[k] = Date().addingTimeInterval(a.feed.pollSeconds)
                }
                for (_, source) in mqtt {
                    do {
                        let o = try MQTTIngest.drain(source, validator: validator, into: store)
                        if o != MQTTIngest.Outcome() {
                            logger.info("\(source.name): \(o.accepted) new samples, \(o.duplicates) duplicates, \(o.rejected) rejected, \(o.malformed) malformed payloads")
                        }
                    } catch {
                        logger.error("\(source.name): \(error)")
                        throw ExitCode(1)
                    }
                }
                if !once { Thread.sleep(forTimeInterval: 0.2) }
            } while !once && !stop.isSet
            for (client, _) in mqtt { client.stop() }
            logger.info("feeds: stopped")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per series: the last value, its age, how many values, the last rejection or error.")
        @Option(help: "Store: a SQLite file or a postgres:// URL.") var db: String = "out/flexdispatch.sqlite"
        @Flag(help: "Print a JSON array.") var json = false

        func run() throws {
            let store = try FeedsCommand.openStore(db)
            let rows = try store.feedStatus()
            let parse = ISO8601DateFormatter()
            parse.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            func age(_ t: String) -> Double? { parse.date(from: t).map { Date().timeIntervalSince($0) } }
            if json {
                let out: [[String: Any]] = rows.map {
                    ["series": $0.series, "lastTime": $0.lastTime, "lastValue": $0.lastValue, "unit": $0.unit, "source": $0.source,
                     "ageSeconds": age($0.lastTime) ?? NSNull(), "count": $0.count, "lastEvent": $0.lastEvent ?? NSNull()]
                }
                print(String(decoding: try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s.padding(toLength: n, withPad: " ", startingAt: 0) }
            print(pad("series", 16) + pad("last value", 16) + pad("at (UTC)", 26) + pad("age", 10) + pad("count", 8) + pad("source", 18) + "last rejection or error")
            for r in rows {
                print(pad(r.series, 16) + pad(String(format: "%.3f %@", r.lastValue, r.unit), 16) + pad(r.lastTime, 26)
                      + pad(age(r.lastTime).map { Self.duration($0) } ?? "?", 10) + pad(String(r.count), 8) + pad(r.source, 18) + (r.lastEvent ?? ""))
            }
        }

        static func duration(_ s: Double) -> String {
            if s < 120 { return "\(Int(s)) s" }
            if s < 7200 { return "\(Int(s / 60)) min" }
            if s < 172_800 { return "\(Int(s / 3600)) h" }
            return "\(Int(s / 86400)) d"
        }
    }
}

/// Set by SIGINT or SIGTERM, so that a feeds loop ends cleanly.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private var sources: [DispatchSourceSignal] = []
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return set }

    func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in self?.lock.lock(); self?.set = true; self?.lock.unlock() }
            s.resume()
            sources.append(s)
        }
    }
}
