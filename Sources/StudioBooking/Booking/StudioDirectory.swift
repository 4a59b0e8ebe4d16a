import Foundation
import Postgres
import Synchronization

/// The studios a booking may name, read from the database and kept for a while, so that most
/// requests cost no extra round trip and the form can still be shown, with every choice, while
/// the database is away.
final class StudioDirectory: Sendable {
    let cache = Mutex<StudioCache>(StudioCache())
    private let log: EventLog

    init(log: EventLog) { self.log = log }

    /// The studios, from the cache while it is fresh; the stale list (`available` false) when the
    /// database is away. A studio the cache does not know yet (just added) sends it back to the
    /// database: one small query, and only for a booking that names a studio it has not seen.
    func studios(_ database: Database, including wanted: String? = nil) -> (list: [BookingStore.Studio], available: Bool) {
        let cached = cache.withLock { $0 }
        let unknown = wanted.flatMap { Int($0) }.map { id in !cached.studios.contains { $0.id == id } } ?? false
        if cached.isFresh && !unknown { return (cached.studios, true) }
        do {
            let studios = try database.run { db throws(PostgresError) in try BookingStore.studios(db) }
            cache.withLock { cache in
                guard cache.generation == cached.generation else { return }
                cache = StudioCache(studios: studios, readAt: Date(), generation: cached.generation)
            }
            return (studios, true)
        } catch {
            log.error("Reading studios failed", error)
            return (cached.studios, false)
        }
    }

    /// Reads the studios again on the next ask (a studio was added or edited); the list read last
    /// stays, for while the database is away.
    func forget() {
        cache.withLock { cache in
            cache.readAt = .distantPast
            cache.generation &+= 1
        }
    }
}
