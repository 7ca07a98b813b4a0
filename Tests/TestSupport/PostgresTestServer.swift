import Foundation
import Storage

/// A PostgreSQL server for the tests: `scripts/test.sh` starts one on loopback and sets
/// FLEXDISPATCH_TEST_POSTGRES_URL; without it the PostgreSQL tests are skipped (and fail in CI).
public enum PostgresTestServer {
    public static let url = ProcessInfo.processInfo.environment["FLEXDISPATCH_TEST_POSTGRES_URL"]

    /// What a PostgreSQL test requires.
    public static let requirement = Requirement("a PostgreSQL server in FLEXDISPATCH_TEST_POSTGRES_URL",
                                                hint: "scripts/test.sh starts one") { url != nil }

    /// A new, empty database on the server (so that a test sees only what it wrote), opened
    /// and migrated; returns it with its URL.
    public static func freshDatabase() throws -> (database: Database, url: String) {
        guard let url else { throw StoreError("FLEXDISPATCH_TEST_POSTGRES_URL is not set") }
        let admin = try PostgreSQLDatabase(url: url)
        let name = "fd_test_\(UInt32.random(in: 0...UInt32.max))"
        _ = try admin.execute("CREATE DATABASE \(name)")
        guard var components = URLComponents(string: url) else { throw StoreError("'\(url)' is not a URL") }
        components.path = "/\(name)"
        guard let fresh = components.string else { throw StoreError("'\(url)': cannot name the new database") }
        return (try Database.open(fresh), fresh)
    }
}
