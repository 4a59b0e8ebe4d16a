import Foundation
import Postgres

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
    /// This responder's own bookings, to tell the others about.
    private let announcements: ScheduleAnnouncements?
    private let thread: StoppableThread

    init(
        databaseURL: String, cache: FreeTimesCache, studios: StudioDirectory? = nil,
        announcements: ScheduleAnnouncements? = nil
    ) throws(SystemCallError) {
        self.databaseURL = databaseURL
        self.cache = cache
        self.studios = studios
        self.announcements = announcements
        thread = try StoppableThread()
        announcements?.attach(thread.wake)
    }

    func start() throws(SystemCallError) {
        try thread.start { [self] in run() }
    }

    /// Ends the thread and waits for it; the cache keeps nothing from then on.
    func stop() {
        thread.stop()
    }

    /// Tells every responder (itself included, harmlessly) what this one's committers booked, and
    /// the message senders that those bookings wrote their messages: the batch itself notifies
    /// neither (Functions/sb_schedule_changed.sql, sb_pesan_tulis.sql).
    private func announce(_ db: Connection) throws(PostgresError) {
        guard let announcements else { return }
        let payloads = announcements.take()
        guard !payloads.isEmpty else { return }
        do throws(PostgresError) {
            try db.query(
                "SELECT pg_notify($1, d) FROM unnest($2::text[]) AS d UNION ALL SELECT pg_notify($3, '')",
                [Self.channel, payloads, MessageSender.channel])
        } catch {
            announcements.putBack(payloads)
            throw error
        }
    }

    private func run() {
        defer { cache.reset(live: false) }
        while !thread.isStopping {
            do throws(PostgresError) {
                let db = try Connection(databaseURL)
                try db.execute("LISTEN \(Self.channel)")
                // Whatever changed while nobody listened is unknown: start from nothing.
                cache.reset(live: true)
                studios?.forget()
                while !thread.isStopping {
                    try announce(db)
                    let woken = db.waitForNotifications(orReadable: thread.wake.readFD, timeoutMS: Self.checkAfterMS)
                    if woken { thread.wake.drain() }
                    let delivered = try db.notifications()
                    // Neither woken nor told anything: usually the wait ran out. Ask the server,
                    // which fails if it is gone.
                    if delivered.isEmpty && !woken { try db.execute("SELECT 1") }
                    for notification in delivered where notification.channel == Self.channel {
                        if cache.changed(notification.payload) { studios?.forget() }
                    }
                }
            } catch {
                cache.reset(live: false)
                // Tried again until it stops; the form reads the database meanwhile.
                _ = thread.sleep(milliseconds: Int32(Self.retry * 1000))
            }
        }
    }
}
