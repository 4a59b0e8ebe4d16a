/// What this process keeps of the schedule for the public form: the studio list and the free
/// times. A change staff make here drops both at once; the other responders hear of it through
/// `NOTIFY sb_schedule` (ScheduleListener), and this one too, a moment later.
struct ScheduleCaches: Sendable {
    let studios: StudioDirectory
    let freeTimes: FreeTimesCache

    func scheduleChanged() {
        studios.forget()
        freeTimes.changed("*")
    }
}
