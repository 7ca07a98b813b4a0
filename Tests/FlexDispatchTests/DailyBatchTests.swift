import FlexDispatch
import Foundation
import ParkModel
import RunHistory
import TestSupport
import Testing

/// The daily batch through the library, without the command line: stage by stage, into an
/// output folder and a run history the test owns; bad input and a folder that is not ours
/// stop it with the command line's statuses.
@Suite("Application layer: the daily batch")
struct DailyBatchTests {
    static let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path

    @Test func theBatchRunsStageByStageAndRecords() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-batch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = DailyBatch.Options()
        options.outputDirectory = dir.appendingPathComponent("tiny").path
        let db = dir.appendingPathComponent("history.sqlite").path
        options.openStore = { _ in try SQLiteRunStore(path: db) }
        var stages: [String] = []
        var iterations = 0
        let outcome = try DailyBatch.run(scenarioDirectory: Self.tiny, options: options) { event in
            switch event {
            case .stage(let text): stages.append(String(text.prefix(while: { $0 != " " })))
            case .iteration: iterations += 1
            case .forecastNote, .planNote: break
            }
        }
        #expect(stages == ["reading", "building", "solving", "writing"])
        #expect(iterations > 0)
        #expect(outcome.isVerdict && abs((outcome.run.objective ?? 0) - 65) < 1e-5)
        let files = try FileManager.default.contentsOfDirectory(atPath: outcome.outputDirectory).sorted()
        #expect(files == ["inputs", "manifest.json", "report.html", "schedule.csv", "summary.json"])
        let id = try #require(outcome.written.runID)
        #expect(try SQLiteRunStore(path: db).show(id)?.field("status") == "optimal")
        let summary = try JSONDecoder().decode(DispatchSummary.self, from: Data(contentsOf: URL(fileURLWithPath: outcome.outputDirectory + "/summary.json")))
        #expect(summary.settlement == outcome.run.settlement)
    }

    @Test func badInputAndForeignFoldersStopTheBatch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A scenario folder without its files: an input failure naming the folder, status 2.
        do {
            _ = try DailyBatch.run(scenarioDirectory: dir.path, options: DailyBatch.Options())
            Issue.record("expected an input failure")
        } catch let failure as DailyBatch.Failure {
            guard case .input(let messages) = failure else { Issue.record("\(failure)"); return }
            #expect(failure.exitStatus == 2 && messages.contains { $0.contains("scenario.json: cannot read the file") }, "\(messages)")
        }
        // A folder of someone else's files is not replaced: status 2, and its file is still there.
        let foreign = dir.appendingPathComponent("theirs")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try "keep me".write(to: foreign.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        var options = DailyBatch.Options()
        options.outputDirectory = foreign.path
        #expect { try DailyBatch.run(scenarioDirectory: Self.tiny, options: options) } throws: { error in
            guard let failure = error as? DailyBatch.Failure, case .output = failure else { return false }
            return failure.exitStatus == 2
        }
        #expect(try String(contentsOf: foreign.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
    }
}
