import Foundation
import Postgres

/// Keeps the staff search's index (`customer_search`, migration 011) close behind the customer
/// master, in the background: bookings only note which customers changed, and this takes the notes
/// in on a connection of its own that no booking waits for. A search brings the index up to date
/// itself as well; this makes that quick, and keeps the notes from piling up where nobody searches.
final class SearchRefresher: Sendable {
    /// Between two turns.
    static let interval: TimeInterval = 1
    /// Notes taken in at a time, with a short pause between: taken in one go, a few seconds of busy
    /// bookings' notes competed for the CPUs with the bookings themselves in one burst. Measured
    /// with `bench/run` (bench/README.md): every 5 s all at once, p99 of a booking 8-35 ms from
    /// round to round; in these steps 7.8 and 9.8 ms, against 6.1 and 5.7 ms with no refresher.
    static let chunk = 200
    static let pause: TimeInterval = 0.01

    private let databaseURL: String
    private let thread: StoppableThread

    init(databaseURL: String) throws(SystemCallError) {
        self.databaseURL = databaseURL
        thread = try StoppableThread()
    }

    /// Starts its one thread, which runs until `stop`. With several responders each runs one; a
    /// turn that finds another responder's refresh running is skipped.
    func start() throws(SystemCallError) {
        try thread.start { [self] in
            let database = Database(url: databaseURL, settings: ["SET jit = off"])
            while !sleep(Self.interval) {
                Self.turn(database, pausing: { !self.sleep(Self.pause) })
            }
        }
    }

    /// Ends the thread, within a chunk's refresh, and waits for it. A refresher never started, or
    /// stopped already, has nothing to end.
    func stop() {
        thread.stop()
    }

    /// Sleeps `seconds`, or less if told to stop: answers whether it was.
    private func sleep(_ seconds: TimeInterval) -> Bool {
        thread.sleep(milliseconds: Int32(seconds * 1000))
    }

    /// One turn: the notes so far, a chunk at a time, until a chunk comes back short or `pausing`
    /// (between chunks) answers false. Answers how many notes it took in. A turn ends early when
    /// another responder's refresh is running, or on a failure (the database away): nothing is
    /// lost, the notes stay until a refresh takes them, and a search refreshes before it reads.
    @discardableResult
    static func turn(
        _ database: Database, pausing: () -> Bool = { Thread.sleep(forTimeInterval: pause); return true }
    ) -> Int {
        var total = 0
        while let taken = try? database.run({ db throws(PostgresError) in
            try CustomerMasterStore.refreshSearch(db, wait: false, limit: chunk)
        }) {
            total += taken
            guard taken == chunk, pausing() else { break }
        }
        return total
    }
}
