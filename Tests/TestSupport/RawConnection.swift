import Foundation
import Glibc

/// A TCP connection the test drives byte by byte, from a loopback address of its choosing: a slow
/// client, one that never finishes its request, one of many from the same address.
public final class RawConnection: @unchecked Sendable {
    let fd: Int32

    public init(port: UInt16, from source: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPError("socket: errno \(errno)") }
        var from = sockaddr_in()
        from.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source, &from.sin_addr)
        var to = sockaddr_in()
        to.sin_family = sa_family_t(AF_INET)
        to.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &to.sin_addr)
        let bound = withUnsafePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = bound == 0 && withUnsafePointer(to: &to) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
        guard connected else {
            let failure = errno
            close(fd)
            throw HTTPError("connect from \(source): errno \(failure)")
        }
    }

    deinit { close(fd) }

    /// False when the peer has gone (reset, or closed for writing).
    @discardableResult
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// What arrived within `seconds`, and whether the peer closed or reset the connection by then.
    public func read(within seconds: Double) -> (text: String, closed: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let left = deadline.timeIntervalSinceNow
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&poller, 1, Int32(left * 1000)) > 0 else { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (String(decoding: received, as: UTF8.self), true) }
            received += buffer[0..<n]
        }
        return (String(decoding: received, as: UTF8.self), false)
    }

    /// Waits up to `seconds` for the peer to close or reset; the time it took, or nil if it did not.
    public func closedWithin(_ seconds: Double) -> (after: Double, text: String)? {
        let started = Date()
        var text = ""
        while Date().timeIntervalSince(started) < seconds {
            let (more, closed) = read(within: seconds - Date().timeIntervalSince(started))
            text += more
            if closed { return (Date().timeIntervalSince(started), text) }
        }
        return nil
    }
}
