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
/// There is no timer: an idle committer sends a booking at once, alone. Batches form only from the
/// bookings that arrive while the previous batch is in the database, so waiting here costs no more
/// than waiting in the database would. The committer is always running when work is queued, so
/// no thread has to be woken between one batch and the next.
final class Batcher<Item: Sendable, Answer: Sendable>: @unchecked Sendable {
    /// Committer threads, each with a batch in the database at most.
    let committers: Int
    /// Bookings per batch at most: a bigger batch holds its customers' locks longer.
    let maxBatchSize: Int
    /// Called once on each committer thread: how that thread sends a batch. Sending returns what
    /// waits for the batch's answers, every item's, in order.
    private let makeSender: @Sendable () -> ([Item]) -> () -> [Answer]

    /// Guards `queue` and `started`, and wakes an idle committer. (`@unchecked Sendable`: every
    /// mutable field is read and written only under this lock.)
    private let condition = NSCondition()
    private var queue: [Ticket<Item, Answer>] = []
    private var started = false

    init(committers: Int, maxBatchSize: Int, makeSender: @escaping @Sendable () -> ([Item]) -> () -> [Answer]) {
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
        condition.unlock()
        ticket.wake.wait()
        return ticket.answer!
    }

    private func startCommitter() {
        Thread.detachNewThread { [self] in
            let send = makeSender()
            // The batch before, answered; its workers are woken once the next batch is on its way,
            // as waking them costs the committer its CPU for a while, and the database would wait.
            var answered: [Ticket<Item, Answer>] = []
            while true {
                let batch: [Ticket<Item, Answer>]
                if let queued = nextBatch(waiting: false) {
                    batch = queued
                } else {
                    wake(answered)
                    answered = []
                    batch = nextBatch(waiting: true)!
                }
                let finish = send(batch.map(\.item))
                wake(answered)
                let answers = finish()
                precondition(answers.count == batch.count, "a batch must answer every booking")
                for (ticket, answer) in zip(batch, answers) { ticket.answer = answer }
                answered = batch
            }
        }
    }

    private func wake(_ tickets: [Ticket<Item, Answer>]) {
        for ticket in tickets { ticket.wake.signal() }
    }

    /// Everything queued, up to `maxBatchSize`, oldest first; nil if nothing is and not `waiting`.
    private func nextBatch(waiting: Bool) -> [Ticket<Item, Answer>]? {
        condition.lock()
        defer { condition.unlock() }
        if queue.isEmpty && !waiting { return nil }
        while queue.isEmpty { condition.wait() }
        let count = min(maxBatchSize, queue.count)
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        return batch
    }
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
