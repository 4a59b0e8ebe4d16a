import CFastCGI
import Glibc
import HTTPMessages
import Synchronization

/// What a worker thread needs: immutable and `Sendable`, handed over once at start.
struct WorkerContext: Sendable {
    let index: Int
    let poller: ConnectionPoller
    let maxBodySize: Int
    let makeResponder: @Sendable (Int) -> any Responder
    let stopping: StopFlag
}

/// Set once, when the server begins to stop; every worker reads it.
final class StopFlag: Sendable {
    private let since = Atomic<Int>(0)  // CLOCK_MONOTONIC seconds, +1 so that 0 means "not set"

    /// How long kept connections are served after the stop began (after the queued connections
    /// were answered, `Server.run`), for nginx to close them itself
    /// (its upstream keepalive_timeout, or keepalive_requests under traffic): after that they are closed.
    static let keptConnectionsGrace = 10

    var isSet: Bool { since.load(ordering: .relaxed) != 0 }
    var graceIsOver: Bool { isSet && Self.now() + 1 - since.load(ordering: .relaxed) >= Self.keptConnectionsGrace }
    func set() { since.store(Self.now() + 1, ordering: .relaxed) }

    private static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec
    }
}

/// Starts one worker thread. The entry point is a plain function outside `main.swift`, so it does
/// not inherit `@MainActor` (Swift 6 would trap on the worker thread otherwise).
func startWorker(_ context: WorkerContext, slot: RequestSlot) throws(ServerError) -> pthread_t {
    let box = Unmanaged.passRetained(ContextBox(context, slot: slot)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, workerEntry, box)
    guard status == 0 else {
        Unmanaged<ContextBox>.fromOpaque(box).release()
        throw ServerError("cannot start worker thread: \(String(cString: strerror(status)))")
    }
    return thread
}

/// (`@unchecked Sendable`: the slot goes to the new thread once, and no other thread keeps it.)
private final class ContextBox: @unchecked Sendable {
    let context: WorkerContext
    let slot: RequestSlot
    init(_ context: WorkerContext, slot: RequestSlot) {
        self.context = context
        self.slot = slot
    }
}

private func workerEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let box = Unmanaged<ContextBox>.fromOpaque(argument!).takeRetainedValue()
    runWorker(box.context, slot: box.slot)
    return nil
}

/// The loop of one worker: one request at a time, each answered and finished before the next.
/// Between requests it waits with the others on the poller; when the server stops, it goes on
/// serving the connections nginx still keeps open, until nginx has closed them.
private func runWorker(_ context: WorkerContext, slot: RequestSlot) {
    var responder = context.makeResponder(context.index)
    while true {
        guard let ready = context.poller.next(timeoutMS: 500) else {
            if context.stopping.isSet {
                if context.poller.parkedCount == 0 { return }
                if context.stopping.graceIsOver {
                    context.poller.closeParked()
                    return
                }
            }
            continue
        }
        if ready.isNew && !RequestSlot.limitIO(ready.fd, seconds: 5) {
            close(ready.fd)
            continue
        }
        guard slot.accept(on: ready.fd) else { continue }
        let request = slot.readRequest(maxBodySize: context.maxBodySize)
        slot.write(responder.respond(to: request))
        if let kept = slot.finish() {
            // Past the grace, a stopping server keeps nothing, even from a peer that never stops sending.
            if context.stopping.graceIsOver { close(kept) } else { context.poller.park(kept) }
        }
    }
}
