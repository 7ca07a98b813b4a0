import Foundation
import LinearProgramming
import ParkModel
import TestSupport
import Testing

/// Soft limits: with `LimitMode.soft` every scenario yields a plan; each breach is measured
/// and priced as docs/park-model.md says, and a scenario that meets its limits keeps its
/// v1 optimum.
@Suite("Park model: soft limits")
struct SoftLimitsTests {
    static let start = Date(timeIntervalSince1970: 1_748_736_000)

    /// One firm over four hourly steps at a flat price of 1.
    static func scenario(load: Double = 100, connectionKW: Double = 60, importMaxKW: Double = 1_000, assets: [Asset] = [],
                         prices: BreachPrices = BreachPrices()) throws -> Scenario {
        let flat = [Double](repeating: 1, count: 4)
        let park = Park(importMaxKW: importMaxKW, exportMaxKW: 0, importPrice: flat, exportPrice: flat.map { _ in 0 },
                        breachPrices: prices)
        let firm = Firm(id: "f1", name: "Works", connectionKW: connectionKW, load: [Double](repeating: load, count: 4), assets: assets)
        return try Scenario(name: "soft", currency: "EUR", start: start, stepMinutes: 60, steps: 4, park: park, firms: [firm])
    }

    /// Load 100 kW behind a 60 kW connection: 40 kW too much in each of 4 hours, 160 kWh at
    /// the default B = 100 × the largest price (1) = 100 per kWh; the 400 kWh imported cost 400.
    @Test func aConnectionBreachIsMeasuredAtTheDefaultPrice() throws {
        let s = try Self.scenario()
        #expect(try DispatchRun.solve(s).status == .infeasible)
        let run = try DispatchRun.solve(s, limits: .soft)
        #expect(run.status == .optimal)
        let objective = try #require(run.objective)
        #expect(relativeError(objective, 400 + 160 * 100) <= 1e-7, "\(objective)")
        #expect(run.breaches.count == 1)
        let b = try #require(run.breaches.first)
        #expect(b.limit == .firmConnection && b.owner == "f1" && b.asset == nil && b.value == 60)
        #expect(abs(b.amount - 160) <= 1e-5 && abs((b.peakKW ?? 0) - 40) <= 1e-6 && b.steps == 4 && b.firstStep == 0)
        #expect(abs(b.cost - 16_000) <= 1e-3 && abs((run.parts[DispatchRun.breachPart] ?? 0) - 16_000) <= 1e-3)
        // The firm's breach is its own cost: the park keeps nothing of it.
        #expect(abs((run.settlement["f1"] ?? 0) - objective) <= 1e-4)
        #expect(b.description == "f1: connection limit exceeded in 4 step(s) from step 0, by up to 40 kW over 60 kW (160 kWh)", "\(b.description)")
    }

    /// The park's import limit of 70 kW under a 100 kW load behind a wide connection: 30 kW
    /// over in each hour, priced at the scenario's own 3 per kWh: 400 + 120 × 3.
    @Test func theScenariosPriceReplacesTheDefault() throws {
        let s = try Self.scenario(connectionKW: 500, importMaxKW: 70, prices: BreachPrices(connectionPerKWh: 3))
        let run = try DispatchRun.solve(s, limits: .soft)
        #expect(relativeError(try #require(run.objective), 400 + 120 * 3) <= 1e-7)
        #expect(run.breaches.map(\.limit) == [.parkImport] && run.breaches.first?.owner == "park")
        #expect(abs((run.breaches.first?.amount ?? 0) - 120) <= 1e-5)
    }

    /// A per-step import limit below the scalar: the breach is measured and named against
    /// the step's own limit (50 kW at step 1), not importMaxKW.
    @Test func aPerStepLimitIsTheOneReported() throws {
        var s = try Self.scenario(connectionKW: 500)
        s.park.importLimit = [1_000, 50, 1_000, 1_000]
        let run = try DispatchRun.solve(s, limits: .soft)
        let b = try #require(run.breaches.first)
        #expect(run.breaches.count == 1 && b.limit == .parkImport && b.value == 50 && b.steps == 1 && b.firstStep == 1)
        #expect(abs((b.peakKW ?? 0) - 50) <= 1e-6 && abs(b.amount - 50) <= 1e-5)
    }

