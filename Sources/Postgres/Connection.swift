import CLibPQ
import Glibc

/// One PostgreSQL connection. It owns its `PGconn` and frees it exactly once, in `deinit`.
///
/// Not `Sendable`: a connection belongs to one worker thread at a time.
public final class Connection {
    private let handle: OpaquePointer
    /// Statements prepared on this connection, by SQL text: preparing happens once per connection.
    private var prepared: [String: String] = [:]

    /// Connects with a libpq connection string or URI, passed through untouched.
    public init(_ conninfo: String) throws(PostgresError) {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError(code: .connectionFailure, message: "out of memory in libpq")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(handle))
            // libpq: "you should call PQfinish to free the memory used by the PGconn object"
            // even when the connection attempt fails.
            PQfinish(handle)
            throw PostgresError(code: .connectionFailure, message: message)
        }
        // Notices ("already exists, skipping") are not errors; libpq would print them to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.handle = handle
    }

    deinit { PQfinish(handle) }

    /// False once libpq has seen the server go away; the owner should connect anew.
    public var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Reads, without waiting, whatever the server sent while the connection sat idle. A server
    /// that restarted has sent "terminating connection" or closed the socket: this turns that into
    /// `false` before a statement is wasted on a dead connection. One non-blocking `recv`.
    public func checkAlive() -> Bool {
        PQconsumeInput(handle) == 1 && PQstatus(handle) == CONNECTION_OK
    }

    /// Runs one statement with `$1…` parameters, prepared once per connection and reused.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> [Row] {
        try send(sql, parameters)
        return try receive(sql)
    }

    /// The first half of `query`: sends the statement and returns without waiting for the server,
    /// so the caller can do other work while the server runs it. `receive` must come next, before
    /// anything else is sent on this connection.
    public func send(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) {
        let name = try statementName(for: sql, parameterCount: parameters.count)
        let sent = try withCStrings(parameters, sql: sql) { values in
            PQsendQueryPrepared(handle, name, Int32(parameters.count), values, nil, nil, 0)
        }
        // Not sent (whole) at all: the server has not run it.
        guard sent == 1 else { throw PostgresError(code: .connectionFailure, message: Self.trimmed(PQerrorMessage(handle)), sql: sql) }
    }

    /// The second half of `query`: waits for the answer to the statement `send` sent.
    public func receive(_ sql: String) throws(PostgresError) -> [Row] {
        // libpq answers with the statement's result and then NULL; it must be read to the NULL
        // before the connection takes another statement, even after an error.
        var answer: Swift.Result<[Row], PostgresError>?
        while let raw = PQgetResult(handle) {
            let result = Result(raw, sql: sql, connection: handle)
            if answer == nil {
                do throws(PostgresError) { answer = .success(try result.rows()) } catch { answer = .failure(error) }
            }
        }
        guard let answer else {
            throw PostgresError(code: .connectionFailure, message: Self.trimmed(PQerrorMessage(handle)), sql: sql)
        }
        return try answer.get()
    }

    /// Runs a script of one or more statements without parameters (migrations, `BEGIN`, `COMMIT`).
    public func execute(_ sql: String) throws(PostgresError) {
        _ = try Result(PQexec(handle, sql), sql: sql, connection: handle).rows()
    }

    // MARK: - Private

    private func statementName(for sql: String, parameterCount: Int) throws(PostgresError) -> String {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count)"
        _ = try Result(PQprepare(handle, name, sql, Int32(parameterCount), nil), sql: sql, connection: handle).rows()
        prepared[sql] = name
        return name
    }

    /// libpq parameters are C strings: a NUL inside a value would cut it short silently, so refuse it.
    private func withCStrings<T>(
        _ values: [String?], sql: String,
        _ body: ([UnsafePointer<CChar>?]) -> T
    ) throws(PostgresError) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = []
        pointers.reserveCapacity(values.count)
        defer { pointers.forEach { free($0) } }
        for value in values {
            guard let value else { pointers.append(nil); continue }
            if value.utf8.contains(0) {
                throw PostgresError(code: .invalidParameter, message: "a parameter contains a NUL byte", sql: sql)
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
