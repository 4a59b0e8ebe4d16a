import Synchronization

/// Each studio's days as the schedule had them when last read (`StudioDay`), so that the form's
/// free starts cost no query while nothing changes. The database says what changed
/// (`NOTIFY sb_schedule`, Functions/sb_schedule_changed.sql) to every responder's
/// `ScheduleListener`, which drops those days here. While it is not listening (starting, or its
/// connection lost) nothing is kept: a change it could not hear of must not leave a day stale.
final class FreeTimesCache: Sendable {
    struct Key: Hashable, Sendable {
        let studio: Int
        let day: Int  // Day.ordinal

        init(studio: Int, day: Day) {
            self.studio = studio
            self.day = day.ordinal
        }
    }

    /// Days kept at most; past that, all are dropped and read again as asked (a day is ~40 bytes).
    static let capacity = 100_000

    private struct State {
        var days: [Key: StudioDay] = [:]
        /// Counts changes: a day read before a change must not be kept after it.
        var generation = 0
        var live = false
    }

    private let state = Mutex(State())

    /// The day, when kept; else the generation to hand back to `store` with what is read now.
    func lookup(_ key: Key) -> (day: StudioDay?, generation: Int) {
        state.withLock { state in (state.live ? state.days[key] : nil, state.generation) }
    }

    /// Keeps a day read from the database, unless something changed since `lookup` said `generation`
    /// (then what was read may predate the change), or nothing is listening for changes.
    func store(_ day: StudioDay, for key: Key, readAt generation: Int) {
        state.withLock { state in
            guard state.live, state.generation == generation else { return }
            if state.days.count >= Self.capacity { state.days.removeAll() }
            state.days[key] = day
        }
    }

    /// A notification's payload: `{studio_id} {YYYY-MM-DD}` drops that day, `*` (studios or closed
    /// days changed) every day. One it cannot read drops every day too. Answers whether it was
    /// about more than one day (the studio list may have changed too).
    @discardableResult
    func changed(_ payload: String) -> Bool {
        let parts = payload.split(separator: " ")
        return state.withLock { state in
            state.generation &+= 1
            if parts.count == 2, let studio = Int(parts[0]), let day = Day(iso: String(parts[1])) {
                state.days[Key(studio: studio, day: day)] = nil
                return false
            }
            state.days.removeAll()
            return true
        }
    }

    /// Drops every day, and keeps days from now on only when `live` (the listener hears changes).
    func reset(live: Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.days.removeAll()
            state.live = live
        }
    }
}
