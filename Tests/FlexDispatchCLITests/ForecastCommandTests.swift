import Foundation
import TestSupport
import Testing

@Suite("flexdispatch forecast")
struct ForecastCommandTests {
    func history(days: Int) throws -> String {
        var rows = ["time,y"]
        for t in 0..<(days * 24) {
            let d = t / 24
            rows.append(String(format: "2024-%02d-%02dT%02d:00+08:00,%.3f", 1 + d / 28, 1 + d % 28, t % 24,
                               50 + 10 * sin(Double(t % 24) / 3.8) + Double(d % 7)))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-fc-\(UUID().uuidString).csv").path
        try rows.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func backtestAndForecastRun() throws {
        // 28-day months keep the generator simple: the dates are real but skip the 29th–31st,
        // which the reader accepts (gaps stay missing).
        let h = try history(days: 112)
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "y", "--json"]) == 0)
        let out = h + ".forecast.csv"
        #expect(runCommandLine(["forecast", "--history", h, "--series", "y", "--horizon", "30", "--out", out]) == 0)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "time,p10,p50,p90" && lines.count == 31)
    }

    /// Windows, the intraday update and scenarios from the command line; bad option values
    /// are refused before anything runs, a series too short for one window is exit 2.
    @Test func backtestWindowsIntradayAndScenarios() throws {
        let h = try history(days: 200)
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "y", "--model", "snaive_week,holt_winters",
                                "--windows", "2", "--intraday-leads", "3", "--scenarios", "10", "--json"]) == 0)
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "y", "--model", "snaive_day",
                                "--windows", "all", "--intraday-tau", "3"]) == 0)
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "y", "--windows", "0"]) != 0)
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "y", "--windows", "all",
                                "--test-end", "2024-03-01"]) != 0)
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "y", "--intraday-tau", "-1"]) != 0)
        let short = try history(days: 100)
        #expect(runCommandLine(["forecast", "backtest", "--history", short, "--series", "y", "--model", "snaive_day",
                                "--windows", "all", "--min-training-days", "60"]) == 2)
    }

    @Test func badInputExitsTwo() throws {
        #expect(runCommandLine(["forecast", "backtest", "--history", "/nonexistent.csv", "--series", "y"]) == 2)
        let h = try history(days: 10)
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "nope"]) == 2)
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "y"]) == 2)  // too short for 60 days
        #expect(runCommandLine(["forecast", "backtest", "--history", h, "--series", "y", "--model", "magic"]) != 0)
    }
}
