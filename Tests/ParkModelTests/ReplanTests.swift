import Foundation
import LinearProgramming
import ParkModel
import TestSupport
import Testing

/// Re-planning from a step with the park's state: hand-computed plans, state carried from
/// one plan to the next, clamped states named, state files checked.
@Suite("Park model: re-planning from a state")
struct ReplanTests {
    static let start = Date(timeIntervalSince1970: 1_748_736_000)

    /// One firm with a 50 kW load and a 100 kWh battery (50 kW each way, no losses, empty at
    /// the start and allowed to end empty), four hours at import prices 1, 5, 1, 5.
    static func scenario(assets extra: [Asset] = [], cap: Double? = nil) throws -> Scenario {
        let battery = Battery(energyKWh: 100, chargeKW: 50, dischargeKW: 50, socInitialKWh: 0)
        var park = Park(importMaxKW: 1_000, exportMaxKW: 0, importPrice: [1, 5, 1, 5], exportPrice: [0, 0, 0, 0])
        if let cap {
            park.carbonIntensity = [1, 1, 1, 1]
            park.carbonCapKg = cap
        }
        let firm = Firm(id: "f1", name: "Works", connectionKW: 500, load: [50, 50, 50, 50],
                        assets: [Asset(id: "b", kind: battery)] + extra)
        return try Scenario(name: "replan", currency: "EUR", start: start, stepMinutes: 60, steps: 4, park: park, firms: [firm])
    }

    /// From step 2 the battery must hold 50 kWh to cover step 3's load at price 5. With 60
    /// kWh stored it gives the 10 it can spare at step 2 (import 40 at price 1): cost 40.
    /// With 30 stored it takes 20 more at step 2 (import 70): cost 70.
    @Test func aBatteryReplannedFromAGivenStateHasTheHandComputedCost() throws {
        let s = try Self.scenario()
        #expect(s.step(containing: Self.start.addingTimeInterval(2.5 * 3600)) == 2)
        #expect(s.step(containing: Self.start.addingTimeInterval(-1)) == nil && s.step(containing: Self.start.addingTimeInterval(4 * 3600)) == nil)
        for (stored, cost) in [(60.0, 40.0), (30, 70)] {
            var state = ParkState()
            state[.stateOfCharge, "b"] = stored
            let replan = try s.replanned(from: 2, state: state)
            #expect(replan.scenario.steps == 2 && replan.scenario.park.importPrice == [1, 5] && replan.scenario.times == Array(s.times[2...]))
            #expect(replan.scenario.start == Self.start.addingTimeInterval(2 * 3600) && replan.notes.isEmpty)
            let run = try DispatchRun.solve(replan.scenario)
            #expect(abs(try #require(run.objective) - cost) <= 1e-6, "stored \(stored): \(run.objective ?? .nan)")
        }
    }

    /// A state of charge above the battery's energy is clamped, and the note names the asset.
    @Test func aStateOutsideTheLimitsIsClampedAndNamed() throws {
        var state = ParkState()
        state[.stateOfCharge, "b"] = 150
        let replan = try Self.scenario().replanned(from: 2, state: state)
        #expect(replan.notes == ["firm 'f1', asset 'b': state of charge 150 kWh lies outside [socMinKWh 0, energyKWh 100]; clamped to 100 kWh"])
        #expect(replan.state[.stateOfCharge, "b"] == 100)
        let run = try DispatchRun.solve(replan.scenario)
        // Full: 50 kWh cover step 2 and 50 step 3: nothing imported.
        #expect(run.status == .optimal && abs(run.objective ?? 1) <= 1e-6)
    }

    /// The state after two steps of the day-ahead plan, carried into a re-plan from step 2,
    /// gives the rest of the same plan: the re-plan costs what the day-ahead plan spends in
    /// steps 2 and 3 (a shiftable process half delivered, and a carbon budget half used).
    @Test func stateIsCarriedFromOnePlanToTheNext() throws {
        let process = Shiftable(energyKWh: 60, maxKW: 30, windowStart: 0, windowEnd: 4)
        let s = try Self.scenario(assets: [Asset(id: "k", kind: process)], cap: 1_000)
        let dayAhead = try DispatchRun.solve(s)
        let state = ParkState.planned(by: dayAhead, of: s, after: 2)
        let imports = dayAhead.schedule.filter { $0.variable == .gridImport }.sorted { $0.step < $1.step }.map(\.value)
        #expect(abs((state[.stateOfCharge, "b"] ?? -1) - (dayAhead.schedule.first { $0.asset == "b" && $0.variable == .stateOfCharge && $0.step == 1 }?.value ?? -2)) <= 1e-9)
        // The process runs in the cheap hours: 30 kWh at step 0, so 30 delivered before step 2.
        #expect(abs((state[.delivered, "k"] ?? 0) - 30) <= 1e-5)
        #expect(abs((state.carbonKg ?? 0) - (imports[0] + imports[1])) <= 1e-6)
        #expect(abs((state.peakKW ?? 0) - max(imports[0], imports[1])) <= 1e-9)

        let replan = try s.replanned(from: 2, state: state)
        let k = try #require(replan.scenario.firms[0].assets.first { $0.id == "k" }?.kind as? Shiftable)
        #expect(abs(k.energyKWh - 30) <= 1e-5 && k.windowStart == 0 && k.windowEnd == 2)
        #expect(abs((replan.scenario.park.carbonCapKg ?? 0) - (1_000 - imports[0] - imports[1])) <= 1e-6)
        let rest = try DispatchRun.solve(replan.scenario)
        let spentLater = imports[2] * 1 + imports[3] * 5
        #expect(abs(try #require(rest.objective) - spentLater) <= 1e-5, "\(rest.objective ?? .nan) vs \(spentLater)")
    }

