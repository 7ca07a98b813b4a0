import FlexDispatch
import Foundation
import LinearProgramming
import ParkModel
import TestSupport
import Testing

/// The digital twin: the hindsight optimum is never beaten, the twin carries out the
/// optimum at exactly its cost, and it applies the park's physics to a plan made for
/// another park.
@Suite("Application layer: digital twin and simulation")
struct SimulationTests {
    static let library = try? ProfileLibrary.load(
        path: SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path)

    /// On generated parks (three seeds), over two days of their history: every strategy's
    /// realised cost is at least the hindsight optimum of the same day, and `perfect`
    /// carried out by the twin costs what its plan says.
    @Test(arguments: [UInt64(11), 12, 13])
    func perfectIsNeverWorseThanAnyStrategy(seed: UInt64) throws {
        let library = try #require(Self.library)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-sim-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ScenarioGenerator(library: library, firms: 3, days: 1, seed: seed, name: "sim", historyDays: 9).write(to: dir)
        var perfect: [Double] = []
        for strategy in Simulation.Strategy.allCases {
            var options = Simulation.Options(strategy: strategy)
            options.days = 2
            options.everyMinutes = 120
            let result = try Simulation.run(scenarioDirectory: dir, options: options)
            #expect(result.perDay.count == 2 && result.strategy == strategy)
            if perfect.isEmpty { perfect = result.perDay.map(\.perfectCost) }
            for (day, expected) in zip(result.perDay, perfect) {
                #expect(relativeError(day.perfectCost, expected) <= 1e-9, "the optimum does not depend on the strategy")
                #expect(day.realisedCost >= day.perfectCost - 1e-6 * abs(day.perfectCost), "\(strategy) \(day.day): \(day.realisedCost) < \(day.perfectCost)")
                if strategy == .perfect {
                    #expect(relativeError(day.realisedCost, day.perfectCost) <= 1e-6, "\(day.day)")
                    // The twin carries out the optimum as planned: the same import and stored energy at every step.
                    let series = try #require(day.series)
                    #expect(series.times.count == 96 && series.realisedImportKW.count == 96 && series.realisedStoredKWh.count == 96)
                    let scale = max(1, series.plannedImportKW.map(abs).max() ?? 1), store = max(1, series.plannedStoredKWh.max() ?? 1)
                    #expect(zip(series.plannedImportKW, series.realisedImportKW).allSatisfy { abs($0 - $1) <= 1e-6 * scale })
                    #expect(zip(series.plannedStoredKWh, series.realisedStoredKWh).allSatisfy { abs($0 - $1) <= 1e-6 * store })
                }
            }
            #expect(abs(result.regret - (result.realisedCost - result.perfectCost)) <= 1e-6 * abs(result.perfectCost))
            #expect(result.solves == (strategy == .perfect ? 2 : strategy == .dayAhead ? 4 : 2 * (2 + 11)))
        }
    }

    /// The principle of optimality through the twin: with the measured day as its forecast,
    /// every re-plan continues the hindsight optimum from the state the twin reached, so
    /// rolling (every 2 h, no reserve) and day-ahead realise the optimum to 1e-6 — the
    /// states carried from plan to plan (batteries, processes, electrolyzers, shedding budgets,
    /// the peak) and the twin's physics agree with the model.
    @Test func withExactForecastsEveryStrategyRealisesTheOptimum() throws {
        let library = try #require(Self.library)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-simx-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ScenarioGenerator(library: library, firms: 4, days: 1, seed: 17, name: "exact", historyDays: 9).write(to: dir)
        for strategy in [Simulation.Strategy.dayAhead, .rolling] {
            var options = Simulation.Options(strategy: strategy)
            options.days = 2
            options.everyMinutes = 120
            options.peakReserveQuantile = nil
            options.exactForecasts = true
            let result = try Simulation.run(scenarioDirectory: dir, options: options)
            for day in result.perDay {
                #expect(relativeError(day.realisedCost, day.perfectCost) <= 1e-6, "\(strategy) \(day.day): \(day.realisedCost) against \(day.perfectCost)")
                #expect(day.failedPlans.isEmpty && day.breaches.isEmpty)
            }
        }
    }

    /// A plan made for a 100 kWh battery, carried out by a park whose battery holds 30: it
    /// charges 30 of the planned 50 at price 1 (import 80) and gives back 30 of the planned
    /// 50 at price 5 (import 20): 80 + 100.
    @Test func theTwinAppliesThePhysicsOfTheRealPark() throws {
        func scenario(_ energy: Double) throws -> Scenario {
            let park = Park(importMaxKW: 1_000, exportMaxKW: 0, importPrice: [1, 5], exportPrice: [0, 0])
            let battery = Battery(energyKWh: energy, chargeKW: 100, dischargeKW: 100, socInitialKWh: 0)
            let firm = Firm(id: "f", name: "F", connectionKW: 500, load: [50, 50], assets: [Asset(id: "b", kind: battery)])
            return try Scenario(name: "twin", currency: "EUR", start: Date(timeIntervalSince1970: 0), stepMinutes: 60, steps: 2,
                                park: park, firms: [firm])
        }
        let planned = try scenario(100), real = try scenario(30)
        let plan = try DispatchRun.solve(planned, standalone: false)
        #expect(abs((plan.objective ?? 0) - 100) <= 1e-6)
        var twin = ParkTwin(actual: real)
        twin.apply(plan, of: planned, steps: 2)
        #expect(twin.step == 2 && abs(twin.imports[0] - 80) <= 1e-6 && abs(twin.imports[1] - 20) <= 1e-6)
        #expect(abs((twin.state[.stateOfCharge, "b"] ?? -1)) <= 1e-6)
        let parts = twin.settlement()
        #expect(abs((parts["energy"] ?? 0) - 180) <= 1e-5 && abs(parts["breach"] ?? 1) <= 1e-9)
        // Against the plan's own schedule as the nomination: 20 kWh off in each step.
        let nominated = [100.0, 0]
        #expect(abs((twin.settlement(nominated: nominated, imbalancePrice: 0.5)["imbalance"] ?? 0) - 20) <= 1e-5)
        // The same plan carried out a step at a time (the second from its step 1, as when a
        // re-plan fails and the plan in force keeps running) gives the same day.
        var stepwise = ParkTwin(actual: real)
        stepwise.apply(plan, of: planned, steps: 1)
        stepwise.apply(plan, of: planned, from: 1, steps: 1)
        #expect(stepwise.imports == twin.imports && stepwise.settlement() == parts)
    }
}
