import FlexDispatch
import Foundation
import LinearProgramming
import ParkModel
import RunHistory
import TestSupport
import Testing

/// A run written by the application layer replays to the same figures; a recorded figure
/// that moved is named, and an input changed since the run stops the replay.
@Suite("Application layer: replay")
struct ReplayTests {
    @Test func aWrittenRunReplaysAndChangesAreNamed() throws {
        let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-replay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("run").path
        let s = try ScenarioReader.read(directory: tiny)
        let r = try DispatchRun.solve(s)
        let written = try RunOutput.write(r, scenario: s, scenarioDirectory: tiny, forecastFlagged: true, settings: SolverSettings(),
                                          startedAt: Date(), to: out, force: false, store: nil)
        #expect(written.runID == nil)
        let manifest = out + "/manifest.json"
        let same = try Replay.run(manifest: manifest)
        #expect(same.matches && same.digestMatches)
        #expect(same.result.objective.map { abs($0 - 65) < 1e-5 } == true)

        // A recorded settlement that is not what the scenario gives is named.
        var m = try RunManifest.read(path: manifest)
        let firm = try #require(m.result.settlement.keys.sorted().first)
        m.result.settlement[firm]! += 1
        try m.write(to: manifest)
        let moved = try Replay.run(manifest: manifest)
        #expect(moved.differences.count == 1 && moved.differences[0].hasPrefix("settlement \(firm):"), "\(moved.differences)")

        // A copied input changed since the run: not replayed, the file named.
        let csv = out + "/inputs/timeseries.csv"
        try (String(contentsOfFile: csv, encoding: .utf8) + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        #expect { try Replay.run(manifest: manifest) } throws: { error in
            (error as? Replay.Failure)?.messages == ["\(out)/inputs/timeseries.csv: changed since the run (SHA-256 differs)"]
        }
    }
}
