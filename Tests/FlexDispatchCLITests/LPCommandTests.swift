import ArgumentParser
import Foundation
@testable import FlexDispatchCLI
import LinearProgramming
import TestSupport
import Testing

@Suite("flexdispatch lp commands")
struct LPCommandTests {
    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func run(_ args: [String]) -> Int32 { runCommandLine(args) }

    let tiny = "NAME tiny\nROWS\n N obj\n G demand\nCOLUMNS\n x obj 1 demand 1\n y obj 2 demand 1\nRHS\n RHS demand 2\nBOUNDS\n UP BND x 1.5\nENDATA\n"

    @Test func solveWritesSolutionAndExitsZero() throws {
        let mps = try temporaryFile("tiny.mps", tiny)
        let out = mps + ".csv"
        #expect(run(["lp", "solve", mps, "--json", "--write-solution", out]) == 0)
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "kind,name,value,dual")
        let x = try #require(lines.first { $0.hasPrefix("column,x,") }).split(separator: ",")
        #expect(abs(Double(x[2])! - 1.5) < 1e-6)
        let demand = try #require(lines.first { $0.hasPrefix("row,demand,") }).split(separator: ",")
        #expect(abs(Double(demand[3])! - 2) < 1e-6)
    }

    @Test func inputErrorExitsTwo() throws {
        let bad = try temporaryFile("bad.mps", "NAME t\nROWS\n N o\nCOLUMNS\n x q 1\nENDATA\n")
        #expect(run(["lp", "solve", bad]) == 2)
        #expect(run(["lp", "solve", "/nonexistent/file.mps"]) == 2)
    }

    @Test func infeasibleIsAVerdict() throws {
        let mps = try temporaryFile("inf.mps", "NAME t\nROWS\n N o\n G r\nCOLUMNS\n x o 1 r 1\nRHS\n RHS r 5\nBOUNDS\n UP BND x 1\nENDATA\n")
        #expect(run(["lp", "solve", mps]) == 0)
    }

    @Test func iterationLimitExitsOne() throws {
        let mps = try temporaryFile("tiny.mps", tiny)
        #expect(run(["lp", "solve", mps, "--max-iterations", "1", "--no-presolve"]) == 1)
    }

    @Test func invalidOptionIsRejected() throws {
        let mps = try temporaryFile("tiny.mps", tiny)
        #expect(run(["lp", "solve", mps, "--tolerance", "0"]) != 0)
        #expect(run(["lp", "solve", mps, "--mps-format", "weird"]) != 0)
    }

    @Test func checkCountsPassesAndFailures() throws {
        let mps = try temporaryFile("tiny.mps", tiny)
        let dir = (mps as NSString).deletingLastPathComponent
        try "name,optimal_objective\ntiny,2.5\n".write(toFile: dir + "/optimal.csv", atomically: true, encoding: .utf8)
        #expect(run(["lp", "check", dir]) == 0)
        try "name,optimal_objective\ntiny,2.6\n".write(toFile: dir + "/optimal.csv", atomically: true, encoding: .utf8)
        #expect(run(["lp", "check", dir]) == 1)
        try "name,expected_status\ntiny,optimal\n".write(toFile: dir + "/wanted.csv", atomically: true, encoding: .utf8)
        #expect(run(["lp", "check", dir, "--reference", dir + "/wanted.csv"]) == 0)
    }

    @Test func referenceTableHonoursObjectiveConstantNote() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-ref-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "name,optimal_objective,source\na,1.5,netlib\nb,-2,readme (excludes objective constant)\n"
            .write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        let table = try #require(try ReferenceTable.load(dir + "/r.csv"))
        guard case .objective(let v, let excludes)? = table.entries["b"] else {
            Issue.record("missing entry")
            return
        }
        #expect(v == -2 && excludes)
    }

    /// max 5x + 4y, 6x + 4y ≤ 24, x + 2y ≤ 6, x and y integer: relaxation 21, integer optimum 20.
    let integerModel = "NAME knap\nOBJSENSE\n MAX\nROWS\n N obj\n L wood\n L labour\nCOLUMNS\n M1 'MARKER' 'INTORG'\n"
        + " x obj 5 wood 6\n x labour 1\n y obj 4 wood 4\n y labour 2\n M2 'MARKER' 'INTEND'\n"
        + "RHS\n RHS wood 24 labour 6\nBOUNDS\n PL BND x\n PL BND y\nENDATA\n"

    @Test func integerColumnsAreRefusedWithExitTwo() throws {
        let mps = try temporaryFile("knap.mps", integerModel)
        #expect(run(["lp", "solve", mps]) == 2)
        #expect(run(["lp", "solve", mps, "--json"]) == 2)
        let message = LPSolveCommand.integerRefusal(file: mps, count: 2, first: "x")
        #expect(message.contains(mps) && message.contains("2 integer columns") && message.contains("(first: x)"))
        #expect(message.contains("--relax-integers"))
    }

    @Test func relaxationOnRequestIsFlaggedInTheJSON() throws {
        let mps = try temporaryFile("knap.mps", integerModel)
        #expect(run(["lp", "solve", mps, "--json", "--relax-integers"]) == 0)
        var settings = try SolverOptions.parse(["--relax-integers"]).settings()
        let lp = try MPSReader.read(path: mps)
        let relaxed = try LPSolver.solve(lp, settings: settings)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(ResultJSON.encode(relaxed, name: "knap", file: mps).utf8)) as? [String: Any])
        #expect(o["integralityRelaxed"] as? Bool == true)
        #expect(o["integerColumns"] as? Int == 2)
        #expect(abs((o["objective"] as? Double ?? 0) - 21) < 1e-7)
        settings.relaxIntegers = false
        let plain = try LPSolver.solve(try MPSReader.parse(tiny), settings: settings)
        let p = try #require(try JSONSerialization.jsonObject(with: Data(ResultJSON.encode(plain, name: "tiny", file: "tiny.mps").utf8)) as? [String: Any])
        #expect(p["integralityRelaxed"] as? Bool == false)
        #expect(p["integerColumns"] == nil)
    }

    /// HiGHS reads the markers and bounds our writer puts out as we do (skipped when
    /// Python's highspy is not installed).
    @Test(.requires("LPCommandTests/highsReadsTheWrittenMarkers",
                    Requirement("Python's highspy", hint: "scripts/test.sh installs it") { HiGHS.available }))
    func highsReadsTheWrittenMarkers() throws {
        var lp = try MPSReader.parse(integerModel)
        lp.columnUpper[1] = 3
        lp.integrality = [false, true]
        let path = try temporaryFile("written.mps", MPSWriter.write(lp))
        let seen = try #require(HiGHS.columns(path))
        #expect(seen.integer == [false, true])
        #expect(seen.lower == [0, 0] && seen.upper == [.infinity, 3])
        lp.columnUpper[1] = .infinity
        lp.integrality = [true, true]
        let unbounded = try temporaryFile("written2.mps", MPSWriter.write(lp))
        let again = try #require(HiGHS.columns(unbounded))
        #expect(again.integer == [true, true])
        #expect(again.upper == [.infinity, .infinity])
    }

    /// A chain of 60 rows and one column in every row: the JSON reports the detection, its
    /// settings from the command line, and the column kept out.
    @Test func linkingColumnDetectionIsReported() throws {
        var text = "NAME chain\nROWS\n N obj\n"
        for i in 0..<60 { text += " G r\(i)\n" }
        text += "COLUMNS\n"
        for i in 0..<59 { text += " x\(i) obj \(1 + i % 5) r\(i) 1\n x\(i) r\(i + 1) 0.5\n" }
        for i in 0..<60 { text += " wide r\(i) \(1 + Double(i % 3))\n" }
        text += " wide obj 3\nRHS\n"
        for i in 0..<60 { text += " RHS r\(i) 1\n" }
        text += "ENDATA\n"
        let mps = try temporaryFile("chain.mps", text)
        #expect(run(["lp", "solve", mps, "--json", "--linking-gain", "2"]) == 0)
        #expect(run(["lp", "solve", mps, "--linking-columns", "sideways"]) == 2)
        #expect(run(["lp", "solve", mps, "--linking-gain", "0.5"]) == 2)
        let settings = try SolverOptions.parse(["--linking-gain", "2", "--linking-min-entries", "20"]).settings()
        let r = try LPSolver.solve(try MPSReader.read(path: mps), settings: settings)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ResultJSON.encode(r, name: "chain", file: mps, settings: settings).utf8)) as? [String: Any])
        let linking = try #require(json["linkingColumns"] as? [String: Any])
        #expect(linking["rule"] as? String == "fill")
        #expect(linking["candidates"] as? Int == 1)
        #expect(linking["keptOut"] as? Int == 1)
        #expect(linking["smallestKeptOut"] as? Int == 60)
        let echoed = try #require(linking["settings"] as? [String: Any])
        #expect(echoed["gain"] as? Double == 2 && echoed["minimumEntries"] as? Int == 20)
        let off = try SolverOptions.parse(["--linking-columns", "off"]).settings()
        let kept = try LPSolver.solve(try MPSReader.read(path: mps), settings: off)
        #expect(kept.linkingColumns?.keptOut == 0)
        #expect(abs(kept.objective - r.objective) <= 1e-7 * max(1, abs(r.objective)))
    }

    /// `--detect-blocks` finds four chains tied by two rows in an MPS file, which carries no
    /// labels, and reports them in the JSON; without the flag nothing is reported.
    @Test func blockDetectionIsReported() throws {
        var b = ModelBuilder(name: "chains")
        var heads: [Int] = []
        for k in 0..<4 {
            let x = (0..<10).map { b.addVariable(lower: 0, upper: 5, cost: Double(1 + ($0 + k) % 3), name: "x\(k)_\($0)") }
            for t in 1..<10 { b.addConstraint([(x[t - 1], 1), (x[t], -1)], lower: -1, upper: 1, name: "ramp\(k)_\(t)") }
            heads.append(x[0])
        }
        b.addConstraint(heads.map { ($0, 1.0) }, lower: 2, upper: .infinity, name: "demand")
        b.addConstraint(heads.map { ($0, 1.0) }, lower: -.infinity, upper: 12, name: "limit")
        let mps = try temporaryFile("chains.mps", MPSWriter.write(try b.build()))
        #expect(run(["lp", "solve", mps, "--detect-blocks"]) == 0)
        let settings = try SolverOptions.parse(["--detect-blocks"]).settings()
        let r = try LPSolver.solve(try MPSReader.read(path: mps), settings: settings)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ResultJSON.encode(r, name: "chains", file: mps).utf8)) as? [String: Any])
        let blocks = try #require(json["blockStructure"] as? [String: Any])
        #expect(blocks["source"] as? String == "detected" && blocks["blocks"] as? Int == 4)
        #expect(blocks["linkingRows"] as? Int == 2 && blocks["linkingColumns"] as? Int == 0 && blocks["largestBlockRows"] as? Int == 9)
        let plain = try LPSolver.solve(try MPSReader.read(path: mps))
        let none = try #require(try JSONSerialization.jsonObject(with: Data(ResultJSON.encode(plain, name: "chains", file: mps).utf8)) as? [String: Any])
        #expect(none["blockStructure"] == nil)
    }

    @Test func fileStemDropsSuffixes() {
        #expect(fileStem("/a/b/afiro.mps.gz") == "afiro")
        #expect(fileStem("x.mps") == "x")
    }
}
