import Foundation
import LinearProgramming
@testable import ParkModel
import TestSupport
import Testing

/// Properties that must hold on generated parks.
@Suite("Generated parks: determinism and properties")
struct GeneratedParkTests {
    static let library = try? ProfileLibrary.load(
        path: SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path)

    func generate(firms: Int, seed: UInt64) throws -> (dir: String, scenario: Scenario) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-gen-\(UUID().uuidString)").path
        try ScenarioGenerator(library: try #require(Self.library), firms: firms, days: 1, seed: seed, name: "g").write(to: dir)
        return (dir, try ScenarioReader.read(directory: dir))
    }

    @Test func sameSeedSameFiles() throws {
        let a = try generate(firms: 9, seed: 7), b = try generate(firms: 9, seed: 7), c = try generate(firms: 9, seed: 8)
        for f in ["scenario.json", "timeseries.csv"] {
            let da = FileManager.default.contents(atPath: a.dir + "/" + f)
            #expect(da == FileManager.default.contents(atPath: b.dir + "/" + f))
            #expect(da != FileManager.default.contents(atPath: c.dir + "/" + f))
        }
    }

    @Test(arguments: [3, 11] as [UInt64])
    func addingABatteryNeverRaisesTheCost(seed: UInt64) throws {
        let s = try generate(firms: 6, seed: seed).scenario
        let base = try #require(try DispatchRun.solve(s).objective)
        var more = s
        more.firms[0].assets.append(Asset(id: "extra_bat", kind: Battery(
            energyKWh: 2000, chargeKW: 500, dischargeKW: 500, chargeEfficiency: 0.9, dischargeEfficiency: 0.9,
            socInitialKWh: 1000, socMinKWh: 0, socFinalMinKWh: 1000, degradationCostPerKWh: 0.01)))
        let withBattery = try #require(try DispatchRun.solve(more).objective)
        #expect(withBattery <= base + 1e-7 * abs(base))
    }

    @Test func relaxingTheCarbonCapNeverRaisesTheCost() throws {
        var s = try generate(firms: 6, seed: 5).scenario
        let free = try #require(try DispatchRun.solve(s).objective)
        let least = try #require(Diagnosis.leastCarbon(s, settings: SolverSettings()))
        var previous = Double.infinity
        for factor in [1.02, 1.1, 1.5, 3.0] {
            s.park.carbonCapKg = least * factor
            let cost = try #require(try DispatchRun.solve(s).objective)
            #expect(cost <= previous + 1e-7 * abs(cost))
            #expect(cost >= free - 1e-7 * abs(free))
            previous = cost
        }
    }

    /// The written schedule satisfies the spec's balances and bounds to 1e-6 (relative).
    @Test func scheduleSatisfiesTheBalances() throws {
        let s = try generate(firms: 8, seed: 2).scenario
        let run = try DispatchRun.solve(s)
        var value: [String: Double] = [:]
        for e in run.schedule { value["\(e.owner)|\(e.asset)|\(e.variable.rawValue)|\(e.step)"] = e.value }
        let scale = 1e-6 * max(1, s.firms.map { $0.load.max() ?? 0 }.reduce(0, +))
        for t in 0..<s.steps {
            var parkSum = 0.0
            for firm in s.firms {
                let y = try #require(value["\(firm.id)|\(firm.id)|exchange_kW|\(t)"])
                #expect(abs(y) <= firm.connectionKW + scale)
                var net = 0.0
                for a in firm.assets {
                    func v(_ n: String) -> Double { value["\(firm.id)|\(a.id)|\(n)|\(t)"] ?? 0 }
                    net += v("charge_kW") - v("discharge_kW") + v("power_kW") - v("generation_kW") - v("shed_kW")
                }
                #expect(abs(firm.load[t] + net - y) <= scale, "firm \(firm.id) step \(t)")
                parkSum += y
            }
            for a in s.park.assets {
                func v(_ n: String) -> Double { value["park|\(a.id)|\(n)|\(t)"] ?? 0 }
                parkSum += v("charge_kW") - v("discharge_kW") + v("power_kW") - v("generation_kW")
            }
            let imp = try #require(value["park|grid|import_kW|\(t)"]), exp = try #require(value["park|grid|export_kW|\(t)"])
            #expect(abs(parkSum - (imp - exp)) <= scale, "park step \(t)")
            #expect(imp >= -scale && imp <= s.park.importMaxKW + scale)
        }
    }
}
