import CLibPQ
import Glibc

// MARK: - Pipeline mode

extension Connection {
    /// A statement sent in pipeline mode, to claim its answer with.
    public struct PipelineTicket: Sendable {
        fileprivate let number: Int
    }

    /// Tickets given out, and answers read; answers read ahead of their ticket's turn wait here.
    struct Pipeline {
        fileprivate var ticketsSent = 0
        fileprivate var answersRead = 0
        fileprivate var readAhead: [Int: Swift.Result<[Row], PostgresError>] = [:]
        /// The server's answer when it ended the session (`isServerGoingAway`): the statements sent
        /// behind the one it answered never ran, and their failures say so.
        fileprivate var wentAway: PostgresError?
    }

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
        defer { pipeline.ticketsSent += 1 }
        return PipelineTicket(number: pipeline.ticketsSent)
    }

    /// Waits for the answer to a statement `sendInPipeline` sent, reading the answers of the
    /// statements sent before it (kept for their own `receive`).
    public func receive(_ ticket: PipelineTicket, sql: String) throws(PostgresError) -> [Row] {
        while pipeline.readAhead[ticket.number] == nil {
            guard pipeline.answersRead < pipeline.ticketsSent else {
                throw PostgresError(code: .unexpectedAnswer, message: "no such statement in the pipeline", sql: sql)
            }
            pipeline.readAhead[pipeline.answersRead] = readPipelineAnswer(sql: sql)
            pipeline.answersRead += 1
        }
        let answer = pipeline.readAhead.removeValue(forKey: ticket.number)!
        if case .failure(let error) = answer {
            if error.isServerGoingAway { pipeline.wentAway = error }
            if let wentAway = pipeline.wentAway, error.code == .connection { throw wentAway }
        }
        return try answer.get()
    }

    /// Whether `receive(ticket)` would return without waiting for the server (one non-blocking read).
    /// A connection that broke answers at once too: with its error.
    public func isAnswered(_ ticket: PipelineTicket) -> Bool {
        if pipeline.readAhead[ticket.number] != nil { return true }
        guard ticket.number == pipeline.answersRead else { return false }
        guard PQconsumeInput(handle) == 1 else { return true }
        return PQisBusy(handle) == 0
    }

    /// Sleeps until the server has sent more towards `ticket`'s answer, or `wakeFD` (another thread's
    /// wake-up) turns readable; answers whether `wakeFD` did. Call it once `isAnswered` said no; then
    /// ask `isAnswered` again, since more may still be due. Returns at once, with no system call,
    /// when libpq already holds the answer, and (false) when the connection has no socket left or
    /// `poll` fails (EINTR, ENOMEM): the caller looks again and finds the answer, or the failure.
    public func waitForAnswer(_ ticket: PipelineTicket, orReadable wakeFD: Int32) -> Bool {
        if pipeline.readAhead[ticket.number] != nil || (ticket.number == pipeline.answersRead && PQisBusy(handle) == 0) {
            return false
        }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        var fds = (pollfd(fd: socket, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
        let ready = withUnsafeMutableBytes(of: &fds) { poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, -1) }
        return ready > 0 && fds.1.revents != 0
    }

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
    func leavePipelineMode() throws(PostgresError) {
        guard PQpipelineStatus(handle) != PQ_PIPELINE_OFF else { return }
        while pipeline.answersRead < pipeline.ticketsSent {
            pipeline.readAhead[pipeline.answersRead] = readPipelineAnswer(sql: "")
            pipeline.answersRead += 1
        }
        guard PQexitPipelineMode(handle) == 1 else {
            throw libpqFailure(sql: nil)
        }
    }
}
