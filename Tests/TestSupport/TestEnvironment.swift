import Foundation

/// What `make test` (.ci/test) hands the tests: a PostgreSQL to make databases in, and the running
/// stack. Run outside it, the suites that need them are skipped, and .ci/test refuses any skip.
public enum TestEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    /// A connection string for a role that may create databases.
    public static var adminURL: String? { environment["TEST_ADMIN_URL"] }
    /// nginx in front of the responders, e.g. `http://127.0.0.1:18080`.
    public static var baseURL: String? { environment["TEST_BASE_URL"] }
    /// The database the running responders use.
    public static var appDatabaseURL: String? { environment["TEST_APP_DATABASE_URL"] }
    /// The running responders' log file.
    public static var appLogFile: String? { environment["TEST_APP_LOG_FILE"] }

    /// One responder's FastCGI socket, for talking to it without nginx.
    public static var fastCGISocket: String? { environment["TEST_FCGI_SOCKET"] }

    /// The `studio-booking` executable under test.
    public static var binary: String? { environment["TEST_BINARY"] }

    public static var hasDatabase: Bool { adminURL != nil }
    public static var hasStack: Bool { baseURL != nil && appDatabaseURL != nil && appLogFile != nil }

    /// The repository's top folder, found from this file.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The legacy installation's database (../shared/fixtures/legacy-db.sql).
    public static func legacyFixture() throws -> String {
        let path = environment["LEGACY_FIXTURE"] ?? root + "/../shared/fixtures/legacy-db.sql"
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
