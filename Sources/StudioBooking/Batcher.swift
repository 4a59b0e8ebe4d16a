import Dispatch
import Synchronization

/// Group commit for bookings (`App.batcher`). While a batch of bookings is in the database, the bookings that
/// arrive on other worker threads wait here; when it is done, they go together, as one transaction.
///
/// Why: new customers' codes must be gapless, so the counter row is held from a code's issue to its
/// commit, and bookings that issue codes go one commit at a time. In a batch, one commit and one
/// turn of the counter serve every booking in it, and the database does the per-transaction work
/// (round trip, snapshot, commit, WAL flush) once per batch rather than once per booking.
///
/// There is no timer: an idle responder sends a booking at once, alone. Batches form only from
/// bookings that would otherwise queue behind the ones in flight, so waiting here costs no more
/// than waiting in the database would.
///
/// No extra thread either: the worker that finds no batch in flight leads one, on its own
/// connection, and hands the lead to the first waiting booking's worker when it is done.
public final class Batcher<Item: Sendable, Answer: Sendable>: Sendable {
    /// Batches in the database at once, per responder process.
    public let concurrentBatches: Int
    /// Bookings per batch at most: a bigger batch holds its customers' locks longer.
    public let maxBatchSize: Int

    private struct State {
        var waiting: [Ticket<Item, Answer>] = []
        /// Batches running now. Bookings wait only while this is `concurrentBatches`.
        var running = 0
    }
    private let state = Mutex(State())

    public init(concurrentBatches: Int = 2, maxBatchSize: Int = 32) {
        precondition(concurrentBatches >= 1 && maxBatchSize >= 1)
        self.concurrentBatches = concurrentBatches
        self.maxBatchSize = maxBatchSize
    }

    /// Books `item`, alone or in a batch with others. `run` is how this worker would send a batch on
    /// its own connection: it is called on this thread, at most once, if this booking leads one.
    /// It answers every item, in order.
    public func book(_ item: Item, run: ([Item]) -> [Answer]) -> Answer {
        let ticket = Ticket<Item, Answer>(item)
        var batch: [Ticket<Item, Answer>]? = state.withLock { state in
            if state.running < concurrentBatches {
                // Nothing waits while a batch could start (see `lead`): this booking goes alone.
                state.running += 1
                return [ticket]
            }
            state.waiting.append(ticket)
            return nil
        }
        if batch == nil {
            ticket.wake.wait()
            batch = ticket.lead
        }
        if let batch { lead(batch, run: run) }
        return ticket.answer!
    }

    /// Runs the batch (whose first ticket is this thread's), passes the lead on to the oldest waiting
    /// booking with as many of the others as fit, then wakes the batch's other bookings.
    private func lead(_ batch: [Ticket<Item, Answer>], run: ([Item]) -> [Answer]) {
        let answers = run(batch.map(\.item))
        precondition(answers.count == batch.count, "a batch must answer every booking")
        for (ticket, answer) in zip(batch, answers) { ticket.answer = answer }

        let next: [Ticket<Item, Answer>]? = state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            let count = min(maxBatchSize, state.waiting.count)
            let next = Array(state.waiting.prefix(count))
            state.waiting.removeFirst(count)
            return next
        }
        if let next {
            next[0].lead = next
            next[0].wake.signal()
        }
        for ticket in batch.dropFirst() { ticket.wake.signal() }
    }
}

/// One booking waiting for its answer, or for the lead of a batch.
///
/// `answer` and `lead` are written by one thread before it signals `wake`, and read by the owner
/// only after `wake.wait()` returns: the semaphore orders the two, so no lock is needed.
private final class Ticket<Item: Sendable, Answer: Sendable>: @unchecked Sendable {
    let item: Item
    let wake = DispatchSemaphore(value: 0)
    var answer: Answer?
    var lead: [Ticket]?

    init(_ item: Item) { self.item = item }
}
