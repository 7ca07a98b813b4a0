@testable import FlexDispatch
import Foundation
@testable import FlexDispatchCLI
import LinearProgramming
import ParkModel
@testable import RunHistory
import TestSupport
import Testing

/// `--out` replaces only a previous FlexDispatch output, never an input, in one rename;
/// the inputs copied are exactly the files the run read, wherever they lie.
@Suite("Run outputs are safe to replace")
struct RunOutputSafetyTests {
    let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path
    let fm = FileManager.default

    func temporaryDirectory() -> String {
        fm.temporaryDirectory.appendingPathComponent("fd-out-\(UUID().uuidString)").path
    }

    /// A copy of the tiny scenario to write into.
    func tinyCopy() throws -> String {
        let dir = temporaryDirectory()
        try fm.copyItem(atPath: tiny, toPath: dir)
        return dir
    }

    @Test func refusesWhatIsNotAPreviousOutput() throws {
        // An existing file.
        let file = temporaryDirectory()
        try "keep me".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(runCommandLine(["run", tiny, "--out", file, "--quiet", "--no-db"]) == 2)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
        // A folder with unrelated files.
        let folder = temporaryDirectory()
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "thesis".write(toFile: folder + "/chapter1.tex", atomically: true, encoding: .utf8)
        #expect(runCommandLine(["run", tiny, "--out", folder, "--quiet", "--no-db"]) == 2)
        #expect(try fm.contentsOfDirectory(atPath: folder) == ["chapter1.tex"])
        // --force replaces both.
        #expect(runCommandLine(["run", tiny, "--out", folder, "--quiet", "--no-db", "--force"]) == 0)
        #expect(fm.fileExists(atPath: folder + "/summary.json") && !fm.fileExists(atPath: folder + "/chapter1.tex"))
        #expect(runCommandLine(["run", tiny, "--out", file, "--quiet", "--no-db", "--force"]) == 0)
        #expect(fm.fileExists(atPath: file + "/summary.json"))
        // A previous output is replaced without --force.
        #expect(runCommandLine(["run", tiny, "--out", folder, "--quiet", "--no-db"]) == 0)
    }

    /// The scenario folder, its history and any folder holding an input are never replaced,
    /// not even with --force.
    @Test func neverReplacesAnInput() throws {
        let scenario = try tinyCopy()
        try fm.createDirectory(atPath: scenario + "/history", withIntermediateDirectories: true)
        let before = try fm.contentsOfDirectory(atPath: scenario).sorted()
        for out in [scenario, scenario + "/history", (scenario as NSString).deletingLastPathComponent, scenario + "/timeseries.csv"] {
            #expect(runCommandLine(["run", scenario, "--out", out, "--quiet", "--no-db", "--force"]) == 2, "\(out)")
        }
        #expect(try fm.contentsOfDirectory(atPath: scenario).sorted() == before)
    }

    /// Output inside the scenario folder: the inputs are the files read, so a second run
    /// neither nests `out/inputs/out/…` nor changes the inputs digest.
    @Test func outputInsideTheScenarioDoesNotNest() throws {
        let scenario = try tinyCopy()
        let out = scenario + "/out"
        var digests: [String] = []
        for _ in 0..<2 {
            #expect(runCommandLine(["run", scenario, "--out", out, "--quiet", "--no-db"]) == 0)
            let m = try RunManifest.read(path: out + "/manifest.json")
            digests.append(m.inputsDigest)
            #expect(m.inputs.map(\.path) == ["scenario.json", "timeseries.csv"])
            #expect(m.scenarioSubdirectory == nil)
        }
        #expect(digests[0] == digests[1])
        #expect(!fm.fileExists(atPath: out + "/inputs/out"))
        #expect(runCommandLine(["replay", out + "/manifest.json", "--json"]) == 0)
    }

