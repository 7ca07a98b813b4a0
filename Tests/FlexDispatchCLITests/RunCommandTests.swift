import ArgumentParser
import Foundation
@testable import FlexDispatchCLI
import TestSupport
import Testing

@Suite("flexdispatch run and generate")
struct RunCommandTests {
    func run(_ args: [String]) -> Int32 { runCommandLine(args) }

    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fd-run-\(UUID().uuidString)").path
    }

    let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path

    @Test func runWritesSummaryScheduleAndMPS() throws {
        let out = temporaryDirectory()
        let mps = out + ".mps"
        #expect(run(["run", tiny, "--out", out, "--write-mps", mps, "--quiet"]) == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        #expect(summary["status"] as? String == "optimal")
        #expect(abs((summary["objective"] as! Double) - 65) < 1e-5)
        #expect((summary["internalPrice"] as! [Double]).count == 4)
        let parts = summary["parts"] as! [String: Double]
        for key in ["energy", "peak", "carbon", "degradation", "shedding", "curtailment"] { #expect(parts[key] != nil) }
        let csv = try String(contentsOfFile: out + "/schedule.csv", encoding: .utf8)
        #expect(csv.hasPrefix("time,step,owner,asset,variable,value\n"))
        #expect(csv.contains(",f1,f1_bat,soc_kWh,"))
        #expect(FileManager.default.fileExists(atPath: mps))
        // No staging folder is left behind.
        let parent = (out as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains(".tmp-") && $0.contains((out as NSString).lastPathComponent) }
        #expect(leftovers.isEmpty)
    }

    @Test func inputErrorExitsTwoAndWritesNothing() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try #"{"name":"x"}"#.write(toFile: dir + "/scenario.json", atomically: true, encoding: .utf8)
        let out = temporaryDirectory()
        #expect(run(["run", dir, "--out", out, "--quiet"]) == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(.requires("RunCommandTests/infeasibleIsAVerdictWithConflicts", .shared("park scenarios")))
    func infeasibleIsAVerdictWithConflicts() throws {
        let out = temporaryDirectory()
        let scenario = SharedData.root!.appendingPathComponent("park-scenarios/infeasible-shiftable-window").path
        #expect(run(["run", scenario, "--out", out, "--quiet"]) == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        #expect(summary["status"] as? String == "infeasible")
        #expect((summary["conflicts"] as? [String])?.first?.contains("f02_shift") == true)
    }

    /// The same scenario with `--soft`: a plan comes out, its breach is in summary.json and
    /// the report, and the run replays with soft limits from its manifest.
    @Test(.requires("RunCommandTests/softLimitsGiveAPlanWithItsBreaches", .shared("park scenarios")))
    func softLimitsGiveAPlanWithItsBreaches() throws {
        let out = temporaryDirectory()
        let scenario = SharedData.root!.appendingPathComponent("park-scenarios/infeasible-shiftable-window").path
        #expect(run(["run", scenario, "--out", out, "--soft", "--no-db", "--quiet"]) == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        #expect(summary["status"] as? String == "optimal" && summary["limits"] as? String == "soft")
        let breaches = try #require(summary["breaches"] as? [[String: Any]])
        #expect(breaches.count == 1 && breaches.first?["limit"] as? String == "shiftable_energy" && breaches.first?["asset"] as? String == "f02_shift")
        let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(report.contains("Limits breached") && report.contains("f02_shift"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(manifest["limits"] as? String == "soft")
        #expect(run(["replay", out + "/manifest.json"]) == 0)
        // Without --soft the same scenario stays infeasible, with no trace of soft limits.
        let hard = temporaryDirectory()
        #expect(run(["run", scenario, "--out", hard, "--no-db", "--quiet"]) == 0)
        let hardSummary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: hard + "/summary.json"))) as! [String: Any]
        #expect(hardSummary["status"] as? String == "infeasible" && hardSummary["limits"] == nil && hardSummary["breaches"] == nil)

        // A solve stopped by its iteration limit keeps the point it reached: exit 1, and the outputs say so.
        let stopped = temporaryDirectory()
        #expect(run(["run", tiny, "--out", stopped, "--no-db", "--quiet", "--max-iterations", "2"]) == 1)
        let stoppedSummary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stopped + "/summary.json"))) as! [String: Any]
        #expect(stoppedSummary["status"] as? String == "iteration_limit" && (stoppedSummary["objective"] as? Double)?.isFinite == true)
        #expect(try String(contentsOfFile: stopped + "/report.html", encoding: .utf8).contains("Not proven optimal"))
    }

    @Test func generateIsDeterministicAndValid() throws {
        let a = temporaryDirectory(), b = temporaryDirectory()
        let profiles = SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path
        for d in [a, b] {
            #expect(run(["generate", "--firms", "5", "--days", "2", "--seed", "9", "--out", d, "--profiles", profiles]) == 0)
        }
        #expect(FileManager.default.contents(atPath: a + "/timeseries.csv") == FileManager.default.contents(atPath: b + "/timeseries.csv"))
        #expect(run(["run", a, "--out", a + "/out", "--quiet"]) == 0)
        #expect(run(["generate", "--firms", "0", "--out", a]) != 0)
    }

    /// The MPS written by --write-mps, solved by HiGHS, gives the same optimum
    /// (skipped when Python's highspy is not installed).
    @Test(.requires("RunCommandTests/highsAgreesOnTheWrittenMPS", .shared("tools/lp_peer.py"),
                    Requirement("Python's highspy", hint: "scripts/test.sh installs it") { HiGHS.available }),
          arguments: ["datasets/tiny", "datasets/ordos-park"])
    func highsAgreesOnTheWrittenMPS(dataset: String) throws {
        let out = temporaryDirectory()
        let mps = out + ".mps"
        #expect(run(["run", SharedData.packageRoot.appendingPathComponent(dataset).path, "--out", out, "--write-mps", mps, "--quiet"]) == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let ours = summary["objective"] as! Double
        let theirs = try #require(HiGHS.objective(mps))
        #expect(abs(ours - theirs) / max(1, abs(theirs)) <= 1e-6, "ours \(ours), HiGHS \(theirs)")
    }
}

