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
    /// that restarted has sent "terminating connection" or closed the socket: this turns that into
    /// `false` before a statement is wasted on a dead connection. One non-blocking `recv`.
    public func checkAlive() -> Bool {
        PQconsumeInput(handle) == 1 && PQstatus(handle) == CONNECTION_OK
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

    // MARK: - Pipeline mode

    /// A statement sent in pipeline mode, to claim its answer with.
    public struct PipelineTicket: Sendable {
        fileprivate let number: Int
    }

    /// Tickets given out, and answers read; answers read ahead of their ticket's turn wait here.
    private var ticketsSent = 0
    private var answersRead = 0
    private var readAhead: [Int: Swift.Result<[Row], PostgresError>] = [:]

    /// Sends a statement in pipeline mode and returns at once: the server runs the statements in
    /// the order they were sent, each in a transaction of its own (each is followed by a Sync),
    /// the next as soon as the one before has committed, without waiting for the client to read
    /// the answer or to send. `receive` waits for the answer; answers may be claimed in any order.
    public func sendInPipeline(_ sql: String, _ parameters: [any PostgresEncodable]) throws(PostgresError) -> PipelineTicket {
        let name: String
        if let known = prepared[sql] {
            name = known
        } else {
            try leavePipelineMode()  // preparing waits for the server, which pipeline mode refuses
            name = try statementName(for: sql, parameterCount: parameters.count)
        }
        if PQpipelineStatus(handle) == PQ_PIPELINE_OFF && PQenterPipelineMode(handle) != 1 {
            throw libpqFailure(sql: sql)
        }
        let sent = try withCStrings(parameters, sql: sql) { values in
            PQsendQueryPrepared(handle, name, Int32(parameters.count), values, nil, nil, 0)
        }
        // A statement sent without its Sync would leave the pipeline out of step: safe only because
        // a connection failure makes the owner drop the connection.
        guard sent == 1, PQpipelineSync(handle) == 1 else {
            throw libpqFailure(sql: sql)
        }
        defer { ticketsSent += 1 }
        return PipelineTicket(number: ticketsSent)
    }

    /// Waits for the answer to a statement `sendInPipeline` sent, reading the answers of the
    /// statements sent before it (kept for their own `receive`).
    public func receive(_ ticket: PipelineTicket, sql: String) throws(PostgresError) -> [Row] {
        while readAhead[ticket.number] == nil {
            guard answersRead < ticketsSent else {
                throw PostgresError(code: .unexpectedAnswer, message: "no such statement in the pipeline", sql: sql)
            }
            readAhead[answersRead] = readPipelineAnswer(sql: sql)
            answersRead += 1
        }
        return try readAhead.removeValue(forKey: ticket.number)!.get()
    }

    /// Whether `receive(ticket)` would return without waiting for the server (one non-blocking read).
    /// A connection that broke answers at once too: with its error.
    public func isAnswered(_ ticket: PipelineTicket) -> Bool {
        if readAhead[ticket.number] != nil { return true }
        guard ticket.number == answersRead else { return false }
        guard PQconsumeInput(handle) == 1 else { return true }
        return PQisBusy(handle) == 0
    }

    /// The connection's socket, to wait for answers with `poll` alongside other descriptors.
    public var socket: Int32 { PQsocket(handle) }

    /// Statement answers come as: the result, NULL, then the Sync's PGRES_PIPELINE_SYNC.
    private func readPipelineAnswer(sql: String) -> Swift.Result<[Row], PostgresError> {
        var answer: Swift.Result<[Row], PostgresError>?
        while let raw = PQgetResult(handle) {
            let result = Result(raw, sql: sql, connection: handle)
            if answer == nil {
                do throws(PostgresError) { answer = .success(try result.rows()) } catch { answer = .failure(error) }
            }
        }
        if let sync = PQgetResult(handle) {
            let status = PQresultStatus(sync)
            PQclear(sync)
            if status != PGRES_PIPELINE_SYNC {
                if case .failure = answer {} else {
                    answer = .failure(PostgresError(code: .connection, message: "pipeline out of step", sql: sql))
                }
            }
        }
        return answer ?? .failure(libpqFailure(sql: sql))
    }

    /// Back to one statement at a time: reads every answer still due (kept for `receive`) first.
    private func leavePipelineMode() throws(PostgresError) {
        guard PQpipelineStatus(handle) != PQ_PIPELINE_OFF else { return }
        while answersRead < ticketsSent {
            readAhead[answersRead] = readPipelineAnswer(sql: "")
            answersRead += 1
        }
        guard PQexitPipelineMode(handle) == 1 else {
            throw libpqFailure(sql: nil)
        }
    }

    // MARK: - Private

    /// What libpq itself reports, with no SQLSTATE from the server: taken as a broken connection,
    /// which the owner drops and makes anew.
    private func libpqFailure(sql: String?) -> PostgresError {
        PostgresError(code: .connection, message: Self.trimmed(PQerrorMessage(handle)), sql: sql)
    }

    private func statementName(for sql: String, parameterCount: Int) throws(PostgresError) -> String {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count)"
        _ = try Result(PQprepare(handle, name, sql, Int32(parameterCount), nil), sql: sql, connection: handle).rows()
        prepared[sql] = name
        return name
    }

    /// libpq parameters are C strings: a NUL inside a value would cut it short silently, so refuse it.
    private func withCStrings<T>(
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
