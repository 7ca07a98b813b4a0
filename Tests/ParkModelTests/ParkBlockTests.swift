import Foundation
import LinearProgramming
@testable import ParkModel
import TestSupport
import Testing

/// The park formulation labels its LP by firm (``BlockStructure``).
@Suite("Park LP: block labels")
struct ParkBlockTests {
    static let library = try? ProfileLibrary.load(
        path: SharedData.packageRoot.appendingPathComponent("datasets/profiles/profiles_15min.csv").path)

    func generate(firms: Int, seed: UInt64) throws -> Scenario {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-blocks-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ScenarioGenerator(library: try #require(Self.library), firms: firms, days: 1, seed: seed, name: "g").write(to: dir)
        return try ScenarioReader.read(directory: dir)
    }

    /// One block per firm and one for the park; the park balance of each step is the only
    /// linking row, in hard and soft mode; the standalone problems carry no labels.
    @Test(arguments: [LimitMode.hard, .soft])
    func eachFirmIsABlockTiedByTheParkBalance(limits: LimitMode) throws {
        let s = try generate(firms: 7, seed: 21)
        let f = try DispatchFormulation(s, scope: .park, limits: limits)
        let lp = try f.model.build()  // validates the labels
        let blocks = try #require(lp.blocks)
        #expect(blocks.names == ["park"] + s.firms.map(\.id))
        let linking = (0..<lp.rowCount).filter { blocks.rowBlock[$0] == BlockStructure.linking }
        #expect(linking == f.balanceRows)
        #expect(!blocks.columnBlock.contains(BlockStructure.linking))
        for (k, firm) in s.firms.enumerated() {
            for t in 0..<s.steps { #expect(blocks.columnBlock[f.exchange[k][t]] == k + 1, "\(firm.id)") }
        }
        for j in f.importColumns + f.exportColumns { #expect(blocks.columnBlock[j] == 0) }
        let r = try LPSolver.solve(lp)
        #expect(r.status == .optimal)
        #expect(r.blockStructure?.source == .labelled && r.blockStructure?.blocks == s.firms.count + 1)
        #expect(try DispatchFormulation(s, scope: .standalone(0)).model.build().blocks == nil)
    }

    /// Without the labels (an MPS written by another tool), detection finds a structure in
    /// which the park balance rows still link and no block spans two firms' columns.
    @Test func detectionAgreesWithTheLabels() throws {
        let s = try generate(firms: 12, seed: 22)
        let f = try DispatchFormulation(s, scope: .park)
        let lp = try f.model.build()
        let labels = try #require(lp.blocks)
        let detected = BlockStructure.detect(lp.matrix)
        #expect(detected != nil)
        guard let found = detected else { return }
        try found.validate(lp.matrix)
        for i in f.balanceRows { #expect(found.rowBlock[i] == BlockStructure.linking) }
        // A firm without storage splits into one component per step; those are packed
        // together, so there may be fewer blocks than firms.
        #expect(found.summary.blocks >= 2)
        // A detected block made of one component never mixes two labelled firms.
        var firmOf: [Int: Set<Int>] = [:]
        for j in 0..<lp.columnCount where found.columnBlock[j] >= 0 && !found.names[found.columnBlock[j]].contains("small") {
            firmOf[found.columnBlock[j], default: []].insert(labels.columnBlock[j])
        }
        for (block, firms) in firmOf { #expect(firms.count == 1, "\(found.names[block]): \(firms.sorted())") }
    }
}