    /// Shedding at 300 per kWh beside prices of 1: the default B rises to 10 × 300, so the
    /// plan sheds rather than breach the connection (40 kW × 4 h at 300, plus 240 kWh at 1).
    @Test func sheddingComesBeforeABreachWhateverItsCost() throws {
        let shed = Curtailable(maxKW: 100, costPerKWh: 300)
        let s = try Self.scenario(assets: [Asset(id: "shed", kind: shed)])
        let run = try DispatchRun.solve(s, limits: .soft)
        #expect(run.breaches.isEmpty, "\(run.breaches.map(\.description))")
        #expect(relativeError(try #require(run.objective), 160 * 300 + 240) <= 1e-7)
    }

    /// A battery that can charge 10 kW for 4 hours from empty holds at most 40 kWh: a final
    /// minimum of 60 kWh is 20 kWh short, at 10 B = 1000 per kWh. The charging is worth it:
    /// 40 kWh bought at 1 to save 40 × 1000.
    @Test func aFinalStateOfChargeShortfallIsTheGapToWhatCanBeStored() throws {
        let battery = Battery(energyKWh: 100, chargeKW: 10, dischargeKW: 10, socInitialKWh: 0, socFinalMinKWh: 60)
        let s = try Self.scenario(load: 10, connectionKW: 500, assets: [Asset(id: "f1_bat", kind: battery)])
        #expect(try DispatchRun.solve(s).status == .infeasible)
        let run = try DispatchRun.solve(s, limits: .soft)
        #expect(run.breaches.count == 1)
        let b = try #require(run.breaches.first)
        #expect(b.limit == .finalStateOfCharge && b.asset == "f1_bat" && abs(b.amount - 20) <= 1e-5 && b.unit == "kWh")
        #expect(relativeError(try #require(run.objective), 40 + 40 + 20 * 1_000) <= 1e-7)
    }

    /// A shiftable process of 50 kWh in a window of two hours at 20 kW: 10 kWh cannot be
    /// placed; an electrolyzer that must make 5 kg at 0.02 kg/kWh with 50 kW makes at most 4 kg.
    @Test func commitmentsAreShortByWhatCannotFit() throws {
        let process = Shiftable(energyKWh: 50, maxKW: 20, windowStart: 1, windowEnd: 3)
        let h2 = Electrolyzer(maxKW: 50, kgPerKWh: 0.02, demandKg: 5)
        let s = try Self.scenario(load: 0, connectionKW: 500,
                                  assets: [Asset(id: "kiln", kind: process), Asset(id: "h2", kind: h2)])
        let run = try DispatchRun.solve(s, limits: .soft)
        let byAsset = Dictionary(uniqueKeysWithValues: run.breaches.map { ($0.asset ?? "", $0) })
        #expect(run.breaches.count == 2)
        #expect(byAsset["kiln"]?.limit == .shiftableEnergy && abs((byAsset["kiln"]?.amount ?? 0) - 10) <= 1e-5)
        #expect(byAsset["h2"]?.limit == .hydrogenDemand && abs((byAsset["h2"]?.amount ?? 0) - 1) <= 1e-6 && byAsset["h2"]?.unit == "kg")
        // 10 kWh at 1000, 1 kg at 1000 / 0.02, and the 40 + 200 kWh that can run, at 1.
        #expect(relativeError(try #require(run.objective), 10 * 1_000 + 50_000 + 240) <= 1e-7)
    }

