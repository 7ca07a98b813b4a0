import DataFiles
import Forecasting
import Foundation
import LinearProgramming
import ParkModel
import RunHistory

/// Re-runs a recorded run from its manifest and the inputs copied beside it, and says
/// whether the result is the one recorded: status, objective, value of the cluster, and
/// each firm's settlement and standalone cost to a relative 1e-9.
///
/// ```swift
/// let outcome = try Replay.run(manifest: "out/run/manifest.json")
/// print(outcome.differences.isEmpty ? "match" : outcome.differences.joined(separator: "\n"))
/// ```
public enum Replay {
    /// What the replay found.
    public struct Outcome: Sendable {
        /// The recorded run's manifest.
        public var manifest: RunManifest
        /// The settings it solved with (the recorded ones, threads as asked).
        public var settings: SolverSettings
        /// The result now, in the manifest's terms.
        public var result: RunManifest.Result
        /// One line per figure that moved; empty when the replay matches.
        public var differences: [String]
        /// Every figure agrees to 1e-9.
        public var matches: Bool { differences.isEmpty }
        /// The result's digest is the recorded one (identical figures, bit for bit).
        public var digestMatches: Bool { result.digest == manifest.result.digest }
    }

    /// Why a run cannot be replayed (each message names the file or field).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var messages: [String]
        public var description: String { messages.joined(separator: "\n") }
    }

    /// Checks every copied input against its SHA-256 in the manifest, reads the scenario
    /// from the copies, solves it with the recorded settings (`threads` may differ: results
    /// must not depend on it) and compares. Throws `Failure` for an unreadable manifest, a
    /// folder outside the manifest's, or inputs changed since the run.
    /// `models`: the forecasting models the recorded run could name (the built-in ones and
    /// any the integrator added when it ran).
    public static func run(manifest path: String, threads: Int? = nil, models: ForecastCatalog = ForecastCatalog()) throws -> Outcome {
        let m: RunManifest
        do { m = try RunManifest.read(path: path) } catch { throw Failure(messages: ["\(error)"]) }
        func inside(_ p: String) -> Bool { !p.isEmpty && !p.hasPrefix("/") && !p.split(separator: "/").contains("..") }
        for (field, value) in [("inputsDirectory", m.inputsDirectory), ("scenarioSubdirectory", m.scenarioSubdirectory)] {
            if let value, !inside(value) { throw Failure(messages: ["\(path): \(field) '\(value)' is not a folder inside the manifest's folder"]) }
        }
        let inputs = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(m.inputsDirectory).path
        let found = (try? InputFiles.collect(inputs)) ?? []
        if found != m.inputs {
            let recorded = Dictionary(m.inputs.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            let now = Dictionary(found.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
            throw Failure(messages: Set(recorded.keys).union(now.keys).sorted().filter { recorded[$0] != now[$0] }.map { p in
                "\(inputs)/\(p): \(now[p] == nil ? "missing" : recorded[p] == nil ? "not in the manifest" : "changed since the run (SHA-256 differs)")"
            })
        }
        var settings = m.solverSettings
        if let threads { settings.threads = threads }
        let folder = m.scenarioSubdirectory.map { (inputs as NSString).appendingPathComponent($0) } ?? inputs
        var s: Scenario
        do {
            let history = HistoryForecaster(models: models)
            let forecaster: any SeriesForecaster = m.revision.flatMap { revision in
                revision.intraday.map { IntradayForecaster(base: history, origin: .step(revision.firstStep), correction: $0) }
            } ?? history
            s = try ScenarioReader.read(directory: folder, forecastFlagged: m.forecastFlagged, forecaster: forecaster)
            // A re-plan solves the same steps from the same recorded state.
            if let revision = m.revision {
                s = try s.replanned(from: revision.firstStep, horizonSteps: revision.horizonSteps, state: revision.state).scenario
            }
        } catch let e as ScenarioError {
            throw Failure(messages: e.messages.map { "\(folder): \($0)" })
        }
        let now = RunManifest.result(try DispatchRun.solve(s, settings: settings, limits: m.limits ?? .hard))
        return Outcome(manifest: m, settings: settings, result: now, differences: differences(m.result, now))
    }

    /// The figures of `now` that differ from `recorded` by more than a relative 1e-9.
    public static func differences(_ recorded: RunManifest.Result, _ now: RunManifest.Result) -> [String] {
        var out: [String] = []
        func close(_ x: Double?, _ y: Double?) -> Bool {
            guard let x, let y else { return x == nil && y == nil }
            return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
        }
        let (a, b) = (recorded, now)
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
