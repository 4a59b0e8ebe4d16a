/// One error type for everything the client reports. `code` says whose failure it is: the server's
/// (with its SQLSTATE), or the client's own (the connection, decoding, a refused parameter, an
/// answer it cannot read), so a caller can tell a decoding bug from a server error.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, matched by name: `.uniqueViolation`, `.connection`, `.decoding`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case server(String)
            case connection, decoding, refusedParameter, unexpectedAnswer
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The server's error with this SQLSTATE (`23505`).
        public init(sqlState: String) { base = .server(sqlState) }

        /// The SQLSTATE, when the server reported the error; nil for the client's own failures.
        public var sqlState: String? {
            if case .server(let sqlState) = base { sqlState } else { nil }
        }

        /// The SQLSTATE for a server error (what the log prints and operators grep for), else the
        /// name of the client's failure.
        public var description: String {
            switch base {
            case .server(let sqlState): sqlState
            case .connection: "connection"
            case .decoding: "decoding"
            case .refusedParameter: "refusedParameter"
            case .unexpectedAnswer: "unexpectedAnswer"
            }
        }

        // MARK: The server's, by SQLSTATE

        public static let uniqueViolation = Code(sqlState: "23505")
        public static let exclusionViolation = Code(sqlState: "23P01")
        public static let checkViolation = Code(sqlState: "23514")
        public static let foreignKeyViolation = Code(sqlState: "23503")
        public static let notNullViolation = Code(sqlState: "23502")
        public static let serializationFailure = Code(sqlState: "40001")
        public static let deadlockDetected = Code(sqlState: "40P01")
        public static let lockNotAvailable = Code(sqlState: "55P03")
        public static let adminShutdown = Code(sqlState: "57P01")
        public static let crashShutdown = Code(sqlState: "57P02")
        public static let cannotConnectNow = Code(sqlState: "57P03")
        public static let undefinedTable = Code(sqlState: "42P01")

        // MARK: The client's own

        /// libpq could not reach the server, or lost it mid-statement.
        public static let connection = Code(.connection)
        /// The answer does not have the shape the caller decodes: NULL where a value was promised,
        /// text that is not the type asked for, a column or a row missing.
        public static let decoding = Code(.decoding)
        /// The client refused to send a value PostgreSQL would misread (a NUL byte).
        public static let refusedParameter = Code(.refusedParameter)
        /// The statement ran, and its answer was not what the caller expects. Whatever it did may
        /// have been committed.
        public static let unexpectedAnswer = Code(.unexpectedAnswer)
    }

    public let code: Code
    public let message: String
    public let sql: String?
    /// The constraint the server named, for integrity violations.
    public let constraint: String?
    /// The column a decoding failure is about: its name, or its position when it has none.
    public let column: String?

    public init(code: Code, message: String, sql: String? = nil, constraint: String? = nil, column: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.constraint = constraint
        self.column = column
    }

    /// The connection is gone (or the server is going away): reconnecting may help.
    public var isConnectionLoss: Bool {
        if code == .connection { return true }
        guard let sqlState = code.sqlState else { return false }
        return sqlState.hasPrefix("08") || code == .adminShutdown || code == .crashShutdown || code == .cannotConnectNow
    }

    /// The server ended the session instead of running the statement (shut down, crashed, starting
    /// up): nothing of it was committed.
    public var isServerGoingAway: Bool { code == .adminShutdown || code == .crashShutdown || code == .cannotConnectNow }

    /// A conflict between concurrent transactions that a retry resolves.
    public var isTransient: Bool { code == .serializationFailure || code == .deadlockDetected }

    public var description: String {
        code.sqlState.map { "SQLSTATE \($0): \(message)" } ?? "\(code): \(message)"
    }
}
