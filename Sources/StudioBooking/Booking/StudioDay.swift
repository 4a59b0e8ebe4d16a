/// One studio's day as the schedule has it (sb_open_hours, sb_busy_hours): the hours it is open and
/// the hours bookings not cancelled take, one bit per hour (bit h: h:00-h+1:00).
struct StudioDay: Sendable, Equatable {
    let open: UInt32
    let busy: UInt32

    /// The starts, ascending, at which a session of `hours` lies within the open hours and takes
    /// no busy one, from `firstHour` on (today: the hours not yet begun).
    func freeStarts(hours: Int, from firstHour: Int = 0) -> [Int] {
        guard (1...24).contains(hours), firstHour <= 24 - hours else { return [] }
        let free = open & ~busy
        let session = UInt32((UInt64(1) << UInt64(hours)) - 1)
        return (max(0, firstHour)...(24 - hours)).filter { (free >> UInt32($0)) & session == session }
    }

    /// An hour as the form shows and sends it: `09:00`.
    static func label(_ hour: Int) -> String { BookingCalendar.twoDigits(hour) + ":00" }
}
