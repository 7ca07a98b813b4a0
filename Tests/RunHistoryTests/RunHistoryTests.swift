import DataFiles
import FlexDispatch
import Foundation
import LinearProgramming
import ParkModel
@testable import RunHistory
import TestSupport
import Testing

/// A PostgreSQL server for the tests: `scripts/test.sh` starts one on loopback and sets
/// FLEXDISPATCH_TEST_POSTGRES_URL; without it the PostgreSQL tests are skipped.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["FLEXDISPATCH_TEST_POSTGRES_URL"]
}

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

    /// Measurements: duplicates are kept once, status shows the newest value and the last
    /// logged rejection, ranges are half-open.
    func exerciseMeasurements(_ store: any MeasurementStore) throws {
        let t0 = Date(timeIntervalSince1970: 1_780_000_000)
        let ms = (0..<5).map { StoredMeasurement(series: "f01_load", time: t0.addingTimeInterval(Double($0) * 900), value: Double($0),
                                                 unit: "kW", source: "test") }
        #expect(try store.ingest(ms) == 5)
        #expect(try store.ingest(Array(ms.prefix(2))) == 0)
        try store.logEvent(source: "test", series: "f01_load", kind: "rejected", message: "value -1 kW is outside [0, 10]")
        let status = try store.feedStatus()
        #expect(status.count == 1 && status[0].count == 5 && status[0].lastValue == 4 && status[0].lastEvent == "value -1 kW is outside [0, 10]")
        let window = try store.measurements(series: "f01_load", from: t0.addingTimeInterval(900), to: t0.addingTimeInterval(3600))
        #expect(window.map(\.value) == [1, 2, 3] && window[0].time == t0.addingTimeInterval(900))
    }

    @Test func sqliteRecordsListsShowsAndDiffs() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-runs-\(UUID().uuidString)/runs.sqlite").path
        let store = try SQLiteRunStore(path: path)
        #expect(try store.journalMode() == "wal")
        try exercise(store)
        try exerciseMeasurements(store)
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
        #expect(throws: RunStoreError.self) { try record(["2025-06-01T00:00:00+08:00"], step: .infinity) }
        #expect(try store.list(limit: 10).count == 2)
        try store.pool.write { try $0.execute(sql: "UPDATE runs SET step_seconds = NULL") }
        #expect(try #require(try store.show(quarters)).timeAxis().stepSeconds == 900)
        #expect(throws: TimeAxisError.self) { try #require(try store.show(hourly)).timeAxis() }
    }

    @Test func unopenableStoreIsAClearError() {
        #expect(throws: RunStoreError.self) { try SQLiteRunStore(path: "/proc/no-such-dir/runs.sqlite") }
        #expect(throws: RunStoreError.self) { try RunStores.open("postgres://nobody@127.0.0.1:1/none") }
        #expect(throws: RunStoreError.self) { try RunStores.open("postgres://missing-database-part") }
    }

    @Test(.requires("RunHistoryTests/postgresRecordsListsShowsAndDiffs",
                    Requirement("a PostgreSQL server in FLEXDISPATCH_TEST_POSTGRES_URL", hint: "scripts/test.sh starts one") { PostgresTestServer.url != nil }))
    func postgresRecordsListsShowsAndDiffs() throws {
        // A fresh database per test run, so that list() sees only this test's runs.
        let admin = try PostgresRunStore(url: try #require(PostgresTestServer.url))
        let name = "fd_test_\(UInt32.random(in: 0...UInt32.max))"
        _ = try admin.execute("CREATE DATABASE \(name)")
        var url = URLComponents(string: PostgresTestServer.url!)!
        url.path = "/\(name)"
        let store = try PostgresRunStore(url: url.string!)
        try exercise(store)
        try exerciseMeasurements(store)
        try exerciseDocuments(store)
        let again = try PostgresRunStore(url: url.string!)
        #expect(try again.list(limit: 10).count == 2)
    }

    /// Documents: put in one order, read back by seq; a put of an id held replaces it; a
    /// delete removes it; another collection is apart.
    func exerciseDocuments(_ store: some DocumentStore) throws {
        try store.apply([DocumentChange(collection: "c", id: "b-2", seq: 2, body: Data(#"{"v":2}"#.utf8)),
                         DocumentChange(collection: "c", id: "a-1", seq: 1, body: Data(#"{"v":1}"#.utf8)),
                         DocumentChange(collection: "d", id: "x-1", seq: 1, body: Data("{}".utf8))])
        #expect(try store.documents(in: "c").map(\.id) == ["a-1", "b-2"])
        try store.apply([DocumentChange(collection: "c", id: "a-1", seq: 1, body: Data(#"{"v":3}"#.utf8)),
                         DocumentChange(collection: "c", id: "b-2", seq: 0, body: nil)])
        #expect(try store.documents(in: "c").map { String(decoding: $0.body, as: UTF8.self) } == [#"{"v":3}"#])
        #expect(try store.documents(in: "d").count == 1)
    }

    @Test func sqliteKeepsDocuments() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-docs-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try exerciseDocuments(try SQLiteRunStore(path: path))
    }
}
