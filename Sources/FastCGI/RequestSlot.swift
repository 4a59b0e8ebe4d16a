import CFastCGI
import Glibc

/// One `FCGX_Request` at a fixed heap address, as libfcgi's streams keep pointers into it.
/// Allocated once per worker; `deinit` frees libfcgi's buffers and the memory.
final class RequestSlot {
    let pointer: UnsafeMutablePointer<FCGX_Request>

    init(listeningOn fd: Int32) throws(ServerError) {
        pointer = .allocate(capacity: 1)
        guard FCGX_InitRequest(pointer, fd, 0) == 0 else {
            pointer.deallocate()
            throw ServerError("FCGX_InitRequest failed")
        }
    }

    deinit {
        FCGX_Free(pointer, 1)
        pointer.deallocate()
    }

    /// Waits for the next request; false once the listening socket is shut down.
    func accept() -> Bool { FCGX_Accept_r(pointer) >= 0 }

    /// Bounds every read and write on the current connection: a peer that stalls mid-body gets
    /// a 400 instead of holding this worker forever. (nginx sends whole bodies; others may not.)
    func limitIO(seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(pointer.pointee.ipcFd, SOL_SOCKET, SO_RCVTIMEO, &timeout, size)
        setsockopt(pointer.pointee.ipcFd, SOL_SOCKET, SO_SNDTIMEO, &timeout, size)
    }

    /// Completes the current request: flushes its output and closes the connection.
    ///
    /// libfcgi's own close half-shuts the socket and then waits for the web server to hang up,
    /// so that unread input cannot turn the close into a reset — a wait of one nginx round trip
    /// per request, with the worker idle (a third of its time under load, measured). When the
    /// input has been read to its end, a plain close is just as safe: drain what is left (the
    /// closing STDIN record, or a body nobody wanted, up to 1 MiB), then detach so that libfcgi
    /// closes without lingering. A peer that keeps sending gets libfcgi's careful close.
    func finish() {
        if drainInput(upTo: 1 << 20) { FCGX_Detach(pointer) }
        FCGX_Finish_r(pointer)
    }

    /// Reads and discards the rest of the request's input; true when it reached the end.
    private func drainInput(upTo limit: Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 4096)
        var drained = 0
        while drained <= limit {
            let read = FCGX_GetStr(&buffer, Int32(buffer.count), pointer.pointee.in)
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
    }

    private func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            _ = FCGX_PutStr($0, Int32(bytes.count), pointer.pointee.out)
        }
    }
}