    /// A carbon cap of 10 kg with 0.5 kg/kWh on 400 kWh of load: 190 kg over; the default
    /// price is B / the mean intensity = 100 / 0.5 per kg.
    @Test func aCarbonCapBreachIsPricedPerKg() throws {
        var s = try Self.scenario(connectionKW: 500)
        s.park.carbonIntensity = [Double](repeating: 0.5, count: 4)
        s.park.carbonCapKg = 10
        let run = try DispatchRun.solve(s, limits: .soft)
        #expect(run.breaches.map(\.limit) == [.carbonCap])
        #expect(abs((run.breaches.first?.amount ?? 0) - 190) <= 1e-5)
        #expect(relativeError(try #require(run.objective), 400 + 190 * 200) <= 1e-7)
    }

    /// A scenario that meets its limits has the same optimum either way and no breach.
    @Test func aFeasibleScenarioKeepsItsOptimum() throws {
        let battery = Battery(energyKWh: 100, chargeKW: 50, dischargeKW: 50, socInitialKWh: 20, socFinalMinKWh: 30)
        var s = try Self.scenario(load: 40, connectionKW: 200, importMaxKW: 150,
                                  assets: [Asset(id: "b", kind: battery), Asset(id: "k", kind: Shiftable(energyKWh: 60, maxKW: 30, windowStart: 0, windowEnd: 4))])
        s.park.importPrice = [1, 3, 2, 5]
        let hard = try DispatchRun.solve(s), soft = try DispatchRun.solve(s, limits: .soft)
        #expect(hard.status == .optimal && soft.status == .optimal)
        #expect(relativeError(try #require(soft.objective), try #require(hard.objective)) <= 1e-8)
        #expect(soft.breaches.isEmpty && abs(soft.parts[DispatchRun.breachPart] ?? 1) <= 1e-6)
        #expect(hard.parts[DispatchRun.breachPart] == nil)
        for (firm, cost) in hard.standaloneCost {
            #expect(relativeError(try #require(soft.standaloneCost[firm] ?? nil), try #require(cost)) <= 1e-8)
        }
    }

    /// Exports beyond the connection: load 10 kW, PV 100 kW, connection 60 kW, so 30 kW too
    /// much in each of 4 hours. At 2 per kWh a breach (less the export price 0.5) costs less
    /// than curtailing at 5: 120 kWh breached at 2 = 240, 360 kWh exported at 0.5 = −180, so
    /// 60; the hard plan curtails instead, −0.5 · 240 + 5 · 120 = 480. The firm's exchange
    /// reads −90 kW: the limit's −60 and the 30 beyond it, folded back.
    @Test func anExportBeyondTheConnectionIsTheOtherSide() throws {
        let flat = [Double](repeating: 1, count: 4)
        let park = Park(importMaxKW: 1_000, exportMaxKW: 1_000, importPrice: flat, exportPrice: flat.map { _ in 0.5 },
                        breachPrices: BreachPrices(connectionPerKWh: 2))
        let pv = Generator(.pv, capacityKW: 100, profile: flat, curtailmentCostPerKWh: 5)
        let firm = Firm(id: "f1", name: "Works", connectionKW: 60, load: [Double](repeating: 10, count: 4),
                        assets: [Asset(id: "pv", kind: pv)])
        let s = try Scenario(name: "soft", currency: "EUR", start: Self.start, stepMinutes: 60, steps: 4, park: park, firms: [firm])
        let hard = try DispatchRun.solve(s, standalone: false)
        #expect(relativeError(try #require(hard.objective), 480) <= 1e-7)
        let run = try DispatchRun.solve(s, limits: .soft, standalone: false)
        #expect(relativeError(try #require(run.objective), 60) <= 1e-7, "\(run.objective ?? .nan)")
        let b = try #require(run.breaches.first)
        #expect(run.breaches.count == 1 && b.limit == .firmConnection && b.owner == "f1")
        #expect(abs(b.amount - 120) <= 1e-5 && abs((b.peakKW ?? 0) - 30) <= 1e-6 && b.steps == 4 && abs(b.cost - 240) <= 1e-4)
        let exchange = run.schedule.filter { $0.owner == "f1" && $0.variable == .exchange }.map(\.value)
        #expect(exchange.count == 4 && exchange.allSatisfy { abs($0 + 90) <= 1e-5 }, "\(exchange)")
        let exports = run.series(steps: 4).exports
        #expect(exports.allSatisfy { abs($0 - 90) <= 1e-5 }, "\(exports)")
    }

