import Mustache

/// One studio's day as the desk reads it on a phone: each session a block as long as its hours,
/// the free stretches between them collapsed into one line each, and the cancelled bookings apart.
struct StudioTimeline {
    let name: String
    /// Why nothing is free: the weekday is closed, or it is a closed day (with its reason).
    let note: String?
    let items: [TimelineItem]
    let cancelled: [TimelineItem]
}

/// A session, or a free stretch (`session` nil), from `start` to `end` minutes after midnight.
struct TimelineItem {
    let start, end: Int
    /// `10.00–13.00`.
    let waktu: String
    /// The block's height in hours, 1…12: `span-3`, a class of the style sheet.
    let spanClass: String
    let session: SessionView?
    /// Overlaps another session: only legacy rows can; staff should see it.
    let doubleBooked: Bool
    let free: Bool

    init(start: Int, end: Int, waktu: String, spanClass: String, session: SessionView?, doubleBooked: Bool) {
        (self.start, self.end, self.waktu, self.spanClass) = (start, end, waktu, spanClass)
        (self.session, self.doubleBooked, free) = (session, doubleBooked, session == nil)
    }

    init(start: Int, end: Int, session: SessionView?, doubleBooked: Bool) {
        self.init(
            start: start, end: end, waktu: Self.clock(start) + "–" + Self.clock(end),
            spanClass: "span-\(min(12, max(1, (end - start + 59) / 60)))", session: session, doubleBooked: doubleBooked)
    }

    static func clock(_ minute: Int) -> String {
        BookingCalendar.twoDigits(minute / 60) + "." + BookingCalendar.twoDigits(minute % 60)
    }
}

/// Who booked a session, and how long it is.
struct SessionView {
    let nama, telp, kodeCS, durasi: String
    let customerURL: String?
    /// The booking's staff page.
    let bookingURL: String
}

extension SessionView {
    init(_ booking: CustomerMasterStore.Booking) {
        nama = booking.nama
        telp = booking.telp
        kodeCS = booking.kodeCS.shown
        durasi = "\(booking.durasi) jam"
        customerURL = booking.kodeCS.map { "/staff/customers/\($0.urlQueryEncoded)" }
        bookingURL = "/staff/bookings/\(booking.id)"
    }
}

extension StudioTimeline {
    /// Every active studio with its hours that day, then any other studio a booking names (a
    /// studio since deactivated, a legacy id). A booking outside the opening hours (legacy rows,
    /// hours since changed) is shown where it falls; free stretches are only within the hours.
    static func day(_ bookings: [CustomerMasterStore.Booking], studios: [ScheduleStore.DayHours]) -> [StudioTimeline] {
        var names = studios.map { (id: $0.studioID, name: $0.name) }
        for booking in bookings where !booking.cancelled && !names.contains(where: { $0.id == booking.studioID }) {
            names.append((booking.studioID, booking.studio))
        }
        return names.map { studio in
            let hours = studios.first { $0.studioID == studio.id }
            let mine = bookings.filter { $0.studioID == studio.id }
            let open = hours.flatMap { h in h.opens.flatMap { from in h.closes.map { (from * 60, $0 * 60) } } }
            let note: String? =
                if let closedDay = hours?.closedDay { "Libur: \(closedDay)" }
                else if hours != nil, open == nil { "Tutup hari ini" }
                else { nil }
            return StudioTimeline(
                name: studio.name, note: note,
                items: items(mine.filter { !$0.cancelled }, open: open),
                cancelled: mine.filter(\.cancelled).compactMap(session).map {
                    TimelineItem(start: $0.start, end: $0.end, session: $0.view, doubleBooked: false)
                })
        }
    }

    /// The sessions in order of their start, with the free stretches of `open` between them.
    static func items(_ bookings: [CustomerMasterStore.Booking], open: (Int, Int)?) -> [TimelineItem] {
        let sessions = bookings.compactMap(session).sorted { $0.start < $1.start }
        var items: [TimelineItem] = []
        var covered = open?.0 ?? 0
        for (index, session) in sessions.enumerated() {
            if let open, session.start > covered, covered < open.1 {
                items.append(TimelineItem(start: covered, end: min(session.start, open.1), session: nil, doubleBooked: false))
            }
            let overlaps = sessions.indices.contains { other in
                other != index && sessions[other].start < session.end && session.start < sessions[other].end
            }
            items.append(TimelineItem(start: session.start, end: session.end, session: session.view, doubleBooked: overlaps))
            covered = max(covered, session.end)
        }
        if let open, covered < open.1 {
            items.append(TimelineItem(start: covered, end: open.1, session: nil, doubleBooked: false))
        }
        return items
    }

    /// A booking's minutes: its start (`HH:MM`) and its length in whole hours.
    private static func session(_ booking: CustomerMasterStore.Booking) -> (start: Int, end: Int, view: SessionView)? {
        let parts = booking.jam.split(separator: ":")
        guard parts.count >= 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        let start = hour * 60 + minute
        return (start, start + max(1, booking.durasi) * 60, SessionView(booking))
    }
}

extension StudioTimeline: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "note": note
        case "items": items
        case "cancelled": cancelled
        default: nil
        }
    }
}

extension TimelineItem: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "waktu": waktu
        case "spanClass": spanClass
        case "free": free
        case "session": session
        case "doubleBooked": doubleBooked
        default: nil
        }
    }
}

extension SessionView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "nama": nama
        case "telp": telp
        case "kodeCS": kodeCS
        case "durasi": durasi
        case "customerURL": customerURL
        case "bookingURL": bookingURL
        default: nil
        }
    }
}
