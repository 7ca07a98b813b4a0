import ArgumentParser
import Foundation
import ParkModel

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a valid park scenario of any size from the measured profile library (same seed, same files)."
    )

    @Option(parsing: .unconditional, help: "Number of firms.") var firms: Int = 46
    @Option(parsing: .unconditional, help: "Number of days (96 quarter-hours each).") var days: Int = 1
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output folder.") var out: String
    @Option(help: "Scenario name (default: generated-<firms>x<days>-<seed>).") var name: String?
    @Option(parsing: .unconditional, help: "Days of measured history before the start, written to history/ (firm loads, PV and wind are then forecast).")
    var historyDays: Int = 0
    @Option(help: "Profile library.") var profiles: String = "datasets/profiles/profiles_15min.csv"
    @Flag(help: "Write into --out even when it already holds files (scenario.json, timeseries.csv and history/history.csv are replaced).")
    var force = false

    func validate() throws {
        guard firms >= 1, firms <= 100_000 else { throw ValidationError("--firms must be between 1 and 100000") }
        guard days >= 1, days <= 366 else { throw ValidationError("--days must be between 1 and 366") }
        guard historyDays >= 0 else { throw ValidationError("--history-days must be ≥ 0") }
    }

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.generate")
        let library: ProfileLibrary
        do { library = try ProfileLibrary.load(path: profiles) } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), !force {
            let empty = isFolder.boolValue && ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? ["?"]).isEmpty
            guard empty else {
                logger.error("\(out): exists and is not an empty folder; choose another --out or give --force to write into it")
                throw ExitCode(2)
            }
        }
        let g = ScenarioGenerator(library: library, firms: firms, days: days, seed: seed,
                                  name: name ?? "generated-\(firms)x\(days)-\(seed)", historyDays: historyDays)
        do { try g.write(to: out) } catch let e as ScenarioError {
            logger.error("\(e)")
            throw ExitCode(2)
        }
        logger.info("wrote \(out)/scenario.json and timeseries.csv (\(firms) firms, \(days * 96) steps)")
    }
}
