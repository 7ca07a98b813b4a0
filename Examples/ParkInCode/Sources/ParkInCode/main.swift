// A park built in Swift, solved, and its internal prices and settlements printed: no files.
import Foundation
import ParkModel

let steps = 24
let hours = (0..<steps).map(Double.init)
// Time-of-use import price (money/kWh), a lower export price, and PV from 06:00 to 18:00.
let importPrice = hours.map { (8..<22).contains($0) ? 0.62 : 0.31 }
let exportPrice = importPrice.map { $0 * 0.4 }
let pv = hours.map { h in max(0, sin(Double.pi * (h - 6) / 12)) }

let park = Park(importMaxKW: 4_000, exportMaxKW: 2_000, importPrice: importPrice, exportPrice: exportPrice,
                peakChargePerKW: 2.5,
                assets: [Asset(id: "park_bess", kind: Battery(energyKWh: 2_000, chargeKW: 500, dischargeKW: 500,
                                                             chargeEfficiency: 0.95, dischargeEfficiency: 0.95,
                                                             socInitialKWh: 1_000))])
let firms = [
    Firm(id: "foundry", name: "Foundry", connectionKW: 2_500, load: hours.map { 1_400 + 300 * sin($0 / 3) },
         assets: [Asset(id: "foundry_shed", kind: Curtailable(maxKW: 200, costPerKWh: 1.5, maxEnergyKWh: 400))]),
    Firm(id: "solar_farm", name: "Solar farm", connectionKW: 3_000, load: [Double](repeating: 20, count: steps),
         assets: [Asset(id: "solar_farm_pv", kind: Generator(.pv, capacityKW: 2_800, profile: pv))]),
    Firm(id: "h2", name: "Hydrogen plant", connectionKW: 1_500, load: [Double](repeating: 100, count: steps),
         assets: [Asset(id: "h2_stack", kind: Electrolyzer(maxKW: 1_200, kgPerKWh: 0.02, demandKg: 240)),
                  Asset(id: "h2_wash", kind: Shiftable(energyKWh: 600, maxKW: 300, windowStart: 10, windowEnd: 16))]),
]

do {
    let scenario = try Scenario(name: "park-in-code", currency: "EUR", start: Date(timeIntervalSince1970: 1_748_736_000),
                                stepMinutes: 60, steps: steps, park: park, firms: firms)
    let run = try DispatchRun.solve(scenario)
    guard run.status == .optimal, let objective = run.objective else {
        print("the dispatch is \(run.status.rawValue): \(run.conflicts.joined(separator: "; "))")
        exit(1)
    }
    print("optimal cost \(String(format: "%.2f", objective)) EUR in \(run.iterations) iterations")
    print("internal price λ (EUR/kWh) by hour:")
    for (t, lambda) in run.internalPrice.enumerated() {
        print("  \(scenario.times[t])  \(String(format: "%.4f", lambda))")
    }
    print("settlements (EUR; standalone cost; gain from the park):")
    for firm in scenario.firms {
        let settlement = run.settlement[firm.id] ?? .nan
        let alone = (run.standaloneCost[firm.id] ?? nil) ?? .nan
        print("  \(firm.id.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%10.2f", settlement))"
              + "  \(String(format: "%10.2f", alone))  \(String(format: "%8.2f", alone - settlement))")
    }
    // Each settlement is the firm's exchange priced at λ plus its own assets' costs,
    // recomputed here from the schedule.
    for firm in scenario.firms {
        let rows = run.schedule.filter { $0.owner == firm.id }
        var paid = rows.filter { $0.variable == .exchange }.reduce(0) { $0 + run.internalPrice[$1.step] * $1.value * scenario.stepHours }
        for asset in firm.assets {
            let mine = rows.filter { $0.asset == asset.id }
            let values = Dictionary(grouping: mine, by: \.variable).mapValues { $0.sorted { $0.step < $1.step }.map(\.value) }
            paid += asset.kind.cost(AssetValues(values), stepHours: scenario.stepHours)
        }
        guard let settlement = run.settlement[firm.id], abs(paid - settlement) <= 1e-6 * max(1, abs(settlement)) else {
            print("\(firm.id): the settlement \(run.settlement[firm.id] ?? .nan) is not its exchange at λ plus its costs (\(paid))")
            exit(1)
        }
    }
} catch let error as ScenarioError {
    print(error.description)
    exit(2)
} catch {
    print("\(error)")
    exit(1)
}
