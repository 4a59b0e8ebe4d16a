import Dispatch
import Foundation
import Synchronization
import Testing
@testable import StudioBooking

/// The group-commit queue on its own: a sender that takes a while stands in for the database, as
/// the point here is who waits for whom, not what a booking does (that is BatchBookingTests).
@Suite struct BatcherTests {
    /// Submits `count` items from as many threads at once; returns each item's answer.
    static func submitTogether(_ batcher: Batcher<Int, Int>, count: Int) -> [Int: Int] {
        let answers = Mutex<[Int: Int]>([:])
        let done = DispatchGroup()
        for item in 0..<count {
            done.enter()
            Thread.detachNewThread {
                let answer = batcher.submit(item)
                answers.withLock { $0[item] = answer }
                done.leave()
            }
        }
        done.wait()
        return answers.withLock { $0 }
    }

    @Test func everyItemGetsItsOwnAnswerAndWaitingItemsGoTogether() {
        let batches = Mutex<[[Int]]>([])
        let batcher = Batcher<Int, Int>(committers: 1, maxBatchSize: 8, unavailable: { _ in -1 }) {
            { items in
                batches.withLock { $0.append(items) }
                return Dispatched(wait: nil, isReady: { false }) {
                    usleep(3_000)  // in the database for a while: the others queue up meanwhile
                    return items.map { $0 * 10 }
                }
            }
        }
        defer { batcher.stop() }
        let answers = Self.submitTogether(batcher, count: 64)

        #expect(answers == Dictionary(uniqueKeysWithValues: (0..<64).map { ($0, $0 * 10) }))
        let sent = batches.withLock { $0 }
        #expect(sent.flatMap { $0 }.sorted() == Array(0..<64), "each item sent exactly once")
        #expect(sent.allSatisfy { $0.count <= 8 }, "no batch above maxBatchSize")
        #expect(sent.count < 64, "items that queued behind a batch went together: \(sent.map(\.count))")
    }

    @Test func anIdleBatcherSendsAnItemAtOnceAndAlone() {
        let batches = Mutex<[[Int]]>([])
        let batcher = Batcher<Int, Int>(committers: 1, maxBatchSize: 8, unavailable: { _ in -1 }) {
            { items in
                batches.withLock { $0.append(items) }
                return Dispatched(wait: nil, isReady: { true }) { items }
            }
        }
        defer { batcher.stop() }
        #expect(batcher.submit(7) == 7)
        #expect(batcher.submit(8) == 8)
        #expect(batches.withLock { $0 } == [[7], [8]])
    }

    @Test func severalCommittersEachSendTheirOwnBatches() {
        let inFlight = Mutex((now: 0, most: 0))
        let batcher = Batcher<Int, Int>(committers: 2, maxBatchSize: 4, unavailable: { _ in -1 }) {
            { items in
                inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                return Dispatched(wait: nil, isReady: { false }) {
                    usleep(50_000)  // long enough for the other committer to wake, even on a busy machine
                    inFlight.withLock { $0.now -= 1 }
                    return items.map { -$0 }
                }
            }
        }
        defer { batcher.stop() }
        let answers = Self.submitTogether(batcher, count: 32)
        #expect(answers == Dictionary(uniqueKeysWithValues: (0..<32).map { ($0, -$0) }))
        #expect(inFlight.withLock { $0.most } == 2)
    }

    /// A database stand-in that runs batches one after another, as PostgreSQL runs a pipeline: a
    /// batch takes 20 ms from when it was sent or when the batch before it finished, whichever is
    /// later, and its descriptor turns readable then.
    final class PipelinedDatabase: @unchecked Sendable {
        private let lock = NSLock()
        private var lastFinish = DispatchTime.now()
        private(set) var inFlight = 0
        private(set) var mostInFlight = 0
        private(set) var batches: [[Int]] = []

        func send(_ items: [Int]) -> Dispatched<Int> {
            var pair: [Int32] = [-1, -1]
            precondition(pipe(&pair) == 0)
            let (readFD, writeFD) = (pair[0], pair[1])
            lock.lock()
            let finishAt = max(DispatchTime.now(), lastFinish) + .milliseconds(20)
            lastFinish = finishAt
            inFlight += 1
            mostInFlight = max(mostInFlight, inFlight)
            batches.append(items)
            lock.unlock()
            DispatchQueue.global().asyncAfter(deadline: finishAt) {
                var byte: UInt8 = 1
                _ = write(writeFD, &byte, 1)
            }
            let wait = { (wakeFD: Int32) -> Bool in
                var fds = [pollfd(fd: readFD, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
                return poll(&fds, 2, -1) > 0 && fds[1].revents != 0
            }
            return Dispatched(wait: wait, isReady: { DispatchTime.now() >= finishAt }) { [self] in
                var byte: UInt8 = 0
                _ = read(readFD, &byte, 1)  // until the timer has written: then both ends can close
                lock.lock()
                inFlight -= 1
                lock.unlock()
                close(readFD)
                close(writeFD)
                return items.map { $0 + 1000 }
            }
        }

        var summary: (most: Int, batches: [[Int]]) { lock.withLock { (mostInFlight, batches) } }
    }

    @Test func aSecondBatchGoesBehindTheFirstOnceAsManyWait() {
        let database = PipelinedDatabase()
        let batcher = Batcher<Int, Int>(committers: 1, maxBatchSize: 8, unavailable: { _ in -1 }) { { database.send($0) } }
        defer { batcher.stop() }
        let answers = Self.submitTogether(batcher, count: 48)

        #expect(answers == Dictionary(uniqueKeysWithValues: (0..<48).map { ($0, $0 + 1000) }))
        let (most, batches) = database.summary
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<48), "each item sent exactly once")
        #expect(batches.allSatisfy { $0.count <= 8 }, "no batch above maxBatchSize")
        #expect(most == 2, "a second batch went behind the first, and never a third: \(batches.map(\.count))")
    }

    @Test func stopAnswersWhatIsQueuedEndsTheCommittersAndRefusesWhatComesAfter() {
        let sending = DispatchSemaphore(value: 0)
        let batcher = Batcher<Int, Int>(committers: 2, maxBatchSize: 4, unavailable: { _ in -1 }) {
            { items in
                sending.signal()
                return Dispatched(wait: nil, isReady: { false }) {
                    usleep(20_000)
                    return items.map { $0 * 2 }
                }
            }
        }
        let answers = Mutex<[Int: Int]>([:])
        let done = DispatchGroup()
        for item in 1...12 {
            done.enter()
            Thread.detachNewThread {
                let answer = batcher.submit(item)
                answers.withLock { $0[item] = answer }
                done.leave()
            }
        }
        sending.wait()  // a batch is in the database, more are queued or on their way
        batcher.stop()  // returns once both committers have ended
        done.wait()
        let answered = answers.withLock { $0 }
        #expect(answered.count == 12)
        #expect(answered.allSatisfy { $0.value == $0.key * 2 || $0.value == -1 }, "each answered, or refused after the stop")
        #expect(answered.values.contains { $0 != -1 })
        #expect(batcher.submit(99) == -1, "nothing waits for a stopped committer")
        batcher.stop()  // a second stop has nothing to end
    }
}
