import CFastCGI
import Glibc
import Synchronization

/// Where every worker waits for its next request: the listening socket and the connections kept
/// open between requests (FastCGI keep-alive, nginx's `fastcgi_keep_conn on`), in one epoll set.
///
/// Why: libfcgi would have a worker wait on its kept connection for the next request, so every
/// idle connection nginx keeps would hold a worker, and a new connection could wait behind them.
/// Here an idle kept connection costs only its descriptor, and whichever worker is free serves the
/// next request that arrives on any of them. The responder does not close a kept connection nginx
/// may still send on (a request sent as it closed would fail): nginx closes them (keepalive_timeout,
/// keepalive_requests), except at the end of a stop's grace (`StopFlag`).
///
/// Owns the epoll descriptor and the parked connections; `deinit` closes them.
final class ConnectionPoller: Sendable {
    private let epollFD: Int32
    private let listenFD: Int32
    /// Whether new connections are TCP ones, which get TCP_NODELAY.
    private let isTCP: Bool
    /// Kept connections waiting in the epoll set, not in a worker.
    private let parked = Mutex<Set<Int32>>([])
    /// The listening socket could not be watched again after an accept (`armListener`).
    private let listenerDisarmed = Atomic<Bool>(false)
    /// The server is stopping: the listening socket is no longer watched (`stopWatchingListener`).
    private let listenerStopped = Atomic<Bool>(false)

    init(listenFD: Int32, isTCP: Bool) throws(ServerError) {
        // A worker woken for a connection another took, or for one that went away, gets EAGAIN, not a block.
        let flags = try syscall("fcntl(F_GETFL) on the listening socket") { fcntl(listenFD, F_GETFL) }
        try syscall("fcntl(F_SETFL) on the listening socket") { fcntl(listenFD, F_SETFL, flags | O_NONBLOCK) }
        epollFD = try syscall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        self.listenFD = listenFD
        self.isTCP = isTCP
        guard watch(listenFD, EPOLL_CTL_ADD) else {
            let failure = ServerError("epoll_ctl(EPOLL_CTL_ADD) on the listening socket failed: \(errnoText())")
            close(epollFD)
            throw failure
        }
    }

    deinit {
        for fd in parked.withLock({ $0 }) { close(fd) }
        close(epollFD)
    }

    /// A connection with a request to read: a new one, accepted, or a kept one back from the set.
    struct Ready {
        let fd: Int32
        let isNew: Bool
    }

    /// Waits up to `timeoutMS` milliseconds; nil when nothing arrived, or another worker took it.
    func next(timeoutMS: Int32) -> Ready? {
        if listenerDisarmed.load(ordering: .relaxed) { armListener() }
        var event = epoll_event()
        guard epoll_wait(epollFD, &event, 1, timeoutMS) == 1 else { return nil }
        let fd = event.data.fd
        if fd == listenFD {
            // (The new connection does not inherit O_NONBLOCK: libfcgi reads it blocking, with timeouts.)
            let accepted = accept(listenFD, nil, nil)
            let failure = errno
            if accepted >= 0 && isTCP {
                // As libfcgi's own accept did for TCP: a reply written in two parts must not wait for
                // the web server's delayed acknowledgement. Safe to ignore if refused: the reply
                // still arrives, only later, and there is nothing better to do with the connection.
                var on: Int32 = 1
                _ = setsockopt(accepted, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            }
            // Watched one-shot, so that one worker wakes per connection; armed again unless the
            // socket was shut down (the server is stopping). Out of descriptors or memory, the
            // connection stays queued: try again shortly rather than at once, in a loop.
            if accepted < 0 && (failure == EMFILE || failure == ENFILE || failure == ENOBUFS || failure == ENOMEM) {
                usleep(10_000)
            }
            if accepted >= 0 || (failure != EINVAL && failure != EBADF) {
                armListener()
            }
            // Close-on-exec: the responder starts no programs, so a descriptor that could not be
            // marked would leak nowhere; but a failure here means a descriptor that is not ours.
            if accepted >= 0 && fcntl(accepted, F_SETFD, FD_CLOEXEC) == -1 {
                close(accepted)
                return nil
            }
            return accepted >= 0 ? Ready(fd: accepted, isNew: true) : nil
        }
        // Not parked any more: closed by `closeParked` after epoll reported it. Its number may
        // already belong to another connection, so it is left alone.
        guard parked.withLock({ $0.remove(fd) }) != nil else { return nil }
        // It stays in the set, disarmed (one-shot), until `park` arms it again or it is closed.
        return Ready(fd: fd, isNew: false)
    }

    /// Puts a kept connection back to wait for its next request (or for nginx to close it).
    func park(_ fd: Int32) {
        parked.withLock { _ = $0.insert(fd) }
        // Armed again if still in the set from its last request; added if new (closing a
        // descriptor takes it out of the set, and its number may come back for a new connection).
        if !watch(fd, EPOLL_CTL_MOD) && !(errno == ENOENT && watch(fd, EPOLL_CTL_ADD)) {
            parked.withLock { _ = $0.remove(fd) }
            close(fd)
        }
    }

    var parkedCount: Int { parked.withLock { $0.count } }

    /// At the end of a stop, for connections nginx has still not closed.
    func closeParked() {
        for fd in parked.withLock({ set in defer { set.removeAll() }; return set }) {
            // Its result does not matter: closing the descriptor takes it out of the set as well.
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
            close(fd)
        }
    }

    /// No worker accepts from the listening socket any more; the kept connections stay watched.
    /// For a stop that cannot shut the socket down (`ListeningSocket.stopAccepting`).
    func stopWatchingListener() {
        // Set first: a worker's `armListener` that races with the removal then fails quietly.
        listenerStopped.store(true, ordering: .sequentiallyConsistent)
        // ENOENT only, should the socket never have been added: then it is not watched either.
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, nil)
    }

    /// Watches the listening socket again (one-shot) after an accept. Should the kernel refuse
    /// (ENOMEM), no new connection would wake a worker: this says so on stderr once, and every
    /// worker tries again at its next wait (within `next`'s timeout) until it succeeds.
    private func armListener() {
        if listenerStopped.load(ordering: .sequentiallyConsistent) { return }
        if watch(listenFD, EPOLL_CTL_MOD) {
            listenerDisarmed.store(false, ordering: .relaxed)
        } else if listenerStopped.load(ordering: .sequentiallyConsistent) {
            return
        } else if !listenerDisarmed.exchange(true, ordering: .relaxed) {
            let line = "studio-booking: epoll_ctl(EPOLL_CTL_MOD) on the listening socket failed: \(errnoText()); retrying\n"
            // Said once; a short write of a line to stderr is nothing to act on.
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        }
    }

    private func watch(_ fd: Int32, _ operation: Int32) -> Bool {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLONESHOT.rawValue
        event.data.fd = fd
        return epoll_ctl(epollFD, operation, fd, &event) == 0
    }
}
