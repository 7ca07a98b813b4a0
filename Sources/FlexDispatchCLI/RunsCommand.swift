import ArgumentParser
import Foundation
import RunHistory
import Storage

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "The run history: list runs, show one, or diff two.",
        subcommands: [List.self, Show.self, Diff.self]
    )

    struct Location: ParsableArguments {
        @Option(help: "Run history: a SQLite file or a postgres:// URL.")
        var db: String = "out/flexdispatch.sqlite"

        func open() throws -> any RunStore { RunStores.store(on: try database()) }

        /// The database the runs are in: exit 2 when there is none at `db`, 1 when it cannot be opened.
        func database() throws -> Database {
            if !db.hasPrefix("postgres"), !FileManager.default.fileExists(atPath: db) {
                CLILogging.logger("flexdispatch.runs").error("\(db): no run history here (run `flexdispatch run` first, or give --db)")
                throw ExitCode(2)
            }
            do { return try Database.open(db) } catch {
                CLILogging.logger("flexdispatch.runs").error("\(error)")
                throw ExitCode(1)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest runs, newest first.")
        @OptionGroup var location: Location
        @Option(help: "How many runs.") var limit: Int = 20
        @Flag(help: "Print a JSON array.") var json = false

        func run() throws {
            let runs = try location.open().list(limit: limit)
            if json {
                let rows: [[String: Any]] = runs.map {
                    ["id": $0.id, "scenario": $0.scenario, "startedAt": $0.startedAt, "status": $0.status,
                     "objective": $0.objective ?? NSNull(), "valueOfCluster": $0.valueOfCluster ?? NSNull(),
                     "solveSeconds": $0.solveSeconds, "scenarioHash": $0.scenarioHash]
                }
                print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
                return
            }
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s.padding(toLength: n, withPad: " ", startingAt: 0) }
            print(pad("id", 6) + pad("started (UTC)", 26) + pad("scenario", 22) + pad("status", 12) + pad("objective", 18)
                  + pad("value of cluster", 18) + "inputs")
            for r in runs {
                print(pad(String(r.id), 6) + pad(r.startedAt, 26) + pad(r.scenario, 22) + pad(r.status, 12)
                      + pad(r.objective.map { String(format: "%.2f", $0) } ?? "n/a", 18)
                      + pad(r.valueOfCluster.map { String(format: "%.2f", $0) } ?? "n/a", 18) + String(r.scenarioHash.prefix(12)))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One run: its record, cost parts and firms.")
        @OptionGroup var location: Location
        @Argument(help: "Run id.") var id: Int64

        func run() throws {
            guard let d = try location.open().show(id) else {
                CLILogging.logger("flexdispatch.runs").error("no run \(id) in \(location.db)")
                throw ExitCode(2)
            }
            for (name, value) in d.fields { print("\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(value)") }
            print("parts:")
            for (part, cost) in d.parts.sorted(by: { $0.key < $1.key }) {
                print("  " + part.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: " %.2f", cost))
            }
            print("firms (settlement, standalone cost):")
            for (id, f) in d.firms.sorted(by: { $0.key < $1.key }) {
                print("  \(id): \(f.settlement.map { String(format: "%.2f", $0) } ?? "n/a"), \(f.standaloneCost.map { String(format: "%.2f", $0) } ?? "n/a")")
            }
            if !d.forecastModels.isEmpty {
                print("forecasts: " + d.forecastModels.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            if let v = d.revision {
                print("re-plan from \(v.planAt), step \(v.firstStep); replaces \(v.replaces.map { "run \($0)" } ?? "no recorded run")")
                for note in v.notes { print("  \(note)") }
            }
            if !d.revisedBy.isEmpty { print("revised by: " + d.revisedBy.map { "run \($0)" }.joined(separator: ", ")) }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What changed in inputs and results between two runs.")
        @OptionGroup var location: Location
        @Argument(help: "First run id.") var first: Int64
        @Argument(help: "Second run id.") var second: Int64

        func run() throws {
            let store = try location.open()
            let a = try store.show(first), b = try store.show(second)
            guard let a, let b else {
                CLILogging.logger("flexdispatch.runs").error("no run \(a == nil ? first : second) in \(location.db)")
                throw ExitCode(2)
            }
            print("run \(first) → run \(second)")
            for line in RunDiff.lines(a, b) { print(line) }
        }
    }
}
