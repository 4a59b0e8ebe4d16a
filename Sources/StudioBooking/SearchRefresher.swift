import Foundation
import Postgres

/// Keeps the staff search's index (`customer_search`, migration 011) close behind the customer
/// master, in the background: bookings only note which customers changed, and this takes the notes
/// in, in bulk, on a connection of its own that no booking waits for. A search brings the index up
/// to date itself as well; this makes that quick, and keeps the notes from piling up where nobody
/// searches for weeks.
enum SearchRefresher {
    /// Between two refreshes. Short enough that a search seldom finds more than a few seconds of
    /// bookings to take in; each refresh of an empty list costs the database well under a millisecond.
    static let interval: TimeInterval = 5

    /// One thread for the life of the process. With several responders each runs one; a refresh
    /// that finds another one running skips its turn.
    static func start(databaseURL: String) {
        Thread.detachNewThread {
            let database = Database(url: databaseURL, settings: ["SET jit = off"])
            while true {
                Thread.sleep(forTimeInterval: interval)
                // A failure (the database away) waits for the next turn: nothing is lost, the notes
                // stay until a refresh takes them, and a search refreshes before it reads.
                _ = try? database.run { db throws(PostgresError) in
                    try CustomerMasterStore.refreshSearch(db, wait: false)
                }
            }
        }
    }
}
