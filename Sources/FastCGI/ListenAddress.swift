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

/// An open listening socket and what is needed to clean it up.
struct ListeningSocket {
    let fd: Int32
    /// The unix socket's path and inode, to unlink it only while it is still ours.
    let unixPath: (path: String, inode: UInt64)?

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
            // The web server usually runs as another user; the socket's directory guards access.
            chmod(path, 0o666)
            var info = stat()
            guard stat(path, &info) == 0 else { throw ServerError("cannot stat \(path): \(errnoText())") }
            return ListeningSocket(fd: fd, unixPath: (path, UInt64(info.st_ino)))
        }
    }

    /// No more connections: the poller's next `accept` fails, and it stops watching the socket.
    func stopAccepting() {
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
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

/// A failure of the transport itself: a socket that cannot be opened, a thread that cannot start.
public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
