/// One error type for everything the database says: the SQLSTATE, the server's message and the SQL.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// A SQLSTATE, matched by name rather than by message text.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let uniqueViolation = Code("23505")
        public static let checkViolation = Code("23514")
        public static let notNullViolation = Code("23502")
        public static let serializationFailure = Code("40001")
        public static let deadlockDetected = Code("40P01")
        public static let lockNotAvailable = Code("55P03")
        public static let adminShutdown = Code("57P01")
        public static let crashShutdown = Code("57P02")
        public static let cannotConnectNow = Code("57P03")
        public static let undefinedTable = Code("42P01")
        /// Not a server code: libpq could not reach the server or lost it mid-query.
        public static let connectionFailure = Code("08006")
        /// Not a server code: the client refused to send a value PostgreSQL would misread.
        public static let invalidParameter = Code("22023")
        /// Not a server code (nor any SQLSTATE class): the statement ran, and its answer was not what
        /// the client expects. Whatever it did may have been committed.
        public static let unexpectedAnswer = Code("SB001")
    }

    public let code: Code
    public let message: String
    public let sql: String?
    /// The constraint the server named, for integrity violations.
    public let constraint: String?

    public init(code: Code, message: String, sql: String? = nil, constraint: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.constraint = constraint
    }

    /// The connection is gone (or the server is going away): reconnecting may help.
    public var isConnectionLoss: Bool {
        code.rawValue.hasPrefix("08") || code == .adminShutdown || code == .crashShutdown
            || code == .cannotConnectNow
    }

    /// A conflict between concurrent transactions that a retry resolves.
    public var isTransient: Bool { code == .serializationFailure || code == .deadlockDetected }

    public var description: String { "SQLSTATE \(code): \(message)" }
}
