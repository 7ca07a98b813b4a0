import Foundation
import ParkModel
import TestSupport
import Testing

/// A scenario built in Swift with the public initialisers: the same park as a scenario
/// folder gives the same answers, and the file reader's rules apply to it.
@Suite("Scenarios built in code")
struct ScenarioInCodeTests {
    /// datasets/tiny, written out in code (its README computes the answers by hand).
    static func tiny(battery: Battery = Battery(energyKWh: 100, chargeKW: 100, dischargeKW: 100, socInitialKWh: 0),
                     pvProfile: [Double] = [0, 0.5, 1, 0], f1Load: [Double] = [100, 100, 100, 100]) throws(ScenarioError) -> Scenario {
        let park = Park(importMaxKW: 1000, exportMaxKW: 1000, importPrice: [0.2, 0.5, 1.0, 0.3], exportPrice: [0.1, 0.1, 0.1, 0.1])
        let f1 = Firm(id: "f1", name: "Workshop with a battery", connectionKW: 500, load: f1Load,
                      assets: [Asset(id: "f1_bat", kind: battery)])
        let f2 = Firm(id: "f2", name: "Warehouse with rooftop PV", connectionKW: 300, load: [50, 50, 50, 50],
                      assets: [Asset(id: "f2_pv", kind: Generator(.pv, capacityKW: 200, profile: pvProfile))])
        return try Scenario(name: "tiny", currency: "CNY", start: Date(timeIntervalSince1970: 1_748_743_200), stepMinutes: 60,
                            steps: 4, utcOffsetSeconds: 8 * 3600, park: park, firms: [f1, f2])
    }

    @Test func theTinyParkInCodeSolvesAsItsFolderDoes() throws {
        let inCode = try Self.tiny()
        let folder = try ScenarioReader.read(directory: SharedData.packageRoot.appendingPathComponent("datasets/tiny").path)
        #expect(inCode.times == folder.times)
        #expect(inCode.inputContents.isEmpty)
        let a = try DispatchRun.solve(inCode), b = try DispatchRun.solve(folder)
        // The hand-computed optimum (datasets/tiny/README.md) and settlements.
        #expect(abs(try #require(a.objective) - 65) < 1e-5)
        #expect(abs(try #require(a.valueOfCluster) - 60) < 1e-5)
        for firm in ["f1", "f2"] {
            #expect(abs(try #require(a.settlement[firm]) - (try #require(b.settlement[firm]))) < 1e-9)
        }
        #expect(a.schedule.count == b.schedule.count)
        for (x, y) in zip(a.schedule, b.schedule) {
            #expect(x.asset == y.asset && x.variable == y.variable && abs(x.value - y.value) < 1e-9)
        }
    }

    @Test func everyRuleBrokenIsReportedWithItsFirmAssetAndField() throws {
        let bad = Battery(energyKWh: 100, chargeKW: -1, dischargeKW: 100, chargeEfficiency: 1.5, socInitialKWh: 150)
        do {
            _ = try Self.tiny(battery: bad, pvProfile: [0, 0.5, 1.2, 0], f1Load: [100, 100, 100])
            Issue.record("expected a ScenarioError")
        } catch {
            let m = error.messages
            #expect(m.contains("firm 'f1', asset 'f1_bat': field 'chargeKW' must be ≥ 0, got -1"), "\(m)")
            #expect(m.contains("firm 'f1', asset 'f1_bat': field 'chargeEfficiency' must be in [0.01, 1], got 1.5"))
            #expect(m.contains("firm 'f1', asset 'f1_bat': field 'socInitialKWh' (150) must not exceed 'energyKWh' (100)"))
            #expect(m.contains("firm 'f2', asset 'f2_pv': field 'profile' must be in [0, 1], got 1.2 at step 2"))
            #expect(m.contains("firm 'f1': field 'load' has 3 values, the horizon has 4 steps"))
            #expect(m.count == 6, "\(m)")  // socFinalMinKWh defaults to the initial 150 > 100 as well
        }
    }

    @Test func idsAreUniqueAcrossFirmsAndAssetsAndCurtailmentIsAFirmsOwn() throws {
        var s = try Self.tiny()
        s.firms[1].assets.append(Asset(id: "f1", kind: Curtailable(maxKW: 10, costPerKWh: 1)))
        s.park.assets.append(Asset(id: "park_shed", kind: Curtailable(maxKW: 10, costPerKWh: 1)))
        s.park.assets.append(Asset(id: "bad id", kind: Electrolyzer(maxKW: 10, kgPerKWh: 0.02, demandKg: -1)))
        let m = s.problems()
        #expect(m.contains("firm 'f2', asset 'f1': field 'id' 'f1' is already the id of another firm or asset"), "\(m)")
        #expect(m.contains { $0.hasPrefix("park, asset 'park_shed': field 'type' 'curtailable' is not allowed among park assets") })
        #expect(m.contains { $0.hasPrefix("park, asset 'bad id': field 'id' is not a valid id") })
        #expect(m.contains("park, asset 'bad id': field 'demandKg' must be ≥ 0, got -1"))
        #expect(m.count == 4, "\(m)")
    }

    /// The file reader and the initialisers apply one set of rules: a battery whose
    /// minimum state of charge exceeds its initial one is refused by both, for the same field.
    @Test func theReaderAndTheInitialisersShareTheirRules() throws {
        let battery = Battery(energyKWh: 100, chargeKW: 10, dischargeKW: 10, socInitialKWh: 20, socMinKWh: 30)
        #expect(battery.problems(steps: 4, owner: .park) == [
            FieldProblem("socMinKWh", "(30) must not exceed 'socInitialKWh' (20)", comparedWith: ["socInitialKWh"]),
        ])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flexdispatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("datasets/tiny/scenario.json").path, encoding: .utf8)
            .replacingOccurrences(of: #""socInitialKWh": 0}"#, with: #""socInitialKWh": 20, "socMinKWh": 30}"#)
        try json.write(toFile: dir.path + "/scenario.json", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: SharedData.packageRoot.appendingPathComponent("datasets/tiny/timeseries.csv").path,
                                         toPath: dir.path + "/timeseries.csv")
        #expect(throws: ScenarioError.self) { try ScenarioReader.read(directory: dir.path) }
        do { _ = try ScenarioReader.read(directory: dir.path) } catch let e as ScenarioError {
            #expect(e.messages == ["scenario.json firms[0].assets[0].socMinKWh (firm 'f1', asset 'f1_bat'): field 'socMinKWh' "
                                   + "(30) must not exceed 'socInitialKWh' (20)"])
        }
    }
}
