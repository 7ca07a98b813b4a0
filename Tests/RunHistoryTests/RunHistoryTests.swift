import DataFiles
import Foundation
@testable import RunHistory
import Storage
import TestSupport
import Testing

@Suite("Run history: SQLite and PostgreSQL, manifests")
struct RunHistoryTests {
    /// A run of a two-firm, four-step park as plain values (the numbers of the tiny park's
    /// hand-computed optimum); `extra` is added to f2's settlement, the objective and
    /// f2's exchange at step 1.
    static func record(extra: Double = 0) -> RunRecord {
        let times = (0..<4).map { "2025-06-01T1\($0):00:00+08:00" }
        let schedule: [(step: Int, owner: String, asset: String, variable: String, value: Double)] =
            (0..<4).flatMap { t -> [(step: Int, owner: String, asset: String, variable: String, value: Double)] in
                [(t, "park", "grid", "import_kW", [250, 0, 0, 50][t]), (t, "f1", "f1_bat", "charge_kW", [100, 0, 0, 0][t]),
                 (t, "f2", "f2", "exchange_kW", [50, -50, -150, 50][t] + (t == 1 ? extra : 0))]
            }
        let forecast = RunRecord.Forecast(series: "f2_load", role: "load", model: "snaive_day", historyFile: "history/h.csv",
                                          historyHours: 336, maeAgainstActual: 1.5, p10: [45, 45, 45, 45], p50: [50, 50, 50, 50],
                                          p90: [55, 55, 55, 55], actual: [50, 51, 49, 50])
        return RunRecord(
            scenario: "tiny", scenarioHash: "sha-\(extra)", scenarioDirectory: "/data/tiny", startedAt: Date(), finishedAt: Date(),
            programVersion: "test", solverSettings: "{}", status: "optimal", objective: 65 + extra, valueOfCluster: 60,
            parkResidual: 0, rows: 16, columns: 32, nonzeros: 60, iterations: 5, solveSeconds: 0.01, outputDirectory: "/tmp/x",
            resultDigest: "digest", parts: ["energy": 65 + extra, "peak": 0, "degradation": 0],
            prices: (0..<4).map { ($0, times[$0], [0.2, 0.25, 0.25, 0.3][$0], [0.2, 0.5, 1.0, 0.3][$0], 0.1) },
            firms: [("f1", "Workshop", 88.04, 120, nil), ("f2", "Warehouse", -23.04 + extra, 5, nil)],
            schedule: schedule, forecasts: [forecast], times: times, stepSeconds: 3600, conflicts: [])
    }

    /// Records two runs (the second dearer, with f2 taking more at step 1), then lists,
    /// shows and diffs them.
    func exercise(_ store: any RunStore) throws {
        let first = Self.record(), second = Self.record(extra: 10)
        let a = try store.record(first), b = try store.record(second)
        #expect(b > a)
        let listed = try store.list(limit: 50)
        #expect(listed.first?.id == b && listed.dropFirst().first?.id == a)
        #expect(abs((listed.first { $0.id == a }?.objective ?? 0) - 65) < 1e-5)
        let detail = try #require(try store.show(a))
        #expect(detail.field("scenario") == "tiny" && detail.field("status") == "optimal")
        #expect(detail.field("scenario_hash") == first.scenarioHash)
        #expect(detail.parts == first.parts)
        #expect(detail.firms.count == 2 && detail.firms["f1"]?.standaloneCost == 120 && detail.firms["f2"]?.settlement == -23.04)
        #expect(detail.internalPrice == [0.2, 0.25, 0.25, 0.3] && detail.importPrice == [0.2, 0.5, 1.0, 0.3])
        #expect(detail.scheduleValues["f2/f2/exchange_kW"] == [50, -50, -150, 50] && detail.scheduleValues.count == 3)
        #expect(detail.times == first.times && detail.forecastModels == ["f2_load": "snaive_day"])
        #expect(try store.show(b + 1000) == nil)
        // Diff: identical runs say "same"; the dearer run shows in objective, settlements and schedule.
        let same = RunDiff.lines(detail, detail)
        #expect(same.contains("  objective: same (65.000000)"))
        #expect(same.contains("  schedule series changed: 0 of \(detail.scheduleValues.count)"))
        let changed = RunDiff.lines(detail, try #require(try store.show(b)))
        #expect(changed.contains { $0.hasPrefix("  objective: ") && $0.contains("→") })
        #expect(changed.contains { $0.hasPrefix("  firms with a changed settlement") && !$0.contains(": 0 of") })
        #expect(changed.contains("  schedule series changed: 1 of 3"), "\(changed)")

        // A re-plan of the first run: its revision comes back, and the first run lists it.
        var replan = Self.record()
        replan.revision = RunRecord.Revision(replaces: a, planAt: "2025-06-01T12:30:00+08:00", firstStep: 2,
                                             startState: #"{"stateOfChargeKWh":{"f1_bat":40}}"#, notes: ["first note", "second note"])
        let c = try store.record(replan)
        var orphan = Self.record()
        orphan.revision = RunRecord.Revision(replaces: nil, planAt: "2025-06-01T13:00:00+08:00", firstStep: 3, startState: "{}", notes: [])
        let d = try store.record(orphan)
        // The newest optimal run of the scenario that holds a time: the last one recorded.
        #expect(try store.latestRun(scenario: "tiny", holding: first.times[2]) == d)
        #expect(try store.latestRun(scenario: "tiny", holding: "2025-06-02T10:00:00+08:00") == nil)
        #expect(try store.latestRun(scenario: "other", holding: first.times[2]) == nil)
        // The newest optimal run (of a scenario): what `vtn serve latest` and `cem serve latest` follow.
        #expect(try store.latestOptimalRun(scenario: nil) == d && store.latestOptimalRun(scenario: "tiny") == d)
        #expect(try store.latestOptimalRun(scenario: "other") == nil)
        var infeasible = Self.record()
        infeasible.status = "infeasible"
        #expect(try store.record(infeasible) > d)
        #expect(try store.latestOptimalRun(scenario: "tiny") == d, "an infeasible run is no plan")
        let shownA = try store.show(a), shownC = try store.show(c), shownD = try store.show(d)
        #expect(shownC?.revision == replan.revision && shownD?.revision == orphan.revision)
        #expect(shownA?.revisedBy == [c] && shownA?.revision == nil && shownC?.revisedBy == [])
    }

    @Test func sqliteRecordsListsShowsAndDiffs() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-runs-\(UUID().uuidString)/runs.sqlite").path
        let store = try SQLiteRunStore(path: path)
        #expect(try store.journalMode() == "wal")
        try exercise(store)
        // Re-opening runs the migrations once only and keeps the runs.
        let again = try SQLiteRunStore(path: path)
        #expect(try again.list(limit: 10).count == 5)
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
        #expect(try again.list(limit: 10).count == 5)
    }
}
