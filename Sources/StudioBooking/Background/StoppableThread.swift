import Synchronization

/// One background thread that runs until `stop`: started at most once, woken out of its waits by
/// `wake` (to stop, or for work), and joined by `stop`. The search refresher and the schedule
/// listener are each one.
final class StoppableThread: Sendable {
    /// The thread's wake-up: signalled by `stop`, and by whoever has work for it.
    let wake: WakePipe
    private let state = Mutex<(started: JoinableThread?, stopping: Bool)>((nil, false))

    init() throws(SystemCallError) {
        wake = try WakePipe()
    }

    /// Starts `body` on the thread, unless it was started or stopped already.
    func start(_ body: @escaping @Sendable () -> Void) throws(SystemCallError) {
        try state.withLock { (state) throws(SystemCallError) in
            guard state.started == nil && !state.stopping else { return }
            state.started = try JoinableThread(body)
        }
    }

    /// Tells the thread to end, wakes it, and waits for it. A thread never started, or stopped
    /// already, has nothing to end.
    func stop() {
        let started = state.withLock { state in
            state.stopping = true
            defer { state.started = nil }
            return state.started
        }
        wake.signal()
        started?.join()
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Sleeps `milliseconds`, or less if woken: answers whether it is to stop. Looked at before the
    /// wait too: a wake-up drained by an earlier wait would not end this one.
    func sleep(milliseconds: Int32) -> Bool {
        guard !isStopping else { return true }
        wake.wait(timeoutMS: milliseconds)
        return isStopping
    }
}