    /// A time series outside the scenario folder is copied and hashed in its relative place,
    /// and the run replays.
    @Test func aTimeSeriesOutsideTheScenarioIsCopied() throws {
        let root = temporaryDirectory()
        try fm.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        try fm.copyItem(atPath: tiny, toPath: root + "/scen")
        try fm.moveItem(atPath: root + "/scen/timeseries.csv", toPath: root + "/data/ts.csv")
        let json = try String(contentsOfFile: root + "/scen/scenario.json", encoding: .utf8)
            .replacingOccurrences(of: #""timeseries": "timeseries.csv""#, with: #""timeseries": "../data/ts.csv""#)
        try json.write(toFile: root + "/scen/scenario.json", atomically: true, encoding: .utf8)
        let out = temporaryDirectory()
        #expect(runCommandLine(["run", root + "/scen", "--out", out, "--quiet", "--no-db"]) == 0)
        let m = try RunManifest.read(path: out + "/manifest.json")
        #expect(m.inputs.map(\.path) == ["data/ts.csv", "scen/scenario.json"])
        #expect(m.scenarioSubdirectory == "scen")
        #expect(fm.fileExists(atPath: out + "/inputs/data/ts.csv"))
        #expect(runCommandLine(["replay", out + "/manifest.json", "--json"]) == 0)
    }

    /// The swap: the previous output is replaced whole, nothing is left beside it, and the
    /// temporaries of a process that died are removed by the next run.
    @Test func replacingIsOneRenameAndStaleTemporariesGo() throws {
        let parent = temporaryDirectory()
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let out = parent + "/run"
        #expect(runCommandLine(["run", tiny, "--out", out, "--quiet", "--no-db"]) == 0)
        // Leftovers of a killed run: pid 2^31 - 1 is never a live process.
        for kind in ["tmp", "old"] {
            try fm.createDirectory(atPath: parent + "/.run.\(kind)-\(OutputFolder.host)-2147483647-X/inputs", withIntermediateDirectories: true)
        }
        let mine = parent + "/.run.tmp-\(OutputFolder.host)-\(getpid())-LIVE"
        try fm.createDirectory(atPath: mine, withIntermediateDirectories: true)
        #expect(runCommandLine(["run", tiny, "--out", out, "--quiet", "--no-db"]) == 0)
        #expect(try fm.contentsOfDirectory(atPath: parent).sorted() == [".run.lock", ".run.tmp-\(OutputFolder.host)-\(getpid())-LIVE", "run"])
        // install() on its own: the old folder's files are gone, the new ones in place.
        let staged = try OutputFolder.stage(URL(fileURLWithPath: out))
        try "new".write(to: staged.appendingPathComponent("marker"), atomically: true, encoding: .utf8)
        try OutputFolder.install(staged, at: URL(fileURLWithPath: out))
        #expect(try fm.contentsOfDirectory(atPath: out) == ["marker"])
        #expect(try fm.contentsOfDirectory(atPath: parent).sorted() == [".run.lock", ".run.tmp-\(OutputFolder.host)-\(getpid())-LIVE", "run"])
    }

    /// The run history lists a run only once its output folder is complete: a store that
    /// looks at the output folder when asked to record finds the whole output there, and
    /// the manifest then carries the run's id.
    @Test func theRunIsRecordedOnceTheOutputIsInPlace() throws {
        let root = temporaryDirectory()
        let out = root + "/run"
        let s = try ScenarioReader.read(directory: tiny)
        let r = try DispatchRun.solve(s)
        let store = try WatchingStore(SQLiteRunStore(path: root + "/h.sqlite"), watching: out)
        let written = try RunOutput.write(r, scenario: s, scenarioDirectory: tiny, forecastFlagged: true, settings: SolverSettings(),
                                          startedAt: Date(), to: out, force: false, store: store)
        #expect(store.sawAtRecord == ["inputs", "manifest.json", "report.html", "schedule.csv", "summary.json"])
        #expect(try RunManifest.read(path: out + "/manifest.json").runID == written.runID && written.runID == 1)
    }

    /// --out through a symbolic link, the working directory, or a folder that is the
    /// scenario under another name: refused before anything is written.
    @Test func linksAndTheWorkingDirectoryAreRefused() throws {
        let scenario = try tinyCopy()
        let link = temporaryDirectory()
        try fm.createSymbolicLink(atPath: link, withDestinationPath: scenario)
        #expect(runCommandLine(["run", scenario, "--out", link, "--quiet", "--no-db", "--force"]) == 2)
        #expect(runCommandLine(["run", scenario, "--out", link, "--quiet", "--no-db"]) == 2)
        #expect(fm.fileExists(atPath: scenario + "/scenario.json"))
        #expect(runCommandLine(["run", scenario, "--out", ".", "--quiet", "--no-db", "--force"]) == 2)
        #expect(runCommandLine(["run", scenario, "--out", "..", "--quiet", "--no-db", "--force"]) == 2)
        // The run history inside --out would be replaced with it.
        let out = temporaryDirectory()
        #expect(runCommandLine(["run", scenario, "--out", out, "--quiet", "--no-db"]) == 0)
        #expect(runCommandLine(["run", scenario, "--out", out, "--quiet", "--db", out + "/h.sqlite"]) == 2)
    }

    /// A run killed between its two renames leaves the old output aside and none in place:
    /// the next run puts it back rather than deleting it.
    @Test func anOrphanedOldOutputIsPutBack() throws {
        let parent = temporaryDirectory()
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let out = parent + "/run"
        #expect(runCommandLine(["run", tiny, "--out", out, "--quiet", "--no-db"]) == 0)
        let aside = parent + "/.run.old-\(OutputFolder.host)-2147483647-X"
        try fm.moveItem(atPath: out, toPath: aside)
        OutputFolder.removeStale(near: URL(fileURLWithPath: out))
        #expect(fm.fileExists(atPath: out + "/manifest.json") && !fm.fileExists(atPath: aside))
    }
}

/// Command-line errors exit 2 (ArgumentParser's 64 is not a documented code), say what is
/// wrong, and `generate` does not write into a folder that holds other files.
@Suite("Command-line errors")
struct CommandLineErrorTests {
    @Test func usageErrorsExitTwo() {
        let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fd-cli-\(UUID().uuidString)").path
        for args in [["run", tiny, "--out", out, "--tolerance", "0"], ["run", tiny, "--out", out, "--tolerance", "-1"],
                     ["run", tiny, "--out", out, "--threads", "0"], ["forecast", "backtest", "--history", "x.csv", "--series", "y", "--model", "prophet"],
                     ["run", tiny, "--no-such-option"]] {
            #expect(runCommandLine(args) == 2, "\(args)")
        }
        // --tolerance -1 is read as the value -1 (and then refused by the settings' validation).
        let parsed = try? FlexDispatchCommand.parseAsRoot(["run", tiny, "--tolerance", "-1"]) as? RunCommand
        #expect(parsed?.solver.tolerance == -1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func generateKeepsWhatIsThere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-gen-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "{}".write(toFile: dir + "/scenario.json", atomically: true, encoding: .utf8)
        let profiles = SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path
        #expect(runCommandLine(["generate", "--firms", "2", "--out", dir, "--profiles", profiles]) == 2)
        #expect(try String(contentsOfFile: dir + "/scenario.json", encoding: .utf8) == "{}")
        #expect(runCommandLine(["generate", "--firms", "2", "--out", dir, "--profiles", profiles, "--force"]) == 0)
        #expect(try String(contentsOfFile: dir + "/scenario.json", encoding: .utf8) != "{}")
    }
}

/// A run store that notes what the output folder holds when it is asked to record.
final class WatchingStore: RunStore, @unchecked Sendable {
    let inner: any RunStore
    let folder: String
    var sawAtRecord: [String] = []

    init(_ inner: any RunStore, watching folder: String) {
        self.inner = inner
        self.folder = folder
    }

    func record(_ run: RunRecord) throws -> Int64 {
        sawAtRecord = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        return try inner.record(run)
    }
    func list(limit: Int) throws -> [RunSummary] { try inner.list(limit: limit) }
    func show(_ id: Int64) throws -> RunDetail? { try inner.show(id) }
}
