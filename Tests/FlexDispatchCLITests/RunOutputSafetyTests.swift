import Foundation
@testable import FlexDispatchCLI
import RunHistory
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
            try fm.createDirectory(atPath: parent + "/.run.\(kind)-2147483647-X/inputs", withIntermediateDirectories: true)
        }
        let mine = parent + "/.run.tmp-\(getpid())-LIVE"
        try fm.createDirectory(atPath: mine, withIntermediateDirectories: true)
        #expect(runCommandLine(["run", tiny, "--out", out, "--quiet", "--no-db"]) == 0)
        #expect(try fm.contentsOfDirectory(atPath: parent).sorted() == [".run.tmp-\(getpid())-LIVE", "run"])
        // install() on its own: the old folder's files are gone, the new ones in place.
        let staged = try OutputFolder.stage(URL(fileURLWithPath: out))
        try "new".write(to: staged.appendingPathComponent("marker"), atomically: true, encoding: .utf8)
        try OutputFolder.install(staged, at: URL(fileURLWithPath: out))
        #expect(try fm.contentsOfDirectory(atPath: out) == ["marker"])
        #expect(try fm.contentsOfDirectory(atPath: parent).sorted() == [".run.tmp-\(getpid())-LIVE", "run"])
    }

    /// The run history lists a run only once its output folder is complete: the recorded
    /// run's manifest is in place with its id.
    @Test func theRunIsRecordedOnceTheOutputIsInPlace() throws {
        let root = temporaryDirectory()
        let out = root + "/run"
        #expect(runCommandLine(["run", tiny, "--out", out, "--quiet", "--db", root + "/h.sqlite"]) == 0)
        let m = try RunManifest.read(path: out + "/manifest.json")
        #expect(m.runID == 1)
        #expect(fm.fileExists(atPath: out + "/summary.json"))
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
        // --tolerance -1 reaches the validation (it used to be read as a missing value).
        do { _ = try FlexDispatch.parseAsRoot(["run", tiny, "--tolerance", "-1"]) } catch {
            #expect(!FlexDispatch.fullMessage(for: error).contains("Missing value"))
        }
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
