import Adapters
import ArgumentParser
import Foundation
import Measurements
import RunHistory
import Storage

struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Measurement feeds: run the configured adapters into the store, or show what arrived.",
        subcommands: [Run.self, Status.self, Export.self]
    )

    /// The measurement store a `--db` names; exit 1 with the reason when it cannot be opened.
    static func openStore(_ db: String) throws -> any MeasurementStore {
        MeasurementStores.store(on: try openDatabase(db))
    }

    /// The database a `--db` names; exit 1 with the reason when it cannot be opened.
    static func openDatabase(_ db: String) throws -> Database {
        do { return try Database.open(db) } catch {
            CLILogging.logger("flexdispatch.feeds").error("\(error)")
            throw ExitCode(1)
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the adapters of a feeds configuration until stopped (SIGINT/SIGTERM), ingesting into the store.",
            discussion: "Exit codes: 0 stopped cleanly (or --once done); 1 the store failed; 2 a bad configuration."
        )
        @Argument(help: "Feeds configuration (JSON).") var config: String
        @Option(help: "Store: a SQLite file or a postgres:// URL.") var db: String = "out/flexdispatch.sqlite"
        @Flag(help: "Process what is waiting once, then exit.") var once = false
        @Option(help: "Stop after this many seconds (benchmarks, simulations).") var duration: Double?
        @Flag(help: "At the end, print one JSON object with the counts (polls, failed polls, new, duplicate, rejected, malformed samples, seconds).")
        var json = false

        func run() async throws {
            let logger = CLILogging.logger("flexdispatch.feeds")
            let cfg: FeedConfig
            do { cfg = try FeedConfig.read(path: config) } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            for w in cfg.warnings { logger.warning("\(w)") }
            let store = try FeedsCommand.openStore(db)
            let service: FeedService
            do { service = try FeedService(config: cfg, store: store) } catch {
                logger.error("\(config): \(error)")
                throw ExitCode(1)
            }
            let stop = StopFlag()
            if !once { stop.install() }
            let started = Date()
            let end = duration.map { started.addingTimeInterval($0) } ?? .distantFuture
            do {
                try await withTaskExecutorPreference(FeedExecutor.shared) {
                    if once { try await service.runOnce() } else { try await service.start { stop.isSet || Date() >= end }.value }
                }
            } catch {
                logger.error("feeds: \(error)")
                throw ExitCode(1)
            }
            let st = service.stats
            if json {
                let o: [String: Any] = ["polls": st.polls, "pollErrors": st.pollErrors, "accepted": st.accepted, "duplicates": st.duplicates,
                                        "rejected": st.rejected, "malformed": st.malformed, "flushes": st.flushes,
                                        "devices": service.sunSpec.count, "seconds": Date().timeIntervalSince(started)]
                print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
            }
            logger.info("feeds: \(st.accepted) new samples, \(st.duplicates) duplicates, \(st.rejected) rejected, \(st.malformed) malformed payloads, \(st.polls) device polls (\(st.pollErrors) failed)")
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
                    ["series": $0.series, "lastTime": $0.count > 0 ? $0.lastTime : NSNull(), "lastValue": $0.count > 0 ? $0.lastValue : NSNull(),
                     "unit": $0.unit, "source": $0.source,
                     "ageSeconds": age($0.lastTime) ?? NSNull(), "count": $0.count, "lastEvent": $0.lastEvent ?? NSNull()]
                }
                print(String(decoding: try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s.padding(toLength: n, withPad: " ", startingAt: 0) }
            print(pad("series", 16) + pad("last value", 16) + pad("at (UTC)", 26) + pad("age", 10) + pad("count", 8) + pad("source", 18) + "last rejection or error")
            for r in rows {
                let value = r.count > 0 ? String(format: "%.3f %@", r.lastValue, r.unit) : "—"
                let at = r.count > 0 ? r.lastTime : "never"
                print(pad(r.series, 16) + pad(value, 16) + pad(at, 26) + pad(r.count > 0 ? age(r.lastTime).map { Self.duration($0) } ?? "?" : "—", 10)
                      + pad(String(r.count), 8) + pad(r.source, 18) + (r.lastEvent ?? ""))
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
