import Testing
@testable import StudioBooking

/// The committers' rules, step by step, with no thread or database: bookings are numbers.
@Suite struct CommitterStateMachineTests {
    typealias Machine = CommitterStateMachine<Int>

    /// The batch a `send` names, and the workers it wakes after; nil for any other action.
    static func sent(_ action: Machine.Action) -> (batch: [Int], thenWake: [Int])? {
        if case .send(let batch, let thenWake) = action { return (batch, thenWake) }
        return nil
    }

    static func sleeps(_ action: Machine.Action) -> (wakeFirst: [Int], orAnswer: Bool)? {
        if case .sleep(let wakeFirst, let orAnswer) = action { return (wakeFirst, orAnswer) }
        return nil
    }

    static func receives(_ action: Machine.Action) -> (batch: [Int], wakeFirst: [Int])? {
        if case .receive(let batch, let wakeFirst) = action { return (batch, wakeFirst) }
        return nil
    }

    static func woken(_ queued: Machine.Queued) -> [Int] {
        if case .queued(let wake) = queued { return Array(wake) }
        return []
    }

    @Test func anIdleCommitterSleepsThenSendsTheFirstBookingAtOnceAndAlone() {
        var machine = Machine(committers: 1, maxBatchSize: 8)
        #expect(Self.sleeps(machine.next(0))! == ([], false))
        #expect(Self.woken(machine.bookingQueued(1)) == [0])
        #expect(Self.sent(machine.next(0))! == ([1], []))
    }

    @Test func aSecondBatchGoesOnlyOnceAsManyWaitAsTheFirstHolds() {
        var machine = Machine(committers: 1, maxBatchSize: 8)
        for booking in 1...3 { _ = machine.bookingQueued(booking) }
        #expect(Self.sent(machine.next(0))!.batch == [1, 2, 3])
        _ = machine.bookingQueued(4)
        _ = machine.bookingQueued(5)
        // Two wait, the batch holds three: look at the answer, and sleep on it or on a third booking.
        #expect(machine.batchSent(0, canWait: true) == .checkAnswer)
        #expect(Self.sleeps(machine.answerChecked(0, ready: false))! == ([], true))
        #expect(Self.woken(machine.bookingQueued(6)) == [0], "the third booking wakes it")
        #expect(Self.sent(machine.next(0))!.batch == [4, 5, 6])
        // Never a third batch in the database, however many wait.
        for booking in 7...20 { _ = machine.bookingQueued(booking) }
        #expect(machine.batchSent(0, canWait: true) == .checkAnswer)
        #expect(Self.receives(machine.answerChecked(0, ready: false))! == ([1, 2, 3], []))
    }

    @Test func noBatchGoesBehindOneTheSenderCannotWaitFor() {
        var machine = Machine(committers: 1, maxBatchSize: 8)
        _ = machine.bookingQueued(1)
        _ = machine.next(0)
        for booking in 2...9 { _ = machine.bookingQueued(booking) }
        #expect(machine.batchSent(0, canWait: false) == .checkAnswer)
        #expect(Self.receives(machine.answerChecked(0, ready: false))! == ([1], []))
    }

    @Test func answeredWorkersWakeAfterTheNextBatchIsSentOrBeforeTheCommitterWaits() {
        var machine = Machine(committers: 1, maxBatchSize: 8)
        _ = machine.bookingQueued(1)
        _ = machine.next(0)
        _ = machine.batchSent(0, canWait: true)
        #expect(Self.receives(machine.answerChecked(0, ready: true))! == ([1], []), "answered: nobody to wake first")
        _ = machine.bookingQueued(2)
        #expect(Self.sent(machine.batchAnswered(0))! == ([2], [1]), "1's worker wakes once 2 is sent")
        // Nothing queued: 2's worker wakes before the committer sleeps.
        _ = machine.batchSent(0, canWait: true)
        _ = machine.answerChecked(0, ready: true)
        #expect(Self.sleeps(machine.batchAnswered(0))! == ([2], false))
    }

    @Test func aBatchTakesAtMostMaxBatchSizeOldestFirst() {
        var machine = Machine(committers: 1, maxBatchSize: 3)
        for booking in 1...5 { _ = machine.bookingQueued(booking) }
        #expect(Self.sent(machine.next(0))!.batch == [1, 2, 3])
        #expect(machine.queuedCount == 2)
    }

    @Test func oneBookingWakesOneIdleCommitter() {
        var machine = Machine(committers: 3, maxBatchSize: 8)
        for committer in 0..<3 { _ = machine.next(committer) }
        #expect(Self.woken(machine.bookingQueued(1)) == [0])
        #expect(Self.woken(machine.bookingQueued(2)) == [1])
    }

    @Test func aStopWakesTheSleepersRefusesNewBookingsAndSendsWhatIsQueuedFirst() {
        var machine = Machine(committers: 2, maxBatchSize: 8)
        _ = machine.next(0)
        _ = machine.next(1)
        #expect(Self.woken(machine.bookingQueued(1)) == [0])
        #expect(Array(machine.stop()) == [1], "committer 0 was woken already")
        #expect(machine.bookingQueued(2) == .refused)
        #expect(Self.sent(machine.next(0))!.batch == [1])
        #expect(machine.batchSent(0, canWait: true) == .checkAnswer)
        #expect(Self.sleeps(machine.answerChecked(0, ready: false))! == ([], true), "its answer still ends the sleep")
        _ = machine.next(0)
        _ = machine.answerChecked(0, ready: true)
        guard case .exit(let wakeFirst) = machine.batchAnswered(0) else {
            Issue.record("a stopped committer with nothing left ends")
            return
        }
        #expect(wakeFirst == [1])
        #expect(machine.next(1) == .exit(wakeFirst: []))
    }
}
