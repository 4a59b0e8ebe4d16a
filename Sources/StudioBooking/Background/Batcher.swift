import Dispatch
import Foundation

/// Group commit for bookings (`App.batcher`). Worker threads hand their bookings to a committer
/// thread and wait; the committer sends whatever has queued up as one batch, one transaction, on a
/// connection of its own, and hands each worker its answer.
///
/// Why: new customers' codes must be gapless, so the counter row is held from a code's issue to
/// its commit, and bookings that issue codes go one commit at a time. In a batch, one commit and one
/// turn of the counter serve every booking in it, and the database does its per-transaction work
/// (round trip, snapshot, commit, WAL flush) once per batch rather than once per booking.
///
/// There is no timer: an idle committer sends a booking at once, alone. Batches form from the
/// bookings that arrive while earlier ones are in the database. A second batch may go behind the
/// one in the database (pipelined, `Dispatched.readyFD`) once as many bookings wait as that one
/// holds: the database then starts it the moment the first commits, instead of idling while the
/// answer travels back and the next batch comes (measured: its backend idle a third of the time).
/// Not sooner: every batch costs the database a fixed amount of work, and sent once three quarters
/// as many waited, batches shrank (7.8 bookings to 5.4, measured) and cost more than the idling saved.
final class Batcher<Item: Sendable, Answer: Sendable>: @unchecked Sendable {
    /// Committer threads, each with up to two batches in the database.
    let committers: Int
    /// Bookings per batch at most: a bigger batch holds its customers' locks longer.
    let maxBatchSize: Int
    /// Called once on each committer thread: how that thread sends a batch.
    private let makeSender: @Sendable () -> ([Item]) -> Dispatched<Answer>

    /// Guards `queue`, `started` and `waiting`, and wakes an idle committer. (`@unchecked
    /// Sendable`: every mutable field is read and written only under this lock.)
    private let condition = NSCondition()
    private var queue: [Ticket<Item, Answer>] = []
    private var started = false
    /// Committers waiting on a batch's answer that want waking once this many bookings queue up.
    private var waiting: [(wake: WakePipe, count: Int)] = []

    init(committers: Int, maxBatchSize: Int, makeSender: @escaping @Sendable () -> ([Item]) -> Dispatched<Answer>) {
        precondition(committers >= 1 && maxBatchSize >= 1)
        self.committers = committers
        self.maxBatchSize = maxBatchSize
        self.makeSender = makeSender
    }

    /// Queues `item` for the next batch and waits for its answer.
    func submit(_ item: Item) -> Answer {
        let ticket = Ticket<Item, Answer>(item)
        condition.lock()
        if !started {
            // On first use, not at start-up: an app that never books (a test, `migrate`) starts no threads.
            started = true
            for _ in 0..<committers { startCommitter() }
        }
        queue.append(ticket)
        condition.signal()
        waiting.removeAll { committer in
            guard queue.count >= committer.count else { return false }
            committer.wake.signal()
            return true
        }
        condition.unlock()
        ticket.wake.wait()
        return ticket.answer!
    }

    private func startCommitter() {
        Thread.detachNewThread { [self] in
            let send = makeSender()
            let wakePipe = WakePipe()
            // Batches in the database, oldest first: one, or two when the second was pipelined.
            var inFlight: [(tickets: [Ticket<Item, Answer>], dispatched: Dispatched<Answer>)] = []
            // Answered, but their workers not yet woken: waking them costs the committer its CPU for
            // a while, so it happens once the next batch is on its way, or before the committer waits.
            var answered: [Ticket<Item, Answer>] = []
            func dispatch(_ batch: [Ticket<Item, Answer>]) {
                inFlight.append((batch, send(batch.map(\.item))))
                wake(&answered)
            }
            while true {
                if inFlight.isEmpty {
                    if let batch = take(atLeast: 1) {
                        dispatch(batch)
                    } else {
                        wake(&answered)
                        dispatch(takeWaiting())
                    }
                    continue
                }
                if inFlight.count == 1, let readyFD = inFlight[0].dispatched.readyFD {
                    let enough = inFlight[0].tickets.count
                    if let batch = take(atLeast: enough) {
                        dispatch(batch)
                        continue
                    }
                    if !inFlight[0].dispatched.isReady() {
                        wake(&answered)
                        waitForAnswer(readyFD, orBookings: enough, wakePipe)
                        continue  // either way, look again
                    }
                }
                let (tickets, dispatched) = inFlight.removeFirst()
                if !dispatched.isReady() { wake(&answered) }
                let answers = dispatched.finish()
                precondition(answers.count == tickets.count, "a batch must answer every booking")
                for (ticket, answer) in zip(tickets, answers) { ticket.answer = answer }
                answered += tickets
            }
        }
    }

    private func wake(_ tickets: inout [Ticket<Item, Answer>]) {
        for ticket in tickets { ticket.wake.signal() }
        tickets.removeAll(keepingCapacity: true)
    }

    /// Up to `maxBatchSize` of the queued bookings, oldest first, if at least `count` are queued.
    private func take(atLeast count: Int) -> [Ticket<Item, Answer>]? {
        condition.lock()
        defer { condition.unlock() }
        guard queue.count >= count else { return nil }
        return takeLocked()
    }

    /// Waits until something is queued, then takes it.
    private func takeWaiting() -> [Ticket<Item, Answer>] {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty { condition.wait() }
        return takeLocked()
    }

    private func takeLocked() -> [Ticket<Item, Answer>] {
        let count = min(maxBatchSize, queue.count)
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        return batch
    }

    /// Sleeps until the batch's answer can be read (`readyFD` readable) or `count` bookings queue up.
    private func waitForAnswer(_ readyFD: Int32, orBookings count: Int, _ wakePipe: WakePipe) {
        condition.lock()
        if queue.count >= count {
            condition.unlock()
            return
        }
        waiting.append((wakePipe, count))
        condition.unlock()
        var fds = [pollfd(fd: readyFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakePipe.readFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, -1)
        condition.lock()
        waiting.removeAll { $0.wake === wakePipe }
        condition.unlock()
        wakePipe.drain()
    }
}

/// A batch on its way to the database.
struct Dispatched<Answer> {
    /// Turns readable when the answer arrives; nil when the sender cannot tell (then no second
    /// batch is sent behind this one).
    let readyFD: Int32?
    /// Whether `finish` would return without waiting.
    let isReady: () -> Bool
    /// Waits for the answers: every item's, in order.
    let finish: () -> [Answer]
}

/// One booking waiting for its answer.
///
/// `answer` is written by the committer before it signals `wake`, and read by the worker only after
/// `wake.wait()` returns: the semaphore orders the two, so no lock is needed.
private final class Ticket<Item: Sendable, Answer: Sendable>: @unchecked Sendable {
    let item: Item
    let wake = DispatchSemaphore(value: 0)
    var answer: Answer?

    init(_ item: Item) { self.item = item }
}

/// Wakes a committer out of `poll`. Owns its pipe's two descriptors and closes them in `deinit`.
private final class WakePipe: @unchecked Sendable {
    let readFD: Int32
    private let writeFD: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        // A committer that cannot make its pipe cannot run at all: there is nothing to fall back on.
        precondition(pipe(&fds) == 0, "cannot create the committer's wake pipe")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    func signal() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buffer, buffer.count) > 0 {}
    }
}
