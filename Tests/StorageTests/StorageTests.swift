import Foundation
import Storage
import TestSupport
import Testing

@Suite("Storage: the database, its migrations and the servers' documents")
struct StorageTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fd-\(name)-\(UUID().uuidString)/db.sqlite").path
    }

    @Test func sqliteIsMigratedOnceAndJournalsAhead() throws {
        let path = Self.temporaryPath("storage")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let database = try SQLiteDatabase(path: path)
        #expect(try database.journalMode() == "wal")
        let applied = try database.pool.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(applied == DatabaseSchema.migrations(.sqlite).map(\.name).sorted())
        // Opening again applies nothing twice (a second CREATE TABLE would throw).
        _ = try SQLiteDatabase(path: path)
    }

    @Test func anUnopenableDatabaseIsAClearError() {
        #expect(throws: StoreError.self) { try Database.open("/proc/no-such-dir/runs.sqlite") }
        #expect(throws: StoreError.self) { try Database.open("postgres://nobody@127.0.0.1:1/none") }
        #expect(throws: StoreError.self) { try Database.open("postgres://missing-database-part") }
        do { _ = try Database.open("postgres://nobody:secret@127.0.0.1:1/none") } catch {
            #expect(!error.description.contains("secret"), "\(error)")
        }
    }

    /// Documents: put in one order, read back by seq; a put of an id held replaces it; a
    /// delete removes it; another collection is apart.
    func exerciseDocuments(_ store: any DocumentStore) throws {
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
        let path = Self.temporaryPath("docs")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try exerciseDocuments(try Database.open(path).documents)
    }

    @Test(.requires("StorageTests/postgresKeepsDocuments", PostgresTestServer.requirement))
    func postgresKeepsDocuments() throws {
        try exerciseDocuments(try PostgresTestServer.freshDatabase().database.documents)
    }
}