    /// At a breach price of 0 the overflow column and its variable cost the same, so the
    /// solver may split a flow between them anywhere: the breach is measured on the flow.
    /// Within the limits nothing is reported; 100 kW behind a 60 kW connection is 160 kWh.
    @Test func aFreeBreachIsMeasuredOnTheFlow() throws {
        let free = BreachPrices(connectionPerKWh: 0)
        let within = try DispatchRun.solve(try Self.scenario(load: 40, connectionKW: 200, importMaxKW: 150, prices: free),
                                           limits: .soft, standalone: false)
        #expect(within.status == .optimal && within.breaches.isEmpty, "\(within.breaches)")
        let beyond = try DispatchRun.solve(try Self.scenario(prices: free), limits: .soft, standalone: false)
        #expect(relativeError(try #require(beyond.objective), 400) <= 1e-7)
        let b = try #require(beyond.breaches.first)
        #expect(beyond.breaches.count == 1 && b.limit == .firmConnection && abs(b.amount - 160) <= 1e-5 && b.cost == 0)
    }

    /// The power limits' breaches are overflow columns, not rows: the soft LP has the hard
    /// LP's rows (here no battery with a final state of charge, no shiftable energy), and
    /// each overflow has its column's entries.
    @Test func softPowerLimitsAddNoRows() throws {
        var s = try Self.scenario(load: 40, connectionKW: 200, importMaxKW: 150)
        s.park.exportMaxKW = 20
        let hard = try DispatchFormulation(s, scope: .park).model.build()
        let f = try DispatchFormulation(s, scope: .park, limits: .soft)
        let soft = try f.model.build()
        #expect(soft.rowCount == hard.rowCount)
        // 4 steps: import and export above, the firm's exchange above and below.
        #expect(soft.columnCount == hard.columnCount + 4 * 4)
        for o in f.model.overflows {
            let a = soft.matrix
            let rows = Array(a.rowIndices[a.columnStarts[o.column]..<a.columnStarts[o.column + 1]])
            let copy = Array(a.rowIndices[a.columnStarts[o.overflow]..<a.columnStarts[o.overflow + 1]])
            #expect(rows == copy && !rows.isEmpty)
            let values = Array(a.values[a.columnStarts[o.column]..<a.columnStarts[o.column + 1]])
            let copied = Array(a.values[a.columnStarts[o.overflow]..<a.columnStarts[o.overflow + 1]])
            #expect(copied == values.map { o.side.sign * $0 })
        }
    }

