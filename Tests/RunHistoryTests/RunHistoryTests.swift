import DataFiles
import FlexDispatch
import Foundation
import LinearProgramming
import ParkModel
@testable import RunHistory
import Storage
import TestSupport
import Testing

@Suite("Run history: SQLite and PostgreSQL, manifests")
struct RunHistoryTests {
    static let tiny = SharedData.packageRoot.appendingPathComponent("datasets/tiny").path

    static func record(_ s: Scenario, settings: SolverSettings = SolverSettings()) throws -> (RunRecord, DispatchRun) {
        let r = try DispatchRun.solve(s, settings: settings)
        let inputs = try InputFiles.collect(tiny)
        let record = RunRecord(scenario: s, run: r, scenarioHash: InputFiles.digest(inputs), scenarioDirectory: tiny,
                               startedAt: Date(), finishedAt: Date(), programVersion: FlexDispatchVersion.string, settings: settings,
                               outputDirectory: "/tmp/x", resultDigest: ResultDigest.of(r))
        return (record, r)
    }

    /// Records two runs of the tiny park (the second with a heavier load at step 1), then
    /// lists, shows and diffs them.
    func exercise(_ store: any RunStore) throws {
        let s = try ScenarioReader.read(directory: Self.tiny)
        let (first, r) = try Self.record(s)
        var heavier = s
        heavier.firms[1].load[1] += 10
        let (second, _) = try Self.record(heavier)
        let a = try store.record(first), b = try store.record(second)
        #expect(b > a)
        let listed = try store.list(limit: 50)
        #expect(listed.first?.id == b && listed.dropFirst().first?.id == a)
        #expect(abs((listed.first { $0.id == a }?.objective ?? 0) - 65) < 1e-5)
        let detail = try #require(try store.show(a))
        #expect(detail.field("scenario") == "tiny" && detail.field("status") == "optimal")
        #expect(detail.field("scenario_hash") == first.scenarioHash)
        #expect(abs((detail.parts["energy"] ?? 0) - (r.parts["energy"] ?? -1)) < 1e-9)
        #expect(detail.firms.count == 2 && abs((detail.firms["f1"]?.standaloneCost ?? nil ?? 0) - 120) < 1e-5)
        #expect(detail.internalPrice.count == 4 && detail.importPrice.count == 4)
        #expect(detail.scheduleValues.values.reduce(0) { $0 + $1.count } == r.schedule.count)
        #expect(try store.show(b + 1000) == nil)
        // Diff: identical runs say "same"; the heavier load shows in objective and schedule.
        let same = RunDiff.lines(detail, detail)
        #expect(same.contains("  objective: same (\(String(format: "%.6f", r.objective!)))"))
        #expect(same.contains("  schedule series changed: 0 of \(detail.scheduleValues.count)"))
        let changed = RunDiff.lines(detail, try #require(try store.show(b)))
        #expect(changed.contains { $0.hasPrefix("  objective: ") && $0.contains("→") })
        #expect(changed.contains { $0.hasPrefix("  firms with a changed settlement") && !$0.contains(": 0 of") })
    }

    @Test func sqliteRecordsListsShowsAndDiffs() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-runs-\(UUID().uuidString)/runs.sqlite").path
        let store = try SQLiteRunStore(path: path)
        #expect(try store.journalMode() == "wal")
        try exercise(store)
        // Re-opening runs the migrations once only and keeps the runs.
        let again = try SQLiteRunStore(path: path)
        #expect(try again.list(limit: 10).count == 2)
    }

    /// A run's steps meet the clock by its recorded step length, even with one step; a run
    /// recorded without it (an older history) reads its step from its first two times, and
    /// a one-step run without it says its step is unknown instead of guessing.
    @Test func aRunKnowsItsStepLength() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-step-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteRunStore(path: path)
        func record(_ times: [String], step: Double) throws -> Int64 {
            try store.record(RunRecord(
                scenario: "s", scenarioHash: "h", scenarioDirectory: "/s", startedAt: Date(), finishedAt: Date(), programVersion: "t",
                solverSettings: "{}", status: "optimal", objective: 1, valueOfCluster: 0, parkResidual: 0, rows: 1, columns: 1,
                nonzeros: 1, iterations: 1, solveSeconds: 0, outputDirectory: "/o", resultDigest: "d", parts: [:],
                prices: times.enumerated().map { ($0.offset, $0.element, 0.2, 0.3, 0.1) }, firms: [], schedule: [], forecasts: [],
                times: times, stepSeconds: step, conflicts: []))
        }
        let hourly = try record(["2025-06-01T00:00:00+08:00"], step: 3600)
        let quarters = try record(["2025-06-01T00:00:00+08:00", "2025-06-01T00:15:00+08:00"], step: 900)
        #expect(try #require(try store.show(hourly)).timeAxis().stepSeconds == 3600)
        #expect(try #require(try store.show(quarters)).timeAxis().end == Date(timeIntervalSince1970: 1_748_707_200 + 1800))
        // A record whose tables do not fit is refused before anything is written.
        #expect(throws: StoreError.self) { try record(["2025-06-01T00:00:00+08:00"], step: .infinity) }
        #expect(try store.list(limit: 10).count == 2)
        try store.pool.write { try $0.execute(sql: "UPDATE runs SET step_seconds = NULL") }
        #expect(try #require(try store.show(quarters)).timeAxis().stepSeconds == 900)
        #expect(throws: TimeAxisError.self) { try #require(try store.show(hourly)).timeAxis() }
    }

    @Test(.requires("RunHistoryTests/postgresRecordsListsShowsAndDiffs", PostgresTestServer.requirement))
    func postgresRecordsListsShowsAndDiffs() throws {
        let (database, url) = try PostgresTestServer.freshDatabase()
        try exercise(RunStores.store(on: database))
        let again = try PostgresRunStore(url: url)
        #expect(try again.list(limit: 10).count == 2)
    }
}