    /// A window that has closed with energy left is dropped from the plan with a note; a
    /// carbon budget already used up leaves a cap of zero and says so.
    @Test func closedWindowsAndUsedBudgetsAreNamed() throws {
        let process = Shiftable(energyKWh: 60, maxKW: 30, windowStart: 0, windowEnd: 2)
        let s = try Self.scenario(assets: [Asset(id: "k", kind: process)], cap: 100)
        var state = ParkState(carbonKg: 130)
        state[.stateOfCharge, "b"] = 0
        state[.delivered, "k"] = 45
        let replan = try s.replanned(from: 2, state: state)
        #expect(replan.scenario.firms[0].assets.map(\.id) == ["b"])
        #expect(replan.notes.contains("firm 'f1', asset 'k': its window has closed with 15 kWh of energyKWh 60 not delivered"))
        #expect(replan.notes.contains { $0.hasPrefix("park: 130 kg emitted already exceed carbonCapKg 100") })
        #expect(replan.scenario.park.carbonCapKg == 0)
        #expect(try DispatchRun.solve(replan.scenario).status == .infeasible)
        #expect(try DispatchRun.solve(replan.scenario, limits: .soft).breaches.map(\.limit) == [.carbonCap])
    }

    /// A horizon that ends before the scenario: a process whose window runs past it owes
    /// only what cannot be placed after (60 kWh, 30 kW, one hour after the horizon: 30); an
    /// electrolyzer only what it cannot make after (3 kg − 1 kg); a window that opens after
    /// the horizon is left to a later plan, without a note.
    @Test func aShortHorizonAsksOnlyWhatCannotBeDoneAfterIt() throws {
        let s = try Self.scenario(assets: [Asset(id: "k", kind: Shiftable(energyKWh: 60, maxKW: 30, windowStart: 0, windowEnd: 4)),
                                           Asset(id: "h2", kind: Electrolyzer(maxKW: 50, kgPerKWh: 0.02, demandKg: 3)),
                                           Asset(id: "late", kind: Shiftable(energyKWh: 10, maxKW: 10, windowStart: 3, windowEnd: 4))])
        var state = ParkState.initial(s)
        state[.stateOfCharge, "b"] = 0
        let replan = try s.replanned(from: 1, horizonSteps: 2, state: state)
        let kinds = Dictionary(uniqueKeysWithValues: replan.scenario.firms[0].assets.map { ($0.id, $0.kind) })
        #expect(replan.scenario.steps == 2 && kinds["late"] == nil && replan.notes.isEmpty)
        #expect((kinds["k"] as? Shiftable)?.energyKWh == 30 && (kinds["k"] as? Shiftable)?.windowEnd == 2)
        #expect(abs(((kinds["h2"] as? Electrolyzer)?.demandKg ?? 0) - 2) <= 1e-12)
        #expect(try DispatchRun.solve(replan.scenario).status == .optimal)
    }

    @Test func missingAndWrongStateIsRefusedNamingEachValue() throws {
        let s = try Self.scenario(assets: [Asset(id: "k", kind: Shiftable(energyKWh: 10, maxKW: 10, windowStart: 0, windowEnd: 4))])
        var state = ParkState()
        state[.stateOfCharge, "k"] = 5
        state[.delivered, "nope"] = 1
        state.peakKW = -3
        #expect { try s.replanned(from: 1, state: state) } throws: { error in
            let m = (error as? ScenarioError)?.messages ?? []
            return m.contains("state: stateOfChargeKWh: asset 'k' has deliveredKWh, not stateOfChargeKWh")
                && m.contains("state: deliveredKWh: no asset 'nope' in the scenario") && m.contains("state: peakKW: must be a finite number ≥ 0, got -3.0")
                && m.contains("state: asset 'b' (battery): no stateOfChargeKWh") && m.contains("state: asset 'k' (shiftable): no deliveredKWh")
        }
        #expect(throws: ScenarioError.self) { try s.replanned(from: 4, state: .initial(s)) }
        // The scenario's own initial state is complete, and re-planning from step 0 with it is the day-ahead plan.
        let again = try s.replanned(from: 0, state: .initial(s))
        #expect(abs((try DispatchRun.solve(again.scenario).objective ?? 0) - (try DispatchRun.solve(s).objective ?? 1)) <= 1e-6)
    }

    @Test func stateFilesAreReadAndTheirErrorsNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("state.json").path
        try #"{"stateOfChargeKWh": {"b": 42.5}, "deliveredKWh": {"k": 3}, "peakKW": 80}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let state = try ParkState.read(path: path)
        #expect(state[.stateOfCharge, "b"] == 42.5 && state[.delivered, "k"] == 3 && state.peakKW == 80 && state.carbonKg == nil)
        #expect(try JSONDecoder().decode(ParkState.self, from: state.json()) == state)
        for (text, message) in [(#"{"soc": {}}"#, "'soc' is not a known field"),
                                (#"{"stateOfChargeKWh": {"b": "full"}}"#, "field 'stateOfChargeKWh.b': must be"),
                                (#"{"peakKW": [1]}"#, "field 'peakKW': must be a number"),
                                ("{", "not valid JSON")] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect { try ParkState.read(path: path) } throws: { error in
                let m = (error as? ScenarioError)?.messages.first ?? ""
                return m.hasPrefix(path + ": ") && m.contains(message)
            }
        }
    }
}
