import Foundation
import Testing
import TestSupport

/// `simulate` on the command line: the totals and days of `simulation.json` (what `--json` prints), the three files, the
/// report page with its charts, and bad input.
@Suite("Simulate: the command line")
struct SimulateCommandTests {
    @Test func oneDayAheadDayWritesItsOutputsAndPrintsTheTotals() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-simcli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(runCommandLine(["generate", "--firms", "3", "--days", "1", "--seed", "21", "--history-days", "9", "--out", dir + "/park",
                                "--profiles", SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path]) == 0)
        #expect(runCommandLine(["simulate", dir + "/park", "--strategy", "day-ahead", "--days", "2", "--out", dir + "/sim"]) == 0)
        // simulation.json is the object --json prints.
        let o = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/sim/simulation.json"))) as? [String: Any])
        #expect(o["strategy"] as? String == "day-ahead" && o["days"] as? Int == 2 && o["breaches"] is [Any])
        let realised = try #require(o["realisedCost"] as? Double), perfect = try #require(o["perfectCost"] as? Double)
        #expect(abs((o["regret"] as? Double ?? .nan) - (realised - perfect)) <= 1e-6 * abs(perfect) && realised >= perfect - 1e-6 * abs(perfect))
        let days = try #require(o["perDay"] as? [[String: Any]])
        #expect(days.count == 2 && days.allSatisfy { $0["day"] is String && $0["realisedCost"] is Double && $0["perfectCost"] is Double })
        #expect(abs(days.compactMap { $0["realisedCost"] as? Double }.reduce(0, +) - realised) <= 1e-6 * abs(realised))
        for file in ["simulation.json", "simulation.csv", "simulation.html"] { #expect(FileManager.default.fileExists(atPath: dir + "/sim/" + file), "\(file)") }
        let page = try String(contentsOfFile: dir + "/sim/simulation.html", encoding: .utf8)
        #expect(page.contains("Regret per day") && page.contains("Net import: planned against realised")
                && page.contains("Energy in the batteries: planned against realised"))
        #expect(page.components(separatedBy: "<svg").count - 1 == 3 && !page.contains("<script"))
        #expect(runCommandLine(["simulate", dir + "/park", "--days", "0"]) == 2)
        #expect(runCommandLine(["simulate", dir + "/park", "--strategy", "clairvoyant"]) == 2)
    }
}
