import Foundation
import Postgres
import Synchronization

/// Hears which studio days changed (`LISTEN sb_schedule`: a booking made, cancelled or moved by any
/// responder or program, a studio or closed day edited) and drops them from `FreeTimesCache`; a
/// studio or closed day edited (`*`) also makes `StudioDirectory` read the studios again, so a name,
/// an active flag or a longest session changed by staff shows on every responder's form at once.
/// One thread with a connection of its own, per responder; it stops with `serve`.
final class ScheduleListener: Sendable {
    static let channel = "sb_schedule"
    /// Between two tries to connect when the database is away.
    static let retry: TimeInterval = 1
    /// How long it waits for a notification before asking the server whether it is still there: a
    /// connection lost without a word (a network gone) must not keep days it can no longer hear of.
    static let checkAfterMS: Int32 = 10_000

    private let databaseURL: String
    private let cache: FreeTimesCache
    private let studios: StudioDirectory?
    /// Wakes the thread out of its wait when it is to stop.
    private let wake: WakePipe
    private let thread = Mutex<(started: JoinableThread?, stopping: Bool)>((nil, false))

    init(databaseURL: String, cache: FreeTimesCache, studios: StudioDirectory? = nil) throws(SystemCallError) {
        self.databaseURL = databaseURL
        self.cache = cache
        self.studios = studios
        wake = try WakePipe()
    }

    func start() throws(SystemCallError) {
        try thread.withLock { (thread) throws(SystemCallError) in
            guard thread.started == nil && !thread.stopping else { return }
            thread.started = try JoinableThread { [self] in run() }
        }
    }

    /// Ends the thread and waits for it; the cache keeps nothing from then on.
    func stop() {
        let started = thread.withLock { thread in
            thread.stopping = true
            defer { thread.started = nil }
            return thread.started
        }
        wake.signal()
        started?.join()
    }

    private var stopping: Bool { thread.withLock { $0.stopping } }

    private func run() {
        defer { cache.reset(live: false) }
        while !stopping {
            do throws(PostgresError) {
                let db = try Connection(databaseURL)
                try db.execute("LISTEN \(Self.channel)")
                // Whatever changed while nobody listened is unknown: start from nothing.
                cache.reset(live: true)
                studios?.forget()
                while !stopping {
                    if db.waitForNotifications(orReadable: wake.readFD, timeoutMS: Self.checkAfterMS) {
                        wake.drain()
                        continue
                    }
                    let delivered = try db.notifications()
                    // Usually the wait ran out: ask the server, which fails if it is gone.
                    if delivered.isEmpty { try db.execute("SELECT 1") }
                    for notification in delivered where notification.channel == Self.channel {
                        cache.changed(notification.payload)
                        if notification.payload == "*" { studios?.forget() }
                    }
                }
            } catch {
                cache.reset(live: false)
                // Tried again until it stops; the form reads the database meanwhile.
                wake.wait(timeoutMS: Int32(Self.retry * 1000))
            }
        }
    }
}
