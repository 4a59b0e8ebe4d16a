/// The committers' decisions without their I/O, in the manner of postgres-nio's `PoolStateMachine`:
/// `Batcher` tells it what happened (a booking queued, a batch sent, an answer checked or read, a
/// stop) under one lock, and does what it answers. No threads, locks or descriptors here, so tests
/// drive it one step at a time (`CommitterStateMachineTests`).
///
/// The rules, each measured (bench/README.md, "Measured — kept connections and pipelined batches"):
/// - An idle committer sends a booking at once, alone: there is no timer.
/// - A second batch goes behind the one in the database once as many bookings wait as that one
///   holds, never sooner (sooner shrank batches and cost more than the idling saved), and never a third.
/// - Answered workers are woken after the next batch is sent, or before the committer waits, as
///   waking them costs the committer its CPU for a while (~100 µs for 8) with the database idle.
struct CommitterStateMachine<Booking> {
    /// What the committer `k` should do next.
    enum Action {
        /// Send these bookings as one batch (behind the one in the database, if any), wake
        /// `thenWake`'s workers, then report `batchSent`.
        case send([Booking], thenWake: [Booking])
        /// Look, without waiting, whether the oldest batch's answer has come; report `answerChecked`.
        case checkAnswer
        /// Wake `wakeFirst`'s workers, wait for the oldest batch's answers (`batch`'s), hand them
        /// out, then report `batchAnswered`.
        case receive(batch: [Booking], wakeFirst: [Booking])
        /// Wake `wakeFirst`'s workers, then sleep until woken (a `bookingQueued` or `stop` names this
        /// committer) or, with `orAnswer`, until the oldest batch's answer may have come; then `next`.
        case sleep(wakeFirst: [Booking], orAnswer: Bool)
        /// Wake `wakeFirst`'s workers and end: stopped, with nothing left to send or answer.
        case exit(wakeFirst: [Booking])
    }

    /// What `bookingQueued` did.
    enum Queued: Equatable {
        /// Queued; wake these sleeping committers.
        case queued(wake: Committers)
        /// Stopped: not queued, and nobody will send it.
        case refused
    }

    /// A set of committers by index (`BOOKING_BATCH_COMMITTERS` allows 64 at most): waking them costs no allocation.
    struct Committers: Sequence, Equatable {
        private(set) var bits: UInt64 = 0
        mutating func insert(_ index: Int) { bits |= 1 << UInt64(index) }
        var isEmpty: Bool { bits == 0 }

        func makeIterator() -> Iterator { Iterator(rest: bits) }

        struct Iterator: IteratorProtocol {
            var rest: UInt64
            mutating func next() -> Int? {
                guard rest != 0 else { return nil }
                defer { rest &= rest - 1 }
                return rest.trailingZeroBitCount
            }
        }
    }

    private struct Committer {
        /// Batches in the database, oldest first: one, or two when the second was pipelined.
        /// `canWait`: the sender can sleep until its answer may have come (`Dispatched.wait`).
        var inFlight: [(batch: [Booking], canWait: Bool)] = []
        /// Answered, but their workers not yet woken.
        var answered: [Booking] = []
        /// Asleep, to be woken once this many bookings queue up; nil when awake.
        var wakeAt: Int?
    }

    let maxBatchSize: Int
    private var queue: [Booking] = []
    private var committers: [Committer]
    private(set) var isStopping = false

    init(committers: Int, maxBatchSize: Int) {
        precondition((1...64).contains(committers) && maxBatchSize >= 1)
        self.committers = Array(repeating: Committer(), count: committers)
        self.maxBatchSize = maxBatchSize
    }

    var queuedCount: Int { queue.count }

    // MARK: - Events

    /// A worker queues its booking: it wakes the committers it is the last one waited for.
    /// One idle committer at most, as one suffices to take the whole queue.
    mutating func bookingQueued(_ booking: Booking) -> Queued {
        guard !isStopping else { return .refused }
        queue.append(booking)
        var wake = Committers()
        var idleWoken = false
        for index in committers.indices {
            guard let wakeAt = committers[index].wakeAt, queue.count >= wakeAt else { continue }
            let idle = committers[index].inFlight.isEmpty
            if idle && idleWoken { continue }
            idleWoken = idleWoken || idle
            committers[index].wakeAt = nil
            wake.insert(index)
        }
        return .queued(wake: wake)
    }

    /// What committer `k` does now: after it woke, or once its answered workers were woken.
    mutating func next(_ k: Int) -> Action {
        committers[k].wakeAt = nil
        let inFlight = committers[k].inFlight
        if inFlight.isEmpty {
            if !queue.isEmpty { return send(k) }
            if isStopping { return .exit(wakeFirst: takeAnswered(k)) }
            committers[k].wakeAt = 1
            return .sleep(wakeFirst: takeAnswered(k), orAnswer: false)
        }
        if inFlight.count == 1 && inFlight[0].canWait && queue.count >= inFlight[0].batch.count {
            return send(k)
        }
        return .checkAnswer
    }

    /// `send`'s batch is on its way; `canWait` as `Dispatched.wait` is there.
    mutating func batchSent(_ k: Int, canWait: Bool) -> Action {
        committers[k].inFlight[committers[k].inFlight.count - 1].canWait = canWait
        return next(k)
    }

    /// Whether the oldest batch's answer has come (`checkAnswer`).
    mutating func answerChecked(_ k: Int, ready: Bool) -> Action {
        let inFlight = committers[k].inFlight
        guard !ready else { return .receive(batch: inFlight[0].batch, wakeFirst: []) }
        guard inFlight.count == 1 && inFlight[0].canWait else {
            return .receive(batch: inFlight[0].batch, wakeFirst: takeAnswered(k))
        }
        // The bookings that queued while it looked may be enough already.
        let enough = inFlight[0].batch.count
        if queue.count >= enough { return send(k) }
        committers[k].wakeAt = enough
        return .sleep(wakeFirst: takeAnswered(k), orAnswer: true)
    }

    /// The oldest batch's workers have their answers (`receive`); they are woken later.
    mutating func batchAnswered(_ k: Int) -> Action {
        let (batch, _) = committers[k].inFlight.removeFirst()
        // Usually none are waiting to be woken: then the batch's array is taken as it is.
        if committers[k].answered.isEmpty { committers[k].answered = batch } else { committers[k].answered += batch }
        return next(k)
    }

    /// No more bookings are taken; committers send what is queued, hand out every answer, then
    /// `exit`. Answers the sleeping committers, to wake.
    mutating func stop() -> Committers {
        isStopping = true
        var wake = Committers()
        for index in committers.indices where committers[index].wakeAt != nil {
            committers[index].wakeAt = nil
            wake.insert(index)
        }
        return wake
    }

    // MARK: - Private

    /// Up to `maxBatchSize` of the queued bookings, oldest first, and the answered workers to wake after.
    private mutating func send(_ k: Int) -> Action {
        let count = min(maxBatchSize, queue.count)
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        committers[k].inFlight.append((batch, false))
        return .send(batch, thenWake: takeAnswered(k))
    }

    private mutating func takeAnswered(_ k: Int) -> [Booking] {
        defer { committers[k].answered = [] }
        return committers[k].answered
    }
}

/// For tests, which compare what the machine says with what they expect.
extension CommitterStateMachine.Action: Equatable where Booking: Equatable {}
