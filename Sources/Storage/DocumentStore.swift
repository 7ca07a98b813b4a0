import Foundation
import GRDB

/// JSON documents kept by collection and id in FlexDispatch's database: what a server keeps
/// across restarts (the VTN's programs, events, reports, subscriptions, VENs and resources),
/// one row per object, so that a change writes the objects it changed and nothing else.
/// `seq` keeps the order objects were made in.
public protocol DocumentStore: Sendable {
    /// The documents of `collection`, by `seq`.
    func documents(in collection: String) throws -> [Document]
    /// Puts and deletes in one transaction.
    func apply(_ changes: [DocumentChange]) throws
}

/// One stored object: its id, its place in creation order and its JSON body.
public struct Document: Sendable, Equatable {
    public var id: String
    public var seq: Int64
    public var body: Data

    public init(id: String, seq: Int64, body: Data) {
        self.id = id
        self.seq = seq
        self.body = body
    }
}

/// A document to put (`body`) or delete (`body` nil).
public struct DocumentChange: Sendable, Equatable {
    public var collection: String
    public var id: String
    public var seq: Int64
    public var body: Data?

    public init(collection: String, id: String, seq: Int64, body: Data?) {
        self.collection = collection
        self.id = id
        self.seq = seq
        self.body = body
    }
}

enum DocumentSQL {
    static let select = "SELECT id, seq, body FROM documents WHERE collection = ? ORDER BY seq, id"
    static let put = """
        INSERT INTO documents (collection, id, seq, body) VALUES (?, ?, ?, ?)
        ON CONFLICT (collection, id) DO UPDATE SET seq = excluded.seq, body = excluded.body
        """
    static let delete = "DELETE FROM documents WHERE collection = ? AND id = ?"
}

extension SQLiteDatabase: DocumentStore {
    public func documents(in collection: String) throws -> [Document] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: DocumentSQL.select, arguments: [collection]).map { r in
                    Document(id: r["id"], seq: r["seq"], body: Data((r["body"] as String).utf8))
                }
            }
        } catch {
            throw StoreError("\(path): cannot read the documents of \(collection) (\(error))")
        }
    }

    public func apply(_ changes: [DocumentChange]) throws {
        guard !changes.isEmpty else { return }
        do {
            try pool.write { db in
                for c in changes {
                    if let body = c.body {
                        try db.execute(sql: DocumentSQL.put, arguments: [c.collection, c.id, c.seq, String(decoding: body, as: UTF8.self)])
                    } else {
                        try db.execute(sql: DocumentSQL.delete, arguments: [c.collection, c.id])
                    }
                }
            }
        } catch {
            throw StoreError("\(path): cannot store documents (\(error))")
        }
    }
}

extension PostgreSQLDatabase: DocumentStore {
    public func documents(in collection: String) throws -> [Document] {
        do {
            return try execute(DocumentSQL.select, [.text(collection)]).map { row in
                let (id, seq, body) = try row.decode((String, Int64, String).self)
                return Document(id: id, seq: seq, body: Data(body.utf8))
            }
        } catch {
            throw StoreError("\(redactedURL): cannot read the documents of \(collection) (\(String(reflecting: error)))")
        }
    }

    public func apply(_ changes: [DocumentChange]) throws {
        guard !changes.isEmpty else { return }
        serial.lock()
        defer { serial.unlock() }
        do {
            _ = try execute("BEGIN")
            do {
                for c in changes {
                    if let body = c.body {
                        _ = try execute(DocumentSQL.put, [.text(c.collection), .text(c.id), .int(c.seq), .text(String(decoding: body, as: UTF8.self))])
                    } else {
                        _ = try execute(DocumentSQL.delete, [.text(c.collection), .text(c.id)])
                    }
                }
                _ = try execute("COMMIT")
            } catch {
                _ = try? execute("ROLLBACK")
                throw error
            }
        } catch {
            throw StoreError("\(redactedURL): cannot store documents (\(String(reflecting: error)))")
        }
    }
}