    @Test func breachPricesAreReadAndChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-soft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ prices: String) throws {
            try """
            {"name": "p", "currency": "EUR", "start": "2025-06-01T00:00:00+00:00", "stepMinutes": 60, "steps": 2,
             "timeseries": "ts.csv",
             "park": {"importMaxKW": 10, "exportMaxKW": 0, "importPrice": "price", "exportPrice": "price", "assets": [],
                      "breachPrices": \(prices)},
             "firms": [{"id": "f1", "name": "F", "connectionKW": 100, "load": "load", "assets": []}]}
            """.write(to: dir.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
            try "time,price,load\n2025-06-01T00:00:00+00:00,1,20\n2025-06-01T01:00:00+00:00,1,20\n"
                .write(to: dir.appendingPathComponent("ts.csv"), atomically: true, encoding: .utf8)
        }
        try write(#"{"connectionPerKWh": 7, "hydrogenPerKg": 2}"#)
        let s = try ScenarioReader.read(directory: dir.path)
        #expect(s.park.breachPrices == BreachPrices(connectionPerKWh: 7, hydrogenPerKg: 2))
        let run = try DispatchRun.solve(s, limits: .soft)
        #expect(relativeError(try #require(run.objective), 40 + 20 * 7) <= 1e-7)

        for (prices, message) in [(#"{"connectionPerKWh": -1}"#, "field 'breachPrices.connectionPerKWh' must be ≥ 0, got -1"),
                                  (#"{"connectionPerKwh": 1}"#, "field 'connectionPerKwh' is not a known field"),
                                  (#"{"carbonPerKg": "high"}"#, "field 'carbonPerKg' must be a number"),
                                  ("5", "'breachPrices' must be a JSON object")] {
            try write(prices)
            do {
                _ = try ScenarioReader.read(directory: dir.path)
                Issue.record("\(prices) was accepted")
            } catch let e as ScenarioError {
                #expect(e.messages.contains { $0.contains(message) }, "\(prices): \(e.messages)")
            }
        }
    }
}

/// Every infeasible scenario of ../shared/park-scenarios yields a soft plan that breaches
/// the limit its diagnosis names, by the amount the asset's own limits allow.
@Suite("Park model: soft limits on the shared infeasible scenarios", .requires("SoftLimitsSharedTests", .shared("park scenarios")))
struct SoftLimitsSharedTests {
    static func read(_ name: String) throws -> Scenario {
        try ScenarioReader.read(directory: try #require(SharedData.root).appendingPathComponent("park-scenarios/\(name)").path)
    }

    @Test(arguments: [("infeasible-battery-final-soc", LimitKind.finalStateOfCharge), ("infeasible-carbon-cap", .carbonCap),
                      ("infeasible-connection", .firmConnection), ("infeasible-electrolyzer-demand", .hydrogenDemand),
                      ("infeasible-park-import", .parkImport), ("infeasible-shiftable-window", .shiftableEnergy)])
    func everyInfeasibleScenarioYieldsAPlan(name: String, limit: LimitKind) throws {
        let s = try Self.read(name)
        let run = try DispatchRun.solve(s, limits: .soft)
        #expect(run.status == .optimal, "\(name)")
        #expect(run.breaches.contains { $0.limit == limit }, "\(name): \(run.breaches.map(\.description))")
        #expect(run.valueOfCluster != nil, "\(name): every standalone problem has a soft plan too")
        let total = run.breaches.reduce(0) { $0 + $1.cost }
        #expect(relativeError(total, run.parts[DispatchRun.breachPart] ?? 0) <= 1e-6)
    }

    /// The shortfall of an asset that cannot meet its own limit is exactly the gap: what the
    /// diagnosis computes from the asset's fields.
    @Test func assetShortfallsAreTheGap() throws {
        let cases: [(String, LimitKind, (any AssetKind, Double) -> Double?)] = [
            ("infeasible-battery-final-soc", .finalStateOfCharge, { kind, dt in
                (kind as? Battery).map { $0.socFinalMinKWh - min($0.energyKWh, $0.socInitialKWh + $0.chargeEfficiency * $0.chargeKW * 96 * dt) } }),
            ("infeasible-shiftable-window", .shiftableEnergy, { kind, dt in
                (kind as? Shiftable).map { $0.energyKWh - $0.maxKW * Double($0.windowEnd - $0.windowStart) * dt } }),
            ("infeasible-electrolyzer-demand", .hydrogenDemand, { kind, dt in
                (kind as? Electrolyzer).map { $0.demandKg - $0.kgPerKWh * $0.maxKW * 96 * dt } }),
        ]
        for (name, limit, gap) in cases {
            let s = try Self.read(name)
            #expect(s.steps == 96)
            let run = try DispatchRun.solve(s, limits: .soft)
            let breach = try #require(run.breaches.first { $0.limit == limit }, "\(name)")
            let asset = try #require((s.firms.flatMap(\.assets) + s.park.assets).first { $0.id == breach.asset })
            let expected = try #require(gap(asset.kind, s.stepHours))
            #expect(expected > 0 && abs(breach.amount - expected) <= 1e-6 * max(1, expected), "\(name): \(breach.amount) vs \(expected)")
        }
    }
}
