import Foundation
import Synchronization

/// Runs `body` on `count` threads of their own, released together through one gate, and returns
/// the results in index order. Threads, not tasks: the cooperative pool would run two at a time here.
public func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let results = Mutex<[Int: T]>([:])
    let gate = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            gate.wait()
            let value = body(index)
            results.withLock { $0[index] = value }
            done.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    for _ in 0..<count { gate.signal() }
    done.wait()
    return results.withLock { dict in (0..<count).map { dict[$0]! } }
}

/// Steady booking traffic from a few threads until stopped, for the fault tests.
public final class Traffic: Sendable {
    public struct Outcome: Sendable {
        public let status: Int
        public let ref: String?
        /// The name this request typed appears in the answer (the form came back whole).
        public let keptForm: Bool
        public let body: String
        /// What tells this request's booking apart in the database (its phone, say), if anything.
        public let key: String
        /// When the request was sent and its answer was in: set by `Traffic`.
        public internal(set) var started = Date.distantPast
        public internal(set) var finished = Date.distantPast

        public init(status: Int, ref: String?, keptForm: Bool, body: String, key: String = "") {
            self.status = status
            self.ref = ref
            self.keptForm = keptForm
            self.body = body
            self.key = key
        }

        /// Whether the request was under way at some moment between `from` and `to`.
        public func overlaps(_ from: Date, _ to: Date) -> Bool { started <= to && finished >= from }
    }

    private let stopFlag = Atomic<Bool>(false)
    private let outcomes = Mutex<[Outcome]>([])
    private let finished = DispatchGroup()

    /// `book(thread, n)` makes one request and tells what happened; nil ends that thread. Each
    /// thread waits `pause` microseconds before each request (not counted in its `started`).
    public init(threads: Int, pause: UInt32 = 0, book: @escaping @Sendable (Int, Int) -> Outcome?) {
        for thread in 0..<threads {
            finished.enter()
            Thread { [self] in
                var n = 0
                while !stopFlag.load(ordering: .relaxed) {
                    if pause > 0 { usleep(pause) }
                    let started = Date()
                    guard var outcome = book(thread, n) else { break }
                    outcome.started = started
                    outcome.finished = Date()
                    outcomes.withLock { [outcome] in $0.append(outcome) }
                    n += 1
                }
                finished.leave()
            }.start()
        }
    }

    public var count: Int { outcomes.withLock { $0.count } }

    /// Stops every thread after its current request and returns what all of them saw.
    public func stop() -> [Outcome] {
        stopFlag.store(true, ordering: .relaxed)
        finished.wait()
        return outcomes.withLock { $0 }
    }
}
