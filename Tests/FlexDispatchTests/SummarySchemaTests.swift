import FlexDispatch
import Foundation
import ParkModel
import TestSupport
import Testing

/// `summary.json` as `DispatchSummary` writes it holds to `docs/summary.schema.json`: an
/// optimal run, an infeasible one (null objective, conflicts), one with forecasts and one
/// with soft limits and their breaches; a
/// summary without its settlements does not.
@Suite("Application layer: summary.json and its schema", .requires("SummarySchemaTests", .jsonSchema))
struct SummarySchemaTests {
    static let schema = SharedData.packageRoot.appendingPathComponent("docs/summary.schema.json").path

    /// Whether python's jsonschema (draft 2020-12) accepts the JSON file at `path`.
    static func valid(_ path: String) -> Bool {
        let check = "import json,jsonschema,sys; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])), "
            + "cls=jsonschema.Draft202012Validator)"
        return (try? Broker.shell("python3 -c '\(check)' '\(schema)' '\(path)'")) != nil
    }

    @Test func summariesHoldToTheSchema() throws {
        let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path
        let s = try ScenarioReader.read(directory: tiny)
        let optimal = DispatchSummary(run: try DispatchRun.solve(s), scenario: s)
        #expect(optimal.status == "optimal" && optimal.forecasts == nil && optimal.conflicts == nil)
        #expect(try JSONDecoder().decode(DispatchSummary.self, from: optimal.json()) == optimal)

        var infeasible = optimal
        infeasible.status = "infeasible"
        infeasible.objective = nil
        infeasible.valueOfCluster = nil
        infeasible.conflicts = ["park balance at step 2: the import limit 100 kW is below the load"]
        infeasible.standaloneCost = optimal.standaloneCost.mapValues { _ in nil }
        infeasible.standaloneNote = optimal.standaloneCost.mapValues { _ in "the park is infeasible" }
        let text = String(decoding: try infeasible.json(), as: UTF8.self)
        #expect(text.contains("\"objective\" : null") && text.contains("\"valueOfCluster\" : null"))

        var forecasting = optimal
        forecasting.forecasts = try JSONDecoder().decode([DispatchSummary.Forecast].self, from: Data("""
            [{"series": "f1_load", "role": "load", "model": "auto:ridge", "historyFile": "history/loads.csv", "historyHours": 720,
              "maeAgainstActual": null, "notes": ["mlp left out for want of history"]}]
            """.utf8))

        // Soft limits under an import limit of zero: the breaches are listed.
        var closed = s
        closed.park.importMaxKW = 0
        let soft = DispatchSummary(run: try DispatchRun.solve(closed, limits: .soft), scenario: closed)
        #expect(soft.limits == "soft" && soft.breaches?.first?.limit == .parkImport && optimal.breaches == nil)
        var replan = soft
        replan.revision = DispatchSummary.Revision(at: "2025-06-01T12:30:00+08:00", firstStep: 2, horizonSteps: 2, replaces: nil,
                                                   notes: ["firm 'f1', asset 'f1_bat': clamped"])
        #expect(String(decoding: try replan.json(), as: UTF8.self).contains("\"replaces\" : null"))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-summary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, summary) in [("optimal", optimal), ("infeasible", infeasible), ("forecasting", forecasting), ("soft", soft), ("replan", replan)] {
            let path = dir.appendingPathComponent("\(name).json").path
            try summary.json().write(to: URL(fileURLWithPath: path))
            #expect(Self.valid(path), "\(name)")
        }
        // The schema is not empty talk: a summary without its settlements fails it.
        var object = try #require(try JSONSerialization.jsonObject(with: optimal.json()) as? [String: Any])
        object["settlement"] = nil
        let broken = dir.appendingPathComponent("broken.json").path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: broken))
        #expect(!Self.valid(broken))
    }
}
