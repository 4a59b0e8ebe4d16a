import Glibc

/// The byte-moving both test clients share: bounded reads, writes that may be cut short.
enum SocketIO {
    static func setReceiveTimeout(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes until done or the peer stops reading (a server may answer 413 and close first).
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads until the peer closes, `done` says enough, or the receive timeout passes (`timedOut`).
    static func receive(_ fd: Int32, until done: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], timedOut: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !done(received) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { return (received, true) }
            if n == 0 { break }
            received += buffer[0..<n]
        }
        return (received, false)
    }
}
