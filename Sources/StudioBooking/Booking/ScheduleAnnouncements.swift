import Synchronization

/// Studio days this responder's committers booked, waiting to be told to every responder
/// (`NOTIFY sb_schedule`, sent by `ScheduleListener` on its own connection) after their commit, and
/// dropped from this responder's `FreeTimesCache` at once. The batch itself does not notify: see
/// Functions/sb_schedule_changed.sql for why.
final class ScheduleAnnouncements: Sendable {
    /// More than this many waiting (a listener long away) are told as one `*`.
    static let capacity = 10_000

    private struct State {
        var pending: [String] = []
        /// The listener's, woken when there is something to tell.
        var wake: WakePipe?
    }

    private let state = Mutex(State())
    private let cache: FreeTimesCache

    init(cache: FreeTimesCache) { self.cache = cache }

    /// Days booked and committed, as `{studio_id} {YYYY-MM-DD}`.
    func booked(_ payloads: [String]) {
        guard !payloads.isEmpty else { return }
        for payload in payloads { cache.changed(payload) }
        let wake = state.withLock { state in
            state.pending += payloads
            if state.pending.count > Self.capacity { state.pending = ["*"] }
            return state.wake
        }
        wake?.signal()
    }

    /// What is waiting, for the listener to send; `putBack` if sending failed.
    func take() -> [String] {
        state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
    }

    func putBack(_ payloads: [String]) {
        state.withLock { state in
            state.pending = payloads + state.pending
            if state.pending.count > Self.capacity { state.pending = ["*"] }
        }
    }

    /// The listener's wake pipe: signalled whenever something is added.
    func attach(_ wake: WakePipe?) {
        state.withLock { $0.wake = wake }
    }

    static func payload(studio: Int, day: Day) -> String { "\(studio) \(day.iso)" }
}
