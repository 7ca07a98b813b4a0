import Foundation
import RunHistory
import Testing
@testable import FlexDispatch

@Suite("Operation: configuration, plan deviation, cycle times")
struct OperationTests {
    /// A stored plan of three quarter-hours from 10:00 with the battery's end-of-step energy.
    static func plan(ends: [Double], startKWh: Double? = nil, planAt: String = "2025-06-01T10:00:00+08:00") -> RunDetail {
        var d = RunDetail(fields: [("step_seconds", "900")], parts: [:], firms: [:], internalPrice: [nil, nil, nil], importPrice: [1, 1, 1],
                          scheduleValues: ["f01/f01_bat/soc_kWh": ends, "f01/f01_bat/charge_kW": [240, 240, 0]], forecastModels: [:],
                          times: ["2025-06-01T10:00:00+08:00", "2025-06-01T10:15:00+08:00", "2025-06-01T10:30:00+08:00"])
        if let startKWh {
            d.revision = .init(replaces: 1, planAt: planAt, firstStep: 40,
                               startState: #"{"stateOfChargeKWh": {"f01_bat": \#(startKWh)}}"#, notes: [])
        }
        return d
    }

    static func at(_ time: String) -> Date { ISO8601DateFormatter().date(from: time)! }

    @Test func plannedStateOfChargeIsLinearWithinEachStep() {
        let p = Self.plan(ends: [100, 160, 130])
        func planned(_ t: String) -> Double? { PlanDeviation.plannedStateOfCharge(p, asset: "f01_bat", initialKWh: 40, at: Self.at(t)) }
        #expect(planned("2025-06-01T10:00:00+08:00") == 40)
        #expect(planned("2025-06-01T10:07:30+08:00") == 70)
        #expect(planned("2025-06-01T10:15:00+08:00") == 100)
        #expect(planned("2025-06-01T10:22:30+08:00") == 130)
        #expect(planned("2025-06-01T10:40:00+08:00").map { abs($0 - (160 - 30 * 10 / 15)) < 1e-9 } == true)
        #expect(planned("2025-06-01T10:45:00+08:00") == nil, "after the plan's last step")
        #expect(planned("2025-06-01T09:59:59+08:00") == nil, "before its first")
        #expect(PlanDeviation.plannedStateOfCharge(p, asset: "f02_bat", initialKWh: 0, at: Self.at("2025-06-01T10:05:00+08:00")) == nil)
        // A re-plan starts from its revision's state, not the asset's initial one.
        let r = Self.plan(ends: [100, 160, 130], startKWh: 55)
        let v = PlanDeviation.plannedStateOfCharge(r, asset: "f01_bat", initialKWh: 40, at: Self.at("2025-06-01T10:05:00+08:00"))
        #expect(v.map { abs($0 - (55 + 45.0 / 3)) < 1e-9 } == true)
        // Made at 10:06 from 55 kWh: 55 until then, then the step's rate (45 kWh per 15 min).
        let m = Self.plan(ends: [100, 160, 130], startKWh: 55, planAt: "2025-06-01T10:06:00+08:00")
        func mid(_ t: String) -> Double? { PlanDeviation.plannedStateOfCharge(m, asset: "f01_bat", initialKWh: 40, at: Self.at(t)) }
        #expect(mid("2025-06-01T10:03:00+08:00") == 55)
        #expect(mid("2025-06-01T10:11:00+08:00").map { abs($0 - (55 + 45.0 / 3)) < 1e-9 } == true)
        #expect(mid("2025-06-01T10:22:30+08:00") == 130)
        let jump = PlanDeviation.Jump(asset: "f01_bat", measuredKWh: 130, plannedKWh: 100, capacityKWh: 200)
        #expect(jump.percent == 15 && jump.description.contains("15.0 % of its 200 kWh"))
    }

    /// The rolling simulation's peak reserve: the quantile of the realised net import's
    /// excess over the plan in the last eight hours (32 quarter-hours), never below zero.
    @Test func peakReserveIsTheRecentExcessQuantile() {
        let planned = [Double](repeating: 10, count: 10)
        let realised: [Double] = [10, 12, 10, 15, 10, 11, 10, 10, 20, 8]
        // Excess 0, 2, 0, 5, 0, 1, 0, 0, 10, 0 → sorted six zeros, 1, 2, 5, 10.
        #expect(Simulation.peakReserve(planned: planned, realised: realised, quantile: 0.9) == 10)
        #expect(Simulation.peakReserve(planned: planned, realised: realised, quantile: 0.7) == 2)
        #expect(Simulation.peakReserve(planned: planned, realised: realised, quantile: 0.5) == 0)
        #expect(Simulation.peakReserve(planned: [], realised: [], quantile: 0.9) == 0)
        // Forty steps: the first eight (an excess of 100 at the first) are older than eight hours.
        let old = [110.0] + [Double](repeating: 10, count: 36) + [13, 11, 10]
        #expect(Simulation.peakReserve(planned: [Double](repeating: 10, count: 40), realised: old, quantile: 0.99) == 3)
        // Hourly steps: eight of them.
        #expect(Simulation.peakReserve(planned: [Double](repeating: 10, count: 40), realised: old, quantile: 0.99, stepMinutes: 60) == 3)
        #expect(Simulation.peakReserve(planned: [10, 10], realised: [110, 10], quantile: 0.99, stepMinutes: 60) == 100)
    }

    @Test func scheduledCyclesFallOnTheMultiplesOfThePeriod() {
        let t = Self.at("2025-06-01T10:07:00+08:00")
        #expect(ParkOperator.boundary(after: t, minutes: 15) == Self.at("2025-06-01T10:15:00+08:00"))
        #expect(ParkOperator.boundary(after: Self.at("2025-06-01T10:15:00+08:00"), minutes: 15) == Self.at("2025-06-01T10:30:00+08:00"))
        #expect(ParkOperator.boundary(after: t, minutes: 60) == Self.at("2025-06-01T11:00:00+08:00"))
    }

    @Test func configurationIsReadWithItsPathsFromItsFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-opcfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func read(_ text: String) throws -> OperateConfig {
            let path = dir.appendingPathComponent("operate.json").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return try OperateConfig.read(path: path)
        }
        let c = try read(#"{"scenario": "park", "database": "park.sqlite", "feeds": "/etc/feeds.json", "everyMinutes": 5, "pollSeconds": 10, "cycleSeconds": 60, "triggers": {"stateOfChargePercent": null}, "solver": {"timeLimitSeconds": 600}}"#)
        #expect(c.scenario == dir.appendingPathComponent("park").path && c.database == dir.appendingPathComponent("park.sqlite").path)
        #expect(c.feeds == "/etc/feeds.json" && c.out == dir.appendingPathComponent("operate").path)
        #expect(c.everyMinutes == 5 && c.pollSeconds == 10 && c.stateOfChargePercent == nil && c.minGapMinutes == 5)
        #expect(c.cycleSettings.timeLimit == 60, "the cycle's budget bounds the solver's time limit")
        let d = try read(#"{"scenario": "p", "database": "postgres://u:p@h:5432/db"}"#)
        #expect(d.database == "postgres://u:p@h:5432/db" && d.stateOfChargePercent == 10 && d.everyMinutes == 15 && d.cycleSettings.timeLimit == 300)
        let holding = try read(#"{"scenario": "p", "database": "x", "fallback": "hold"}"#)
        #expect(d.fallback == .release && holding.fallback == .hold)
        for (text, says) in [
            (#"{"database": "x"}"#, "field 'scenario' is required"),
            (#"{"scenario": "p", "database": "x", "every": 5}"#, "unknown field 'every'"),
            (#"{"scenario": "p", "database": "x", "everyMinutes": 0}"#, "field 'everyMinutes': a positive number"),
            (#"{"scenario": "p", "database": "x", "everyMinutes": 1, "pollSeconds": 90}"#, "longer than a cycle"),
            (#"{"scenario": "p", "database": "x", "collect": true}"#, "no 'feeds' to collect from"),
            (#"{"scenario": "p", "database": "x", "triggers": {"socPercent": 5}}"#, "unknown field 'triggers.socPercent'"),
            (#"{"scenario": "p", "database": "x", "solver": {"maxIterations": "many"}}"#, "field 'solver.maxIterations': a positive number"),
            (#"{"scenario": "p", "database": "x", "solver": {"maxIterations": 1e300}}"#, "field 'solver.maxIterations': a whole number from 1 to 100000"),
            (#"{"scenario": "p", "database": "x", "solver": {"threads": 2.5}}"#, "field 'solver.threads': a whole number from 1 to 1024"),
            (#"{"scenario": "p", "database": "x", "hard": 1}"#, "field 'hard': true or false"),
            (#"{"scenario": "p", "database": "x", "fallback": "zero"}"#, #"field 'fallback': "release" or "hold""#),
            ("[1]", "not a JSON object"),
        ] {
            #expect(throws: (any Error).self) { try read(text) }
            do { _ = try read(text) } catch { #expect("\(error)".contains(says) && "\(error)".contains("operate.json"), "\(error)") }
        }
    }
}
