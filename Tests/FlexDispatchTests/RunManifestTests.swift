import FlexDispatch
import Foundation
import LinearProgramming
import ParkModel
import RunHistory
import Storage
import TestSupport
import Testing

/// The run's output contract: the manifest's digests and its JSON form.
@Suite("Application layer: manifests")
struct RunManifestTests {
    static let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path

    @Test func manifestDigestsAreStableAndSensitive() throws {
        let s = try ScenarioReader.read(directory: Self.tiny)
        let r = try DispatchRun.solve(s)
        let inputs = try InputFiles.collect(Self.tiny)
        #expect(inputs.map(\.path) == ["README.md", "scenario.json", "timeseries.csv"])
        #expect(inputs.allSatisfy { $0.sha256.count == 64 })
        #expect(InputFiles.digest(inputs) == InputFiles.digest(try InputFiles.collect(Self.tiny)))
        var changed = r
        changed.settlement["f1"]! += 1e-3
        #expect(ResultDigest.of(r) == ResultDigest.of(try DispatchRun.solve(s)))
        #expect(ResultDigest.of(changed) != ResultDigest.of(r))
        // The manifest round-trips through JSON, infinite time limit included.
        let m = RunManifest(scenario: s, run: r, scenarioDirectory: Self.tiny, inputs: inputs, forecastFlagged: true,
                            settings: SolverSettings(), createdAt: Date())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-manifest-\(UUID().uuidString).json").path
        try m.write(to: path)
        let back = try RunManifest.read(path: path)
        #expect(back.inputs == inputs && back.result.digest == m.result.digest && back.solverSettings == SolverSettings())
        #expect(throws: StoreError.self) { try RunManifest.read(path: Self.tiny + "/scenario.json") }
    }
}