/// Runs ../shared/tools/lp_peer.py (HiGHS through highspy) on an MPS file.
enum HiGHS {
    static let available: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import highspy"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    /// How HiGHS reads the columns of an MPS file: integrality and bounds.
    static func columns(_ mps: String) -> (integer: [Bool], lower: [Double], upper: [Double])? {
        let script = """
            import highspy, json, sys
            h = highspy.Highs(); h.setOptionValue('output_flag', False); h.readModel(sys.argv[1]); lp = h.getLp()
            big = lambda v: None if abs(v) == float('inf') else v
            print(json.dumps({'integer': [int(t) == 1 for t in lp.integrality_] or [False] * lp.num_col_,
                              'lower': [big(v) for v in lp.col_lower_], 'upper': [big(v) for v in lp.col_upper_]}))
            """
        guard let line = lastLine(["python3", "-c", script, mps]),
              let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let integer = o["integer"] as? [Bool], let lower = o["lower"] as? [Any], let upper = o["upper"] as? [Any] else { return nil }
        func values(_ a: [Any], _ infinite: Double) -> [Double] { a.map { ($0 as? Double) ?? infinite } }
        return (integer, values(lower, -.infinity), values(upper, .infinity))
    }

    static func objective(_ mps: String) -> Double? {
        let last = lastLine(["python3", SharedData.root!.appendingPathComponent("tools/lp_peer.py").path, "--solver", "ipm", mps]) ?? ""
        let fields = last.split(separator: ",")
        return fields.count >= 3 ? Double(fields[2]) : nil
    }

    /// The last line a command prints on standard output (nil when it cannot start).
    static func lastLine(_ arguments: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init)
    }
}
