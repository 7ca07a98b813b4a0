import Foundation
import ParkModel
import Testing

/// What the report, the re-plan's substituted series and the default breach prices ask of
/// an asset type, and the defaults a type that says nothing gets.
@Suite("Park model: what each asset type tells the report, the re-plan and the breach prices")
struct AssetKindDefaultsTests {
    /// A type that implements only what every type must: it gets every default.
    struct Heater: AssetKind {
        var typeName: String { "heater" }
        func problems(steps: Int, owner: AssetOwner) -> [FieldProblem] { [] }
        func formulate(id: String, in lp: inout AssetFormulation) -> [AssetVariables] { [] }
    }

    @Test func reportGroupsBySourceAndUse() {
        let flat = [Double](repeating: 0.5, count: 4)
        #expect(Generator(.wind, capacityKW: 10, profile: flat).reportGroup == .wind)
        #expect(Generator(.pv, capacityKW: 10, profile: flat).reportGroup == .pv)
        #expect(Electrolyzer(maxKW: 10, kgPerKWh: 0.02, demandKg: 1).reportGroup == .electrolyzer)
        #expect(Shiftable(energyKWh: 10, maxKW: 5, windowStart: 0, windowEnd: 4).reportGroup == .shiftableLoad)
        #expect(Battery(energyKWh: 10, chargeKW: 5, dischargeKW: 5, socInitialKWh: 5).reportGroup == .other)
        let heater: any AssetKind = Heater()
        #expect(heater.reportGroup == .other && heater.ownCostPerKWh == 0)
    }

    /// A generator's profile is the one series a re-plan substitutes; other types keep theirs.
    @Test func seriesSubstitutionReplacesAGeneratorsProfile() throws {
        let pv = Generator(.pv, capacityKW: 10, profile: [0, 0.5, 1, 0.5])
        let replaced = try #require(pv.withSeries { $0 == "profile" ? [1, 1, 0, 0] : nil } as? Generator)
        #expect(replaced.profile == [1, 1, 0, 0] && replaced.capacityKW == 10)
        let kept = try #require(pv.withSeries { _ in nil } as? Generator)
        #expect(kept.profile == pv.profile)
        #expect(Heater().withSeries { _ in [1, 1, 1, 1] } is Heater)
    }

    /// The reference price B: 100 × the largest price (here 1), unless 10 × the dearest own
    /// flexibility is more: a generator curtailed at 30 per kWh makes it 300, shedding at
    /// 12 per kWh alone 120, and both together 300.
    @Test func breachReferenceFollowsTheDearestOwnFlexibility() throws {
        let flat = [Double](repeating: 0.5, count: 4)
        let curtailed = Asset(id: "f1_pv", kind: Generator(.pv, capacityKW: 10, profile: flat, curtailmentCostPerKWh: 30))
        let shed = Asset(id: "f1_shed", kind: Curtailable(maxKW: 5, costPerKWh: 12))
        #expect(BreachPrices.reference(try SoftLimitsTests.scenario()) == 100)
        #expect(BreachPrices.reference(try SoftLimitsTests.scenario(assets: [curtailed])) == 300)
        #expect(BreachPrices.reference(try SoftLimitsTests.scenario(assets: [shed])) == 120)
        #expect(BreachPrices.reference(try SoftLimitsTests.scenario(assets: [curtailed, shed])) == 300)
    }
}
