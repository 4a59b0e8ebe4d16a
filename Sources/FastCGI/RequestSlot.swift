import CFastCGI
import Glibc
import HTTPMessages

/// One `FCGX_Request` at a fixed heap address, as libfcgi's streams keep pointers into it.
/// Allocated once per worker, before it starts (so a failure stops the start), and handed to that
/// worker, which alone uses it; `deinit` frees libfcgi's buffers and the memory.
final class RequestSlot {
    let pointer: UnsafeMutablePointer<FCGX_Request>
    /// Where `finish` reads what is left of a request's input: once per worker, not per request.
    private var drainBuffer = [CChar](repeating: 0, count: 4096)

    /// Connections come from `ConnectionPoller`, not from libfcgi's accept: no listening socket
    /// (-1), so that libfcgi, should it try to accept after a failed read, fails instead of waiting.
    init() throws(ServerError) {
        pointer = .allocate(capacity: 1)
        guard FCGX_InitRequest(pointer, -1, 0) == 0 else {
            pointer.deallocate()
            throw ServerError("FCGX_InitRequest failed")
        }
    }

    deinit {
        FCGX_Free(pointer, 1)
        pointer.deallocate()
    }

    /// Reads the next request's start from `fd`, a connection with something to read. False when
    /// there was no request (the web server closed the connection, or sent garbage): libfcgi has
    /// closed it then.
    func accept(on fd: Int32) -> Bool {
        pointer.pointee.ipcFd = fd
        // libfcgi first finishes "the previous request", closing the connection unless it was kept;
        // and if no request comes, a plain close will do (nothing was answered to protect).
        pointer.pointee.keepConnection = 1
        pointer.pointee.detached = 1
        return FCGX_Accept_r(pointer) >= 0
    }

    /// Bounds every read and write on a new connection: a peer that stalls mid-body gets a 400
    /// instead of holding this worker forever. (nginx sends whole bodies; others may not.) False
    /// when the kernel refused: such a connection is not to be served, since it could hold the worker.
    static func limitIO(_ fd: Int32, seconds: Int) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, size) == 0
            && setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, size) == 0
    }

    /// Completes the current request and returns its connection if the web server asked to keep it
    /// (`fastcgi_keep_conn on`) and it can be kept; otherwise closes it.
    ///
    /// libfcgi's own close half-shuts the socket and then waits for the web server to hang up,
    /// so that unread input cannot turn the close into a reset — a wait of one nginx round trip
    /// per request, with the worker idle (a third of its time under load, measured). When the
    /// input has been read to its end, a plain close is just as safe: drain what is left (the
    /// closing STDIN record, or a body nobody wanted, up to 1 MiB), then close without lingering.
    /// A peer that keeps sending gets libfcgi's careful close. A connection is kept only when its
    /// input was drained: the next request is read from where this one ends.
    func finish() -> Int32? {
        let drained = drainInput(upTo: 1 << 20)
        if !drained { pointer.pointee.keepConnection = 0 }
        pointer.pointee.detached = drained ? 1 : 0
        FCGX_Finish_r(pointer)
        // Still open: kept (libfcgi closes it, and sets -1, when not kept or when a write failed).
        let fd = pointer.pointee.ipcFd
        pointer.pointee.ipcFd = -1
        return fd >= 0 ? fd : nil
    }

    /// Reads and discards the rest of the request's input; true when it reached the end.
    private func drainInput(upTo limit: Int) -> Bool {
        var drained = 0
        while drained <= limit {
            let read = FCGX_GetStr(&drainBuffer, Int32(drainBuffer.count), pointer.pointee.in)
            if read <= 0 { return FCGX_HasSeenEOF(pointer.pointee.in) == EOF && FCGX_GetError(pointer.pointee.in) == 0 }
            drained += Int(read)
        }
        return false
    }

    /// The current request as a plain value, its body read up to `maxBodySize` bytes.
    func readRequest(maxBodySize: Int) -> Request {
        var entries: [String] = []
        if var entry = pointer.pointee.envp {
            while let cString = entry.pointee {
                entries.append(String(cString: cString))
                entry += 1
            }
        }
        return Request(cgiEnvironment: entries, maxBodySize: maxBodySize, readBody: readBody)
    }

    /// Reads up to `length` bytes, looping, since one read may return fewer; stops at the end of
    /// the stream or on a read error (a timeout among them).
    private func readBody(_ length: Int) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let read = body.withUnsafeMutableBytes { buffer in
                FCGX_GetStr(
                    buffer.baseAddress!.advanced(by: filled).assumingMemoryBound(to: CChar.self),
                    Int32(length - filled), pointer.pointee.in)
            }
            guard read > 0 else { break }
            filled += Int(read)
        }
        return Array(body[..<filled])
    }

    /// Writes the response's head and body to the web server.
    func write(_ response: Response) {
        let head = Array(response.head().utf8)
        head.withUnsafeBufferPointer { put($0) }
        response.body.withUnsafeBufferPointer { put($0) }
        if let stream = response.stream {
            let finished = stream.produce { piece in
                piece.withUnsafeBufferPointer { put($0) }
                return FCGX_GetError(pointer.pointee.out) == 0
            }
            if !finished { abortConnection() }
        }
    }

    /// Ends the connection without the request's end record, for a body that broke off: nginx
    /// then reports the upstream as failed and closes the client's connection mid-body instead of
    /// ending the response as if it were whole. `shutdown` rather than `close`: libfcgi still
    /// owns the descriptor and closes it in `finish`; its writes fail from here on.
    private func abortConnection() {
        pointer.pointee.keepConnection = 0
        // Its one failure here, ENOTCONN, means the peer is gone already: nothing is left to break.
        _ = shutdown(pointer.pointee.ipcFd, Int32(SHUT_RDWR))
    }

    private func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            _ = FCGX_PutStr($0, Int32(bytes.count), pointer.pointee.out)
        }
    }
}
