import Foundation
import Postgres

/// Keeps the staff search's index (`customer_search`, migration 011) close behind the customer
/// master, in the background: bookings only note which customers changed, and this takes the notes
/// in on a connection of its own that no booking waits for. A search brings the index up to date
/// itself as well; this makes that quick, and keeps the notes from piling up where nobody searches.
enum SearchRefresher {
    /// Between two turns.
    static let interval: TimeInterval = 1
    /// Notes taken in at a time, with a short pause between: taken in one go, a few seconds of busy
    /// bookings' notes competed for the CPUs with the bookings themselves in one burst. Measured
    /// with `bench/run` (bench/README.md): every 5 s all at once, p99 of a booking 8-35 ms from
    /// round to round; in these steps 7.8 and 9.8 ms, against 6.1 and 5.7 ms with no refresher.
    static let chunk = 200
    static let pause: TimeInterval = 0.01

    /// One thread for the life of the process. With several responders each runs one; a turn that
    /// finds another responder's refresh running is skipped.
    static func start(databaseURL: String) {
        Thread.detachNewThread {
            let database = Database(url: databaseURL, settings: ["SET jit = off"])
            while true {
                Thread.sleep(forTimeInterval: interval)
                turn(database)
            }
        }
    }

    /// One turn: the notes so far, a chunk at a time, until a chunk comes back short. Answers how
    /// many notes it took in. A turn ends early when another responder's refresh is running, or on a
    /// failure (the database away): nothing is lost, the notes stay until a refresh takes them, and
    /// a search refreshes before it reads.
    @discardableResult
    static func turn(_ database: Database) -> Int {
        var total = 0
        while let taken = try? database.run({ db throws(PostgresError) in
            try CustomerMasterStore.refreshSearch(db, wait: false, limit: chunk)
        }) {
            total += taken
            guard taken == chunk else { break }
            Thread.sleep(forTimeInterval: pause)
        }
        return total
    }
}
