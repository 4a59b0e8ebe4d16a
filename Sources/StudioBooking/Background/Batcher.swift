import Dispatch
import Synchronization

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
/// one in the database (pipelined, `Dispatched.wait`) once as many bookings wait as that one
/// holds: the database then starts it the moment the first commits, instead of idling while the
/// answer travels back and the next batch comes (measured: its backend idle a third of the time).
/// Not sooner: every batch costs the database a fixed amount of work, and sent once three quarters
/// as many waited, batches shrank (7.8 bookings to 5.4, measured) and cost more than the idling saved.
///
/// Who decides what is `CommitterStateMachine`, under one lock; this does the I/O. A committer sleeps
/// in `poll` on its `WakePipe` (and, with a batch in the database, on that batch's connection); a
/// worker sleeps on its ticket's semaphore. `stop` ends the committers.
final class Batcher<Item: Sendable, Answer: Sendable>: Sendable {
    /// Committer threads, each with up to two batches in the database.
    let committers: Int
    /// Bookings per batch at most: a bigger batch holds its customers' locks longer.
    let maxBatchSize: Int
    /// Called once on each committer thread: how that thread sends a batch.
    private let makeSender: @Sendable () -> ([Item]) -> Dispatched<Answer>
    /// The answer to a booking no committer will send (stopped, or none could start), with the reason.
    private let unavailable: @Sendable (String) -> Answer
    private let state: Mutex<State>

    private struct State {
        var machine: CommitterStateMachine<Ticket<Item, Answer>>
        /// Each running committer's, by index.
        var wakePipes: [WakePipe] = []
        var threads: [JoinableThread] = []
    }

    init(
        committers: Int, maxBatchSize: Int, unavailable: @escaping @Sendable (String) -> Answer,
        makeSender: @escaping @Sendable () -> ([Item]) -> Dispatched<Answer>
    ) {
        self.committers = committers
        self.maxBatchSize = maxBatchSize
        self.makeSender = makeSender
        self.unavailable = unavailable
        state = Mutex(State(machine: CommitterStateMachine(committers: committers, maxBatchSize: maxBatchSize)))
    }

    /// Queues `item` for the next batch and waits for its answer.
    func submit(_ item: Item) -> Answer {
        let ticket = Ticket<Item, Answer>(item)
        let refusal: String? = state.withLock { state in
            // On first use, not at start-up: an app that never books (a test, `migrate`) starts no threads.
            if state.threads.isEmpty && !state.machine.isStopping, let failure = start(&state) {
                return "cannot start a committer: \(failure)"
            }
            switch state.machine.bookingQueued(ticket) {
            case .refused:
                return "the committers have stopped"
            case .queued(let wake):
                for index in wake { state.wakePipes[index].signal() }
                return nil
            }
        }
        if let refusal { return unavailable(refusal) }
        ticket.wake.wait()
        return ticket.answer!
    }

    /// Ends the committer threads once they have sent every booking queued so far and handed out
    /// every answer; bookings submitted from now on are answered `unavailable` at once.
    func stop() {
        let threads = state.withLock { state in
            for index in state.machine.stop() { state.wakePipes[index].signal() }
            defer { state.threads = [] }
            return state.threads
        }
        for thread in threads { thread.join() }
        state.withLock { $0.wakePipes = [] }
    }

    /// Starts the committers; the failure, if not even one could start (tried again at the next booking).
    private func start(_ state: inout State) -> SystemCallError? {
        for index in 0..<committers {
            do throws(SystemCallError) {
                let wakePipe = try WakePipe()
                state.threads.append(try JoinableThread { [self] in runCommitter(index, wakePipe) })
                state.wakePipes.append(wakePipe)
            } catch {
                // Those that started serve alone (a committer index never started is never woken).
                return state.threads.isEmpty ? error : nil
            }
        }
        return nil
    }

    /// One committer's loop: does what the state machine says, and reports back.
    private func runCommitter(_ index: Int, _ wakePipe: WakePipe) {
        let send = makeSender()
        // The machine's batches in the database, as the sender returned them: oldest first.
        var inFlight: [Dispatched<Answer>] = []
        var action = state.withLock { $0.machine.next(index) }
        while true {
            switch action {
            case .send(let batch, let thenWake):
                let dispatched = send(batch.map(\.item))
                inFlight.append(dispatched)
                wake(thenWake)
                action = state.withLock { $0.machine.batchSent(index, canWait: dispatched.wait != nil) }
            case .checkAnswer:
                let ready = inFlight[0].isReady()
                action = state.withLock { $0.machine.answerChecked(index, ready: ready) }
            case .receive(let batch, let wakeFirst):
                wake(wakeFirst)
                let answers = inFlight.removeFirst().finish()
                precondition(answers.count == batch.count, "a batch must answer every booking")
                for (ticket, answer) in zip(batch, answers) { ticket.answer = answer }
                action = state.withLock { $0.machine.batchAnswered(index) }
            case .sleep(let wakeFirst, let orAnswer):
                wake(wakeFirst)
                if orAnswer, let wait = inFlight[0].wait {
                    if wait(wakePipe.readFD) { wakePipe.drain() }
                } else {
                    wakePipe.wait()
                }
                action = state.withLock { $0.machine.next(index) }
            case .exit(let wakeFirst):
                wake(wakeFirst)
                return
            }
        }
    }

    private func wake(_ tickets: [Ticket<Item, Answer>]) {
        for ticket in tickets { ticket.wake.signal() }
    }
}

/// A batch on its way to the database.
struct Dispatched<Answer> {
    /// Sleeps until the answer may have come, or the descriptor it is given turns readable (a wake-up:
    /// answers whether it did). Nil when the sender cannot tell: then no second batch goes behind this one.
    let wait: ((_ wakeFD: Int32) -> Bool)?
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
