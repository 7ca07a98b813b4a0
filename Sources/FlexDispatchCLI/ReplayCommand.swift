import ArgumentParser
import FlexDispatch
import Foundation
import LinearProgramming
import ParkModel
import RunHistory

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run a recorded run from its manifest and its copied inputs; say whether objective and settlements match.",
        discussion: """
        Checks every copied input against the SHA-256 in the manifest, re-solves with the recorded solver settings \
        (--threads may differ: results must not depend on it) and compares status, objective, value of the cluster, \
        and each firm's settlement and standalone cost to a relative 1e-9. \
        Exit codes: 0 match; 1 mismatch (each difference is printed); 2 unreadable manifest or changed inputs.
        """
    )

    @Argument(help: "manifest.json of a run (its inputs/ folder beside it).")
    var manifest: String
    @Option(parsing: .unconditional, help: "Threads for BLAS and CHOLMOD (default: as recorded).")
    var threads: Int?
    @Flag(help: "Print one JSON object: match, differences, objective.")
    var json = false

    func run() throws {
        let logger = CLILogging.logger("flexdispatch.replay")
        let m: RunManifest
        do { m = try RunManifest.read(path: manifest) } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
        let inputs = URL(fileURLWithPath: manifest).deletingLastPathComponent().appendingPathComponent(m.inputsDirectory).path
        let found = (try? InputFiles.collect(inputs)) ?? []
        func inside(_ p: String) -> Bool { !p.isEmpty && !p.hasPrefix("/") && !p.split(separator: "/").contains("..") }
        for (field, value) in [("inputsDirectory", m.inputsDirectory), ("scenarioSubdirectory", m.scenarioSubdirectory)] {
            if let value, !inside(value) {
                logger.error("\(manifest): \(field) '\(value)' is not a folder inside the manifest's folder")
                throw ExitCode(2)
            }
        }
        if found != m.inputs {
            let recorded = Dictionary(m.inputs.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            let now = Dictionary(found.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            for path in Set(recorded.keys).union(now.keys).sorted() where recorded[path] != now[path] {
                logger.error("\(inputs)/\(path): \(now[path] == nil ? "missing" : recorded[path] == nil ? "not in the manifest" : "changed since the run (SHA-256 differs)")")
            }
            throw ExitCode(2)
        }
        var settings = m.solverSettings
        if let threads { settings.threads = threads }
        let folder = m.scenarioSubdirectory.map { (inputs as NSString).appendingPathComponent($0) } ?? inputs
        let s: Scenario
        do { s = try ScenarioReader.read(directory: folder, forecastFlagged: m.forecastFlagged) } catch let e as ScenarioError {
            for message in e.messages { logger.error("\(folder): \(message)") }
            throw ExitCode(2)
        }
        let r = try DispatchRun.solve(s, settings: settings)
        let now = RunManifest.result(r)
        let differences = Self.compare(m.result, now)
        if json {
            let o: [String: Any] = ["match": differences.isEmpty, "differences": differences,
                                    "objective": now.objective ?? NSNull(), "recordedObjective": m.result.objective ?? NSNull(),
                                    "digestMatches": now.digest == m.result.digest]
            print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("replayed \(m.scenario) (run \(m.runID.map(String.init) ?? "not recorded"), \(m.createdAt), version \(m.programVersion)) "
                  + "with \(settings.threads) thread(s)")
            print("objective recorded \(m.result.objective.map { String(format: "%.9f", $0) } ?? "n/a"), "
                  + "now \(now.objective.map { String(format: "%.9f", $0) } ?? "n/a")")
            print("result digest \(now.digest == m.result.digest ? "identical" : "differs (compare the figures)")")
            print(differences.isEmpty ? "MATCH: status, objective, value of the cluster, \(m.result.settlement.count) settlements and standalone costs agree to 1e-9"
                  : "MISMATCH:\n" + differences.map { "  " + $0 }.joined(separator: "\n"))
        }
        if !differences.isEmpty { throw ExitCode(1) }
    }

    static func compare(_ a: RunManifest.Result, _ b: RunManifest.Result) -> [String] {
        var out: [String] = []
        func close(_ x: Double?, _ y: Double?) -> Bool {
            guard let x, let y else { return x == nil && y == nil }
            return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
        }
        if a.status != b.status { out.append("status: \(a.status) → \(b.status)") }
        if !close(a.objective, b.objective) { out.append("objective: \(a.objective ?? .nan) → \(b.objective ?? .nan)") }
        if !close(a.valueOfCluster, b.valueOfCluster) { out.append("value of the cluster: \(a.valueOfCluster ?? .nan) → \(b.valueOfCluster ?? .nan)") }
        for id in Set(a.settlement.keys).union(b.settlement.keys).sorted() where !close(a.settlement[id], b.settlement[id]) {
            out.append("settlement \(id): \(a.settlement[id] ?? .nan) → \(b.settlement[id] ?? .nan)")
        }
        for id in Set(a.standaloneCost.keys).union(b.standaloneCost.keys).sorted() where !close(a.standaloneCost[id], b.standaloneCost[id]) {
            out.append("standalone cost \(id): \(a.standaloneCost[id] ?? .nan) → \(b.standaloneCost[id] ?? .nan)")
        }
        return out
    }
}
