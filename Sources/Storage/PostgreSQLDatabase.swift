import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// FlexDispatch's database in PostgreSQL, for deployments where several machines or people
/// share it: the same schema as SQLite (``DatabaseSchema``), migrations recorded in a
/// `flexdispatch_migrations` table. Reached with postgres-nio over one connection;
/// statements and transactions on it take `serial`, so that threads sharing the database
/// never interleave inside one another's transaction (hence Sendable).
public final class PostgreSQLDatabase: @unchecked Sendable {
    package let serial = NSRecursiveLock()
    let group: MultiThreadedEventLoopGroup
    let connection: PostgresConnection
    let logger = Logger(label: "flexdispatch.storage.postgres")
    /// The URL without its password.
    public let redactedURL: String

    /// Connects to and migrates `postgres://user[:password]@host[:port]/database`.
    public init(url: String) throws(StoreError) {
        guard let u = URLComponents(string: url), let host = u.host, let user = u.user, !u.path.dropFirst().isEmpty else {
            throw StoreError("'\(url)': expected postgres://user[:password]@host[:port]/database")
        }
        redactedURL = "postgres://\(user)@\(host):\(u.port ?? 5432)\(u.path)"
        let configuration = PostgresConnection.Configuration(host: host, port: u.port ?? 5432, username: user, password: u.password,
                                                             database: String(u.path.dropFirst()), tls: .disable)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            connection = try PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw StoreError("\(redactedURL): cannot connect (\(String(reflecting: error)))")
        }
        do { try migrate() } catch {
            throw StoreError("\(redactedURL): cannot create the schema (\(String(reflecting: error)))")
        }
    }

    deinit {
        try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Runs `body` between BEGIN and COMMIT (ROLLBACK when it throws), holding `serial`.
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        serial.lock()
        defer { serial.unlock() }
        _ = try execute("BEGIN")
        do {
            let result = try body()
            _ = try execute("COMMIT")
            return result
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    package func execute(_ sql: String, _ values: [SQLValue] = []) throws -> [PostgresRow] {
        serial.lock()
        defer { serial.unlock() }
        var binds = PostgresBindings(capacity: values.count)
        for v in values {
            switch v {
            case .int(let i): binds.append(i)
            case .real(let d): binds.append(d)
            case .text(let s): binds.append(s)
            case .null: binds.appendNull()
            }
        }
        return try connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds), logger: logger).wait().rows
    }

    /// `?` placeholders → `$1, $2, …`.
    static func numbered(_ sql: String) -> String {
        var out = "", n = 0
        for c in sql { if c == "?" { n += 1; out += "$\(n)" } else { out.append(c) } }
        return out
    }

    func migrate() throws {
        _ = try execute("CREATE TABLE IF NOT EXISTS flexdispatch_migrations (name TEXT PRIMARY KEY)")
        _ = try execute("SELECT pg_advisory_lock(4242)")
        defer { _ = try? execute("SELECT pg_advisory_unlock(4242)") }
        let done = Set(try execute("SELECT name FROM flexdispatch_migrations").map { try $0.decode(String.self) })
        for step in DatabaseSchema.migrations(.postgres) where !done.contains(step.name) {
            _ = try execute("BEGIN")
            do {
                for sql in step.sql { _ = try execute(sql) }
                _ = try execute("INSERT INTO flexdispatch_migrations VALUES (?)", [.text(step.name)])
                _ = try execute("COMMIT")
            } catch {
                _ = try? execute("ROLLBACK")
                throw error
            }
        }
    }

}
