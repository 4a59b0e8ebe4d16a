import CFastCGI
import Glibc
import HTTPMessages

/// The FastCGI responder: `FCGX_Init` once, then N worker threads, each waiting on the shared
/// `ConnectionPoller` and reading each request with libfcgi, with its own request slot and its own
/// `Responder`.
public struct Server: Sendable {
    public let address: ListenAddress
    public let workers: Int
    public let maxBodySize: Int

    public init(address: ListenAddress, workers: Int, maxBodySize: Int) {
        self.address = address
        self.workers = max(1, workers)
        self.maxBodySize = maxBodySize
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish and returns.
    /// `makeResponder` runs on each worker thread, so what it makes stays on that thread.
    public func run(makeResponder: @escaping @Sendable (Int) -> any Responder) throws(ServerError) {
        guard FCGX_Init() == 0 else { throw ServerError("FCGX_Init failed") }
        // libfcgi's own SIGTERM handler wakes one thread at most: block the stop signals in every
        // thread (the mask is inherited) and wait for them here, in one place.
        var stopSignals = sigset_t()
        try syscall("sigemptyset") { sigemptyset(&stopSignals) }
        try syscall("sigaddset(SIGTERM)") { sigaddset(&stopSignals, SIGTERM) }
        try syscall("sigaddset(SIGINT)") { sigaddset(&stopSignals, SIGINT) }
        // pthread_sigmask and sigwait answer an error number rather than setting errno.
        let masked = pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        guard masked == 0 else { throw ServerError("pthread_sigmask failed: \(String(cString: strerror(masked)))") }
        // A web server that hangs up mid-response must not kill the process.
        // (SIG_ERR is the handler -1; Swift compares C function pointers by their bits only.)
        guard unsafeBitCast(signal(SIGPIPE, SIG_IGN), to: Int.self) != -1 else {
            throw ServerError("signal(SIGPIPE) failed: \(errnoText())")
        }

        let socket = try ListeningSocket.open(address)
        defer { socket.removeSocketFile() }

        let poller = try ConnectionPoller(listenFD: socket.fd, isTCP: try socket.isTCP())
        let stopping = StopFlag()
        // Every slot before any thread: a worker that could not have one would serve nothing.
        var slots: [RequestSlot] = []
        for _ in 0..<workers { slots.append(try RequestSlot()) }
        var threads: [pthread_t] = []
        for (index, slot) in slots.enumerated() {
            let context = WorkerContext(
                index: index, poller: poller, maxBodySize: maxBodySize, makeResponder: makeResponder,
                stopping: stopping)
            threads.append(try startWorker(context, slot: slot))
        }
        slots = []

        var received: Int32 = 0
        var waited = sigwait(&stopSignals, &received)
        while waited == EINTR { waited = sigwait(&stopSignals, &received) }
        guard waited == 0 else { throw ServerError("sigwait failed: \(String(cString: strerror(waited)))") }
        // Graceful stop: no new connections, answer the ones already queued, then stop accepting.
        // Requests in flight finish before their thread returns. Connections nginx keeps open are
        // served until nginx closes them (it can open no new ones to this responder), at most
        // StopFlag.keptConnectionsGrace seconds.
        if socket.removeSocketFile() {
            socket.waitForQueuedConnections(upTo: 10)
        }
        stopping.set()
        // Connections still queued on an inherited socket stay there for the next responder.
        poller.stopWatchingListener()
        socket.stopAccepting()
        for thread in threads {
            // Fails only for a thread that is not joinable, or joined already: none here.
            let joined = pthread_join(thread, nil)
            precondition(joined == 0, "pthread_join: \(String(cString: strerror(joined)))")
        }
    }
}
