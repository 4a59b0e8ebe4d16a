import Glibc

/// A background thread that `join` waits for: what makes a stop complete. A plain pthread, since
/// Foundation's detached threads cannot be waited for.
struct JoinableThread: Sendable {
    private let thread: pthread_t

    init(_ body: @escaping @Sendable () -> Void) throws(SystemCallError) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        // pthread_create answers an error number rather than setting errno.
        let status = pthread_create(&thread, nil, { Unmanaged<Body>.fromOpaque($0!).takeRetainedValue().run(); return nil }, box)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            throw SystemCallError(call: "pthread_create", code: status)
        }
        self.thread = thread
    }

    /// Waits for the thread to end. Each thread is joined once, by whoever stops it.
    func join() {
        let status = pthread_join(thread, nil)
        // Fails only for a thread already joined or joining itself: a bug in the caller.
        precondition(status == 0, "pthread_join: \(String(cString: strerror(status)))")
    }

    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
