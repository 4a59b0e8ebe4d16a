import CFastCGI
import Glibc

/// Where the responder accepts connections from the web server.
public enum ListenAddress: Sendable, Equatable {
    /// A unix socket at this path, created on start and removed on exit.
    case unixSocket(String)
    /// `HOST:PORT`; name the host, since a bare `:PORT` would bind every interface.
    case tcp(String)
    /// The listening socket passed as fd 0 (the spawn-fcgi convention).
    case inherited
}

/// An open listening socket and what is needed to clean it up. Its one owner: `deinit` closes the
/// descriptor, unless it was inherited as fd 0. That one belongs to the process as a whole (the
/// spawner's convention makes it our stdin), and a closed fd 0 would be handed to the next `open`,
/// where code that takes 0 for stdin could misread it.
struct ListeningSocket: ~Copyable {
    let fd: Int32
    /// The unix socket's path and inode, to unlink it only while it is still ours.
    private(set) var unixPath: (path: String, inode: UInt64)?

    private init(fd: Int32, unixPath: (path: String, inode: UInt64)?) {
        self.fd = fd
        self.unixPath = unixPath
    }

    deinit {
        if fd != 0 { close(fd) }
    }

    static func open(_ address: ListenAddress, backlog: Int32 = 1024) throws(ServerError) -> ListeningSocket {
        switch address {
        case .inherited:
            return ListeningSocket(fd: 0, unixPath: nil)
        case .tcp(let hostPort):
            let fd = FCGX_OpenSocket(hostPort, backlog)
            guard fd >= 0 else { throw ServerError("cannot listen on \(hostPort): \(errnoText())") }
            return ListeningSocket(fd: fd, unixPath: nil)
        case .unixSocket(let path):
            let fd = FCGX_OpenSocket(path, backlog)
            guard fd >= 0 else { throw ServerError("cannot listen on \(path): \(errnoText())") }
            // Owned from here: a failure below closes it on the way out.
            var opened = ListeningSocket(fd: fd, unixPath: nil)
            // The web server usually runs as another user; the socket's directory guards access.
            try syscall("chmod \(path)") { chmod(path, 0o666) }
            var info = stat()
            try syscall("stat \(path)") { stat(path, &info) }
            opened.unixPath = (path, UInt64(info.st_ino))
            return opened
        }
    }

    /// Whether it accepts TCP connections (rather than unix socket ones), asked of the socket itself
    /// since an inherited one could be either.
    func isTCP() throws(ServerError) -> Bool {
        var domain: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        try syscall("getsockopt(SO_DOMAIN)") { getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) }
        return domain == AF_INET || domain == AF_INET6
    }

    /// Whether the socket was handed over as fd 0 rather than opened here.
    var isInherited: Bool { fd == 0 }

    /// No more connections: the poller's next `accept` fails, and it stops watching the socket.
    /// Not for an inherited socket: the process that handed it over (systemd, with
    /// `StandardInput=socket`) keeps it open for the next responder, and `shutdown` acts on the
    /// socket itself, not on this process's descriptor — it would refuse every connection for good.
    func stopAccepting() {
        guard !isInherited else { return }
        // Fails only for a descriptor that is no socket, which `open` rules out, or one not
        // listening (ENOTCONN): then there is nothing to accept from anyway.
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Removes the unix socket, unless a newer instance has already replaced it with its own.
    /// Once it is gone, the web server's new connections fail at once and go to another responder.
    @discardableResult
    func removeSocketFile() -> Bool {
        guard let unixPath else { return false }
        var info = stat()
        guard stat(unixPath.path, &info) == 0, UInt64(info.st_ino) == unixPath.inode else { return false }
        return unlink(unixPath.path) == 0
    }

    /// Waits until no connection is queued on the listening socket (the workers have accepted
    /// them all), or `seconds` have passed. Closing the socket earlier would reset the queued ones,
    /// and the web server would answer 502 for requests it had already sent.
    func waitForQueuedConnections(upTo seconds: Int) {
        var quietChecks = 0
        for _ in 0..<(seconds * 100) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            // -1 (EINTR) counts as not quiet: the next check looks again.
            if poll(&poller, 1, 0) == 0 {
                quietChecks += 1
                if quietChecks == 3 { return }
            } else {
                quietChecks = 0
            }
            usleep(10_000)
        }
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }

/// Runs a system call, again while it is interrupted by a signal (EINTR); any other -1 becomes a
/// `ServerError` naming the call and its errno (in the manner of swift-nio's `syscall(blocking:where:_:)`).
@discardableResult
func syscall<Result: FixedWidthInteger>(_ call: @autoclosure () -> String, _ body: () -> Result) throws(ServerError) -> Result {
    while true {
        let result = body()
        guard result == -1 else { return result }
        guard errno == EINTR else { throw ServerError("\(call()) failed: \(errnoText())") }
    }
}

/// A failure of the transport itself: a socket that cannot be opened, a thread that cannot start.
public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
