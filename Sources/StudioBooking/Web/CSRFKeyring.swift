import Postgres
import Synchronization

/// The CSRF key every responder process shares (migration 004 makes it once), read from the
/// database once by this process: `serve` reads it at start, so that no worker has to ask for it
/// while the database may be away, and every worker then signs and checks forms alike.
final class CSRFKeyring: Sendable {
    private let known = Mutex<CSRFGuard?>(nil)

    /// Reads the key with a connection at hand.
    func load(_ db: Connection) throws(PostgresError) {
        let key = CSRFGuard(secret: try BookingStore.csrfSecret(db))
        known.withLock { $0 = key }
    }

    /// The guard, asking the database for the key if this process has not read it yet; nil while
    /// it cannot (an outage, not a forged form).
    func current(_ database: Database) -> CSRFGuard? {
        if let key = known.withLock({ $0 }) { return key }
        try? database.run { db throws(PostgresError) in try load(db) }
        return known.withLock { $0 }
    }

    /// For tests: a key as if read from the database.
    func set(_ key: CSRFGuard) { known.withLock { $0 = key } }
}
