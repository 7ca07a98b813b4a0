import Foundation
import LinearProgramming
@testable import ParkModel
import TestSupport
import Testing

/// datasets/tiny, computed by hand in its README.
@Suite("Tiny park: hand-computed answers")
struct TinyParkTests {
    static let directory = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path

    @Test func objectiveScheduleAndSettlementMatchHandComputation() throws {
        let s = try ScenarioReader.read(directory: Self.directory)
        let run = try DispatchRun.solve(s)
        #expect(run.status == .optimal)
        #expect(abs(try #require(run.objective) - 65) < 1e-5)
        #expect(abs(try #require(run.standaloneCost["f1"] ?? nil) - 120) < 1e-5)
        #expect(abs(try #require(run.standaloneCost["f2"] ?? nil) - 5) < 1e-5)
        #expect(abs(try #require(run.valueOfCluster) - 60) < 1e-5)
        let imports = run.schedule.filter { $0.asset == "grid" && $0.variable == .gridImport }.map(\.value)
        for (a, b) in zip(imports, [250.0, 0, 0, 50]) { #expect(abs(a - b) < 1e-4) }
        #expect(abs(run.internalPrice[0] - 0.2) < 1e-6 && abs(run.internalPrice[3] - 0.3) < 1e-6)
        #expect(run.internalPrice[1] > 0.2 - 1e-6 && run.internalPrice[1] < 0.3 + 1e-6)
        // Settlements plus the park's residual add up to the objective.
        let total = run.settlement.values.reduce(0, +) + (run.parkResidual ?? .nan)
        #expect(abs(total - 65) < 1e-6)
    }

    /// λ[t] lies between the left and right finite differences of the optimal cost when
    /// one firm's load at t shrinks or grows by δ.
    @Test(arguments: 0..<4)
    func internalPriceBetweenFiniteDifferences(step: Int) throws {
        let s = try ScenarioReader.read(directory: Self.directory)
        let base = try #require(try DispatchRun.solve(s).objective)
        let lambda = try DispatchRun.solve(s).internalPrice[step]
        let delta = 1.0
        func cost(_ d: Double) throws -> Double {
            var t = s
            t.firms[1].load[step] += d
            return try #require(try DispatchRun.solve(t).objective)
        }
        let left = (base - (try cost(-delta))) / (delta * s.stepHours)
        let right = ((try cost(delta)) - base) / (delta * s.stepHours)
        #expect(left - 1e-5 <= lambda && lambda <= right + 1e-5, "step \(step): \(left) ≤ \(lambda) ≤ \(right)")
    }

    /// Extension: a grid operator's import limit of 200 kW at step 0 (an OpenADR
    /// IMPORT_CAPACITY_LIMIT) leaves the battery 50 kWh to charge there. By hand: it gives
    /// 50 at step 1 (0.5), refills from the PV surplus at step 2 and gives 50 at step 3:
    /// imports 200, 0, 0, 100 → 200·0.2 + 100·0.3 = 70. A firm alone is not bound by it.
    @Test func importLimitSeriesBindsThePark() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ limits: [Double]) throws {
            let json = try String(contentsOfFile: Self.directory + "/scenario.json", encoding: .utf8)
                .replacingOccurrences(of: "\"exportPrice\": \"price_export\",", with: "\"exportPrice\": \"price_export\", \"importLimit\": \"grid_limit\",")
            try json.write(to: dir.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
            let rows = try String(contentsOfFile: Self.directory + "/timeseries.csv", encoding: .utf8).split(separator: "\n")
            let csv = ([rows[0] + ",grid_limit"] + rows.dropFirst().enumerated().map { "\($1),\(limits[$0])" }).joined(separator: "\n") + "\n"
            try csv.write(to: dir.appendingPathComponent("timeseries.csv"), atomically: true, encoding: .utf8)
        }
        try write([200, 1000, 1000, 1000])
        let run = try DispatchRun.solve(try ScenarioReader.read(directory: dir.path))
        #expect(abs(try #require(run.objective) - 70) < 1e-5)
        let imports = run.schedule.filter { $0.asset == "grid" && $0.variable == .gridImport }.map(\.value)
        for (a, b) in zip(imports, [200.0, 0, 0, 100]) { #expect(abs(a - b) < 1e-4, "\(imports)") }
        #expect(abs(try #require(run.standaloneCost["f1"] ?? nil) - 120) < 1e-5)
        // Above importMaxKW the scalar still holds: a limit of 5000 everywhere changes nothing.
        try write([5000, 5000, 5000, 5000])
        #expect(abs(try #require(try DispatchRun.solve(try ScenarioReader.read(directory: dir.path)).objective) - 65) < 1e-5)
        try write([200, -1, 1000, 1000])
        #expect { _ = try ScenarioReader.read(directory: dir.path) } throws: { "\($0)".contains("park.importLimit") && "\($0)".contains("step 1") }
    }

    @Test func elasticFallbackNamesTheConstraintGroup() throws {
        var s = try ScenarioReader.read(directory: Self.directory)
        s.park.importMaxKW = 10   // the park cannot import what it needs at step 0
        let messages = Diagnosis.elastic(s, settings: SolverSettings())
        #expect(messages.contains { $0.contains("grid_balance") }, "\(messages)")
    }
}

@Suite("Scenario validation")
struct ScenarioValidationTests {
    func write(_ json: String, csv: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-scn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try json.write(to: dir.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
        try csv.write(to: dir.appendingPathComponent("timeseries.csv"), atomically: true, encoding: .utf8)
        return dir.path
    }

    let csv = "time,pi,rho,load\n2025-06-01T00:00:00+08:00,1,0,10\n2025-06-01T01:00:00+08:00,1,0,10\n"

    func scenario(firm: String, park extra: String = "") -> String {
        """
        {"name":"t","currency":"CNY","start":"2025-06-01T00:00:00+08:00","stepMinutes":60,"steps":2,
         "timeseries":"timeseries.csv",
         "park":{"importMaxKW":100,"exportMaxKW":100,"importPrice":"pi","exportPrice":"rho","assets":[]\(extra)},
         "firms":[\(firm)]}
        """
    }

    @Test func allErrorsAreReportedTogether() throws {
        let firm = """
        {"id":"f1","name":"a","connectionKW":-5,"load":"nope","assets":[
          {"type":"battery","id":"b","energyKWh":10,"chargeKW":1,"dischargeKW":1,"socInitialKWh":20,"chargeEfficency":0.9}]}
        """
        let dir = try write(scenario(firm: firm), csv: csv)
        do {
            _ = try ScenarioReader.read(directory: dir)
            Issue.record("expected errors")
        } catch let e as ScenarioError {
            let text = e.description
            #expect(text.contains("connectionKW") && text.contains("f1"))
            #expect(text.contains("'nope'"))
            #expect(text.contains("socInitialKWh"))
            #expect(text.contains("chargeEfficency") && text.contains("not a known field"))
            #expect(e.messages.count >= 4)
        }
    }

    @Test func duplicateKeysAreErrors() throws {
        let firm = #"{"id":"f1","name":"a","name":"b","connectionKW":5,"load":"load","assets":[]}"#
        let dir = try write(scenario(firm: firm), csv: csv)
        #expect(throws: ScenarioError.self) { try ScenarioReader.read(directory: dir) }
        #expect(DuplicateKeys.find(in: Data(#"{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}],"a":3}"#.utf8)) == ["a"])
        #expect(DuplicateKeys.find(in: Data(#"{"a":1,"\u0061":2,"q\"x":1}"#.utf8)) == ["a"])
    }

    @Test func booleansAreNotNumbers() throws {
        let dir = try write(scenario(firm: #"{"id":"f1","name":"a","connectionKW":true,"load":"load","assets":[]}"#), csv: csv)
        #expect(throws: ScenarioError.self) { try ScenarioReader.read(directory: dir) }
    }

    @Test func nullCarbonIntensityMeansAbsent() throws {
        let dir = try write(scenario(firm: #"{"id":"f1","name":"a","connectionKW":50,"load":"load","assets":[]}"#,
                                     park: #","carbonIntensity":null,"carbonCapKg":null"#), csv: csv)
        #expect(try ScenarioReader.read(directory: dir).park.carbonIntensity == nil)
    }

    @Test func timeColumnTwiceIsADuplicateHeader() throws {
        let bad = "time,pi,rho,load,time\n2025-06-01T00:00:00+08:00,1,0,10,x\n2025-06-01T01:00:00+08:00,1,0,10,x\n"
        let dir = try write(scenario(firm: #"{"id":"f1","name":"a","connectionKW":50,"load":"load","assets":[]}"#), csv: bad)
        do {
            _ = try ScenarioReader.read(directory: dir)
            Issue.record("expected an error")
        } catch let e as ScenarioError {
            #expect(e.description.contains("duplicate header 'time'"))
        }
    }

    @Test func offsetsWithoutColonAndFractionsAreInstants() {
        #expect(TimeSeriesTable.parseInstant("2025-06-01T00:00:00+0800") == TimeSeriesTable.parseInstant("2025-05-31T16:00:00Z"))
        #expect(TimeSeriesTable.parseInstant("2025-06-01T00:00:00.000+08:00") != nil)
        #expect(TimeSeriesTable.parseInstant("2025-06-01T00:00:00") == nil)
    }

    @Test func validScenarioReads() throws {
        let dir = try write(scenario(firm: #"{"id":"f1","name":"a","connectionKW":50,"load":"load","assets":[]}"#), csv: csv)
        let s = try ScenarioReader.read(directory: dir)
        #expect(s.firms.count == 1 && s.steps == 2 && s.park.carbonIntensity == nil)
        #expect(abs(try #require(try DispatchRun.solve(s).objective) - 20) < 1e-6)
    }
}
