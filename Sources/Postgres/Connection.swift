import CLibPQ
import Glibc

/// One PostgreSQL connection. It owns its `PGconn` and frees it exactly once, in `deinit`.
///
/// Not `Sendable`: a connection belongs to one worker thread at a time.
public final class Connection {
    let handle: OpaquePointer
    /// Statements prepared on this connection, by SQL text: preparing happens once per connection.
    var prepared: [String: String] = [:]
    /// Statements sent in pipeline mode and their answers (Connection+Pipeline.swift).
    var pipeline = Pipeline()

    /// Connects with a libpq connection string or URI, passed through untouched.
    public init(_ conninfo: String) throws(PostgresError) {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(code: .connection, message: "out of memory in libpq")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(handle))
            // libpq: "you should call PQfinish to free the memory used by the PGconn object"
            // even when the connection attempt fails.
            PQfinish(handle)
            throw PostgresError(code: .connection, message: message)
        }
        // Notices ("already exists, skipping") are not errors; libpq would print them to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.handle = handle
    }

    deinit { PQfinish(handle) }

    /// False once libpq has seen the server go away; the owner should connect anew.
    public var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Reads, without waiting, whatever the server sent while the connection sat idle. A server
    /// that restarted has sent "terminating connection" (57P01) and closed the socket: this turns
    /// that into `false` before a statement is wasted on a dead connection.
    ///
    /// The message and the end of the stream can arrive in two reads, and libpq keeps the status
    /// `CONNECTION_OK` after the first (it takes an error that comes while idle for a notice), so one
    /// read is not enough: it reads for as long as the socket stays readable, and parses what came.
    /// Usually that is one `poll` that finds nothing.
    public func checkAlive() -> Bool {
        let socket = PQsocket(handle)
        // A few rounds at most: an idle connection has no reason to be sent more than a message and EOF.
        for _ in 0..<4 {
            guard PQstatus(handle) == CONNECTION_OK, socket >= 0 else { return false }
            var fd = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, 0)
            // EINTR or ENOMEM: nothing learnt; the statement itself will tell.
            guard ready > 0 else { return ready == 0 || errno == EINTR || errno == ENOMEM }
            guard PQconsumeInput(handle) == 1 else { return false }
            _ = PQisBusy(handle)  // parses what came: an end of stream turns the status bad
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Runs one statement with `$1…` parameters, prepared once per connection and reused.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws(PostgresError) -> [Row] {
        try leavePipelineMode()
        let name = try statementName(for: sql, parameterCount: parameters.count)
        let result = try withCStrings(parameters, sql: sql) { values in
            PQexecPrepared(handle, name, Int32(parameters.count), values, nil, nil, 0)
        }
        return try Result(result, sql: sql, connection: handle).rows()
    }

    /// Runs one statement with `$1…` parameters, planned anew for these values (libpq's unnamed
    /// statement): for a query whose best plan depends on them, such as a search, where a plan
    /// cached for other values could scan a whole table.
    @discardableResult
    public func queryPlannedForValues(_ sql: String, _ parameters: [any PostgresEncodable]) throws(PostgresError) -> [Row] {
        try leavePipelineMode()
        let result = try withCStrings(parameters, sql: sql) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try Result(result, sql: sql, connection: handle).rows()
    }

    /// Runs a script of one or more statements without parameters (migrations, `BEGIN`, `COMMIT`).
    public func execute(_ sql: String) throws(PostgresError) {
        try leavePipelineMode()
        _ = try Result(PQexec(handle, sql), sql: sql, connection: handle).rows()
    }

    // MARK: - Private

    /// What libpq itself reports, with no SQLSTATE from the server: taken as a broken connection,
    /// which the owner drops and makes anew.
    func libpqFailure(sql: String?) -> PostgresError {
        PostgresError(code: .connection, message: Self.trimmed(PQerrorMessage(handle)), sql: sql)
    }

    func statementName(for sql: String, parameterCount: Int) throws(PostgresError) -> String {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count)"
        _ = try Result(PQprepare(handle, name, sql, Int32(parameterCount), nil), sql: sql, connection: handle).rows()
        prepared[sql] = name
        return name
    }

    /// libpq parameters are C strings: a NUL inside a value would cut it short silently, so refuse it.
    func withCStrings<T>(
        _ values: [any PostgresEncodable], sql: String,
        _ body: ([UnsafePointer<CChar>?]) -> T
    ) throws(PostgresError) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = []
        pointers.reserveCapacity(values.count)
        defer { pointers.forEach { free($0) } }
        for value in values {
            guard let value = value.postgresText else { pointers.append(nil); continue }
            if value.utf8.contains(0) {
                throw PostgresError(code: .refusedParameter, message: "a parameter contains a NUL byte", sql: sql)
            }
            pointers.append(strdup(value))
        }
        return body(pointers.map { UnsafePointer($0) })
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown libpq error" }
        return String(cString: message).trimmingCharacters(in: " \n")
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
