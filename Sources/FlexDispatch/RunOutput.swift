import DataFiles
import Foundation
import LinearProgramming
import ParkModel
import Reporting
import RunHistory

/// The output contract of a run: `summary.json`, `schedule.csv`, `forecasts.csv`,
/// `report.html`, the inputs it read (`inputs/`) and `manifest.json`, in one folder.
/// They are written into a temporary sibling folder that takes the place of the previous
/// output in one rename (`OutputFolder`); the run is recorded in the run history only once
/// its output is in place, and the manifest then gains the run's id.
public enum RunOutput {
    /// Where the run was recorded, when it was.
    public struct Written: Sendable {
        public var runID: Int64?
        /// The run history as `RunStores.describe` names it.
        public var store: String?
    }

    /// What `--out` must not replace: every file the run read, the scenario folder, its
    /// history folder, and the other files the run writes (`also`: the run history, an MPS).
    public static func protectedInputs(_ s: Scenario, scenarioDirectory: String, also: [String] = []) -> [String] {
        s.inputFiles + [scenarioDirectory] + (s.historyDirectory.map { [$0] } ?? []) + also
    }

    /// Writes the outputs of `r` into `dir` (replacing a previous output there, never an
    /// input or another file: `OutputFolder.check`) and records the run in `store`.
    public static func write(_ r: DispatchRun, scenario s: Scenario, scenarioDirectory: String, forecastFlagged: Bool,
                      settings: SolverSettings, startedAt: Date, to dir: String, force: Bool, protected: [String] = [],
                      store: (any RunStore)?, revision: PlanRevision? = nil) throws -> Written {
        let target = URL(fileURLWithPath: dir).standardizedFileURL
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        return try OutputFolder.locked(target) {
            try OutputFolder.check(dir, inputs: protectedInputs(s, scenarioDirectory: scenarioDirectory, also: protected), force: force)
            OutputFolder.removeStale(near: target)
            return try writeLocked(r, scenario: s, scenarioDirectory: scenarioDirectory, forecastFlagged: forecastFlagged,
                                   settings: settings, startedAt: startedAt, to: dir, target: target, store: store, revision: revision)
        }
    }

    private static func writeLocked(_ r: DispatchRun, scenario s: Scenario, scenarioDirectory: String, forecastFlagged: Bool,
                                    settings: SolverSettings, startedAt: Date, to dir: String, target: URL,
                                    store: (any RunStore)?, revision: PlanRevision?) throws -> Written {
        let fm = FileManager.default
        let staging = try OutputFolder.stage(target)
        defer { try? fm.removeItem(at: staging) }
        try DispatchSummary(run: r, scenario: s, revision: revision).json().write(to: staging.appendingPathComponent("summary.json"))
        if let revision { try revision.state.json().write(to: staging.appendingPathComponent("state.json")) }
        var csv = CSVWriter(header: ["time", "step", "owner", "asset", "variable", "value"])
        for e in r.schedule { csv.row([s.times[e.step], "\(e.step)", e.owner, e.asset, e.variable.rawValue, "\(e.value)"]) }
        try Data(csv.text.utf8).write(to: staging.appendingPathComponent("schedule.csv"))
        if !s.forecasts.isEmpty { try Data(forecastsCSV(s).utf8).write(to: staging.appendingPathComponent("forecasts.csv")) }
        try Data(RunReport.html(scenario: s, run: r, revision: revision.map(\.reportLines) ?? []).utf8)
            .write(to: staging.appendingPathComponent("report.html"))
        // The inputs the run read, copied so that it can be replayed after the scenario changes.
        let inputs = try InputSnapshot(files: s.inputContents, scenarioDirectory: scenarioDirectory)
        try inputs.write(to: staging.appendingPathComponent("inputs"))
        var manifest = RunManifest(scenario: s, run: r, scenarioDirectory: scenarioDirectory, inputs: inputs.files,
                                   scenarioSubdirectory: inputs.scenarioSubdirectory, forecastFlagged: forecastFlagged,
                                   settings: settings, createdAt: startedAt)
        manifest.revision = revision
        try manifest.write(to: staging.appendingPathComponent("manifest.json").path)
        try OutputFolder.install(staging, at: target)
        var written = Written()
        if let store {
            var record = RunRecord(scenario: s, run: r, scenarioHash: manifest.inputsDigest, scenarioDirectory: scenarioDirectory,
                                   startedAt: startedAt, finishedAt: Date(), programVersion: FlexDispatchVersion.string,
                                   settings: settings, outputDirectory: dir, resultDigest: manifest.result.digest)
            record.revision = try revision.map {
                RunRecord.Revision(replaces: $0.replaces, planAt: $0.at, firstStep: $0.firstStep,
                                   startState: String(decoding: try $0.state.json(), as: UTF8.self), notes: $0.notes)
            }
            manifest.runID = try store.record(record)
            written = Written(runID: manifest.runID, store: RunStores.describe(store))
            try manifest.write(to: target.appendingPathComponent("manifest.json").path)
        }
        return written
    }

    /// `summary.json` (`DispatchSummary`).
    public static func summary(_ r: DispatchRun, _ s: Scenario) throws -> Data {
        try DispatchSummary(run: r, scenario: s).json()
    }

    /// `forecasts.csv`: per step and series, the model's p10, p50, p90 and the actual value.
    public static func forecastsCSV(_ s: Scenario) -> String {
        var csv = CSVWriter(header: ["time", "step", "series", "model", "p10", "p50", "p90", "actual"])
        for f in s.forecasts {
            for k in 0..<s.steps {
                csv.row([s.times[k], "\(k)", f.series, f.model, "\(f.p10[k])", "\(f.p50[k])", "\(f.p90[k])",
                         f.actual.map { "\($0[k])" } ?? ""])
            }
        }
        return csv.text
    }
}
