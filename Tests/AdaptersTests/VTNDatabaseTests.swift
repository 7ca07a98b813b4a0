@testable import Adapters
import Foundation
import NIOConcurrencyHelpers
import OpenADRAPI
import RunHistory
import Storage
import Testing

/// The VTN's objects in the run-history database: one row per object, so that a change
/// writes what it changed and nothing else; everything survives a restart, ids go on.
@Suite("Adapters: the VTN's objects in the database")
struct VTNDatabaseTests {
    /// Counts what each `apply` writes, and passes it on.
    final class Counting: DocumentStore, @unchecked Sendable {
        let inner: SQLiteDatabase
        let batches = NIOLockedValueBox<[[DocumentChange]]>([])
        init(_ inner: SQLiteDatabase) { self.inner = inner }
        func documents(in collection: String) throws -> [Document] { try inner.documents(in: collection) }
        func apply(_ changes: [DocumentChange]) throws {
            batches.withLockedValue { $0.append(changes) }
            try inner.apply(changes)
        }
    }

    @Test func objectsAreRowsThatSurviveARestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-vtn-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try SQLiteDatabase(path: dir.appendingPathComponent("park.sqlite").path)
        let counting = Counting(db)
        let auth = VTNAuth(clients: [.init(id: "ven-f03", secret: "s3cret-f03", scopes: ["read_targets", "write_vens", "write_reports"], targets: ["f03"])])
        let grant = try #require(auth.standingGrant("ven-f03"))
        let first = try VTNService(auth: auth, documents: counting)
        try ParkVTN.publish(ParkVTNFixture.run, runID: 7, currency: "CNY", into: first)
        let event = try #require(first.store.state.withLockedValue { $0.events.first }?.value1.id)
        func report(_ k: Int) -> Components.Schemas.ReportRequest {
            .init(eventID: event, clientName: "f03", resources: [.init(resourceName: "meter", intervalPeriod: .init(start: Date(), duration: "PT15M"),
                                                                        intervals: [.init(id: 0, payloads: [.init(_type: "USAGE", values: [.init(value1: Double(k))])])])])
        }
        try await VTNContext.$grant.withValue(grant) {
            _ = try await first.createVen(.init(body: .json(.VenVenRequest(.init(objectType: "VEN_VEN_REQUEST", venName: "f03-ven")))))
            for k in 0..<30 { _ = try await first.createReport(.init(body: .json(report(k)))) }
        }
        // Each report wrote its own row and the id counter, nothing else.
        let last = counting.batches.withLockedValue { $0.last } ?? []
        #expect(last.count == 2 && last.contains { $0.collection == "vtn.reports" && $0.body != nil } && last.contains { $0.collection == "vtn.counter" })
        let before = first.store.state.withLockedValue { $0 }
        #expect(try db.documents(in: "vtn.reports").count == 30)

        // Deleting a report deletes its row; a restart reads everything back in order.
        let gone = before.reports[3].value1.id
        try await VTNContext.$grant.withValue(grant) { _ = try await first.deleteReport(.init(path: .init(reportID: gone))) }
        #expect(try db.documents(in: "vtn.reports").map(\.id) == before.reports.map(\.value1.id).filter { $0 != gone })
        let second = try VTNService(auth: auth, documents: db)
        let after = second.store.state.withLockedValue { $0 }
        #expect(after.reports.map(\.value1.id) == before.reports.map(\.value1.id).filter { $0 != gone })
        #expect(after.vens.map(\.value2.venName) == ["f03-ven"] && after.programs == before.programs && after.events.count == before.events.count)
        #expect(after.next == before.next)
        let fresh = second.store.metadata(.report).id
        #expect(!before.reports.map(\.value1.id).contains(fresh) && fresh == "report-\(before.next + 1)")
    }
}
