import Glibc

/// Wakes a background thread out of `poll`: the one way the committers and the refresher are
/// woken (for bookings, or to stop). Owns its pipe's two descriptors and closes them in `deinit`.
final class WakePipe: Sendable {
    let readFD: Int32
    private let writeFD: Int32

    init() throws(SystemCallError) {
        var fds: [Int32] = [-1, -1]
        try SystemCallError.check("pipe", pipe(&fds))
        do throws(SystemCallError) {
            for fd in fds {
                let flags = try SystemCallError.check("fcntl(F_GETFL)", fcntl(fd, F_GETFL))
                try SystemCallError.check("fcntl(F_SETFL)", fcntl(fd, F_SETFL, flags | O_NONBLOCK))
                try SystemCallError.check("fcntl(F_SETFD)", fcntl(fd, F_SETFD, FD_CLOEXEC))
            }
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Makes `readFD` readable until `drain`.
    func signal() {
        var byte: UInt8 = 1
        // EAGAIN: the pipe is full of wake-ups not yet drained, so it is readable already. Anything
        // else (EBADF, EFAULT) would be a bug here, not a state of the system.
        var written = write(writeFD, &byte, 1)
        while written < 0 && errno == EINTR { written = write(writeFD, &byte, 1) }
        precondition(written == 1 || errno == EAGAIN, "write to a wake pipe: \(String(cString: strerror(errno)))")
    }

    /// Sleeps until `signal`, or `timeoutMS` milliseconds (-1: no limit); answers whether signalled,
    /// and drains the pipe then.
    @discardableResult
    func wait(timeoutMS: Int32 = -1) -> Bool {
        var fd = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        // EINTR counts as a spurious wake-up, which every caller takes in its stride (it looks again).
        guard poll(&fd, 1, timeoutMS) == 1 else { return false }
        drain()
        return true
    }

    /// Empties the pipe after a wake-up. A read that comes back short has emptied it: usually one
    /// read, not a second one to meet EAGAIN. (A failure, EAGAIN among them, also means empty.)
    func drain() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let size = MemoryLayout.size(ofValue: buffer)
        while withUnsafeMutableBytes(of: &buffer, { read(readFD, $0.baseAddress, size) }) == size {}
    }
}

/// A system call that failed: which, and the errno it set.
public struct SystemCallError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32

    public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }

    /// `result`, unless it is -1: then the call's errno, as an error.
    @discardableResult
    static func check(_ call: String, _ result: Int32) throws(SystemCallError) -> Int32 {
        guard result == -1 else { return result }
        throw SystemCallError(call: call, code: errno)
    }
}
