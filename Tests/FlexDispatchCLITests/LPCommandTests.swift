import ArgumentParser
import Foundation
@testable import FlexDispatchCLI
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

    @Test func fileStemDropsSuffixes() {
        #expect(fileStem("/a/b/afiro.mps.gz") == "afiro")
        #expect(fileStem("x.mps") == "x")
    }
}
