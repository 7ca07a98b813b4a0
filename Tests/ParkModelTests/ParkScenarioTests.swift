import Foundation
import LinearProgramming
import ParkModel
import TestSupport
import Testing

/// The park scenarios of ../shared/park-scenarios with independently computed outcomes
/// (expected.json), read in place.
@Suite("Park scenarios against expected.json", .requires("ParkScenarioTests", .shared("park scenarios")))
struct ParkScenarioTests {
    nonisolated(unsafe) static let expected: [String: [String: Any]] = (try? load()) ?? [:]

    /// expected.json, or why it cannot be used: the parameterised tests below would otherwise
    /// run zero cases and pass.
    static func load() throws -> [String: [String: Any]] {
        guard let root = SharedData.root else { throw PeerError("../shared is not there") }
        let file = root.appendingPathComponent("park-scenarios/expected.json")
        let data = try Data(contentsOf: file)
        guard let any = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw PeerError("\(file.path): expected an object of scenario objects")
        }
        guard !any.isEmpty else { throw PeerError("\(file.path) names no scenario") }
        return any
    }

    /// Every scenario folder has its expected outcome and every outcome its folder, and each
    /// kind of outcome is there.
    @Test func theExpectedOutcomesAreReadAndComplete() throws {
        let expected = try Self.load()
        let root = try #require(SharedData.root).appendingPathComponent("park-scenarios")
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).filter {
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path, isDirectory: &folder) && folder.boolValue
        }
        #expect(Set(folders) == Set(expected.keys))
        for status in ["optimal", "infeasible", "input-error"] { #expect(!Self.names(status).isEmpty, "no '\(status)' scenario") }
        #expect(expected.values.allSatisfy { ["optimal", "infeasible", "input-error"].contains($0["status"] as? String ?? "") })
    }

    static func names(_ status: String, excluding: Set<String> = []) -> [String] {
        expected.filter { $0.value["status"] as? String == status && !excluding.contains($0.key) }.map(\.key).sorted()
    }

    static func path(_ name: String) -> String { SharedData.root!.appendingPathComponent("park-scenarios/\(name)").path }

    @Test(arguments: names("optimal"))
    func optimalCostsMatch(name: String) throws {
        let e = try #require(Self.expected[name])
        let scenario = try ScenarioReader.read(directory: Self.path(name))
        let run = try DispatchRun.solve(scenario)
        #expect(run.status == .optimal)
        let objective = try #require(run.objective)
        #expect(relativeError(objective, e["objective"] as! Double) <= 1e-6, "\(name): \(objective)")
        for (firm, value) in (e["standalone"] as? [String: Double]) ?? [:] {
            let ours = try #require(run.standaloneCost[firm] ?? nil, "\(name): no standalone cost for \(firm)")
            #expect(relativeError(ours, value) <= 1e-6, "\(name) \(firm): \(ours) vs \(value)")
        }
        if let v = e["value_of_cluster"] as? Double {
            // A difference of two totals: compare against the size of the totals.
            let ours = try #require(run.valueOfCluster)
            #expect(abs(ours - v) <= 1e-6 * max(1, abs(e["objective"] as! Double)), "\(name): \(ours) vs \(v)")
        }
    }

    @Test(arguments: names("infeasible"))
    func infeasibleIsReported(name: String) throws {
        let scenario = try ScenarioReader.read(directory: Self.path(name))
        let run = try DispatchRun.solve(scenario)
        #expect(run.status == .infeasible)
        let hint = try #require(Self.expected[name]?["conflict_hint"] as? String)
        #expect(run.conflicts.contains { $0.contains(hint) }, "\(name): \(run.conflicts)")
    }

    @Test(arguments: names("input-error"))
    func inputErrorsNameTheCulprits(name: String) throws {
        let e = try #require(Self.expected[name])
        do {
            _ = try ScenarioReader.read(directory: Self.path(name))
            Issue.record("\(name): expected an input error")
        } catch let error as ScenarioError {
            for word in (e["names"] as? [String]) ?? [] {
                #expect(error.description.contains(word), "\(name): '\(word)' missing from: \(error.description)")
            }
        }
    }
}
