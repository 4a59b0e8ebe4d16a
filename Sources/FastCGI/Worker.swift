import CFastCGI
import Glibc

/// What a worker thread needs: immutable and `Sendable`, handed over once at start.
struct WorkerContext: Sendable {
    let index: Int
    let listenFD: Int32
    let maxBodySize: Int
    let makeResponder: @Sendable (Int) -> any Responder
}

/// Starts one worker thread. The entry point is a plain function outside `main.swift`, so it does
/// not inherit `@MainActor` (Swift 6 would trap on the worker thread otherwise).
func startWorker(_ context: WorkerContext) throws(ServerError) -> pthread_t {
    let box = Unmanaged.passRetained(ContextBox(context)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, workerEntry, box)
    guard status == 0 else {
        Unmanaged<ContextBox>.fromOpaque(box).release()
        throw ServerError("cannot start worker thread: \(String(cString: strerror(status)))")
    }
    return thread
}

private final class ContextBox: Sendable {
    let context: WorkerContext
    init(_ context: WorkerContext) { self.context = context }
}

private func workerEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let context = Unmanaged<ContextBox>.fromOpaque(argument!).takeRetainedValue().context
    runWorker(context)
    return nil
}

/// The accept loop of one worker: one request at a time, each answered and finished before the next.
private func runWorker(_ context: WorkerContext) {
    guard let slot = try? RequestSlot(listeningOn: context.listenFD) else { return }
    var responder = context.makeResponder(context.index)
    while slot.accept() {
        slot.limitIO(seconds: 5)
        let request = slot.readRequest(maxBodySize: context.maxBodySize)
        slot.write(responder.respond(to: request))
        slot.finish()
    }
}
