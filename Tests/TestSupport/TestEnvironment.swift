import Foundation

/// What `make test` (.ci/test) hands the tests: a PostgreSQL to make databases in, and the running
/// stack. Run outside it, the suites that need them fail, naming what is missing (`Needs`).
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

    /// The repository's top folder, found from this file.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// An older installation's database, untidy rows included (Tests/Fixtures/legacy-installation.sql).
    public static func legacyFixture() throws -> String {
        try String(contentsOfFile: root + "/Tests/Fixtures/legacy-installation.sql", encoding: .utf8)
    }

    /// What a suite may need from `make test`.
    public enum Requirement: Sendable {
        case database, binary, stack, fastCGISocket, integrityStack

        /// The variables that provide it.
        var variables: [String] {
            switch self {
            case .database: ["TEST_ADMIN_URL"]
            case .binary: ["TEST_BINARY"]
            case .stack: ["TEST_BASE_URL", "TEST_APP_DATABASE_URL", "TEST_APP_LOG_FILE"]
            case .fastCGISocket: ["TEST_FCGI_SOCKET"]
            case .integrityStack: Requirement.stack.variables + ["TEST_INTEGRITY_RUN_DIR"]
            }
        }
    }

    /// The variables of `requirements` that are not set, in order, each once.
    public static func missing(_ requirements: [Requirement]) -> [String] {
        var missing: [String] = []
        for name in requirements.flatMap(\.variables) where environment[name] == nil && !missing.contains(name) {
            missing.append(name)
        }
        return missing
    }
}
