import Mustache

/// A booking's own pages (docs/behaviour.md: Your booking): its home, `/booking/{ref}`, and the
/// change of its time, `/booking/{ref}/ubah`.

/// The booking, its status, its calendar file and the studio's WhatsApp, and cancel and change
/// while they are allowed.
struct BookingPage: Page {
    static let template = "booking_confirmation"
    let heading: String
    let alert: String?
    let csrfToken: String
    let status: String
    let cancelled: Bool
    let kodeCS, studio, tanggal, jam, selesai, durasi, nama, jenisKelamin, telp: String
    let email: String?
    let alamat: String
    let calendarURL, changeURL, cancelURL: String
    let whatsApp: Link?
    /// Until when cancel and change are offered; nil: they are not.
    let deadline: String?
    /// Why they are not, and how to reach the studio, once the cutoff has passed.
    let closedNote: String?
}

/// The booking's new studio, date, length and start, as the booking form asks them.
struct ChangePage: Page {
    static let template = "booking_change"
    let alert: String?
    let csrfToken: String
    /// The time it has now: `Studio 1, Rab, 25 Nov 2026 10.00–12.00 (2 jam)`.
    let current: String
    let changeURL, bookingURL: String
    /// Where the form's script asks for the free starts: `/booking/{ref}/jam`.
    let freeStartsURL: String
    let schedule: ScheduleFields
}

extension SelfServiceStore.Booking {
    /// `HH:MM` at the session's end.
    var endLabel: String { BookingCalendar.twoDigits(hour + durasi) + String(jam.dropFirst(2)) }

    /// `Studio 1, Rab, 25 Nov 2026 10.00–12.00 (2 jam)`.
    var summary: String {
        "\(studio), \(IndonesianDate.day(tanggal)) \(IndonesianDate.time(jam))–\(IndonesianDate.time(endLabel)) (\(durasi) jam)"
    }
}

extension BookingPage {
    init(
        _ booking: SelfServiceStore.Booking, ref: String, token: String, alert: String? = nil, cancelHours: Int,
        studioWhatsApp: String?
    ) {
        let whatsApp = studioWhatsApp.map { number in
            Link(
                url: "https://wa.me/\(number)?text="
                    + Copy.whatsAppText(kodeCS: booking.kodeCS, booking: booking.summary).urlQueryEncoded,
                label: "Hubungi studio lewat WhatsApp")
        }
        // The last moment cancel and change are offered: the start less the cutoff, to the minute.
        let lastHour = booking.tanggal.ordinal * 24 + booking.hour - cancelHours
        let lastDay = Day(ordinal: lastHour / 24)
        let lastTime = BookingCalendar.twoDigits(lastHour - lastDay.ordinal * 24) + String(booking.jam.dropFirst(2))
        self.init(
            heading: booking.cancelled ? "Booking dibatalkan" : "Booking berhasil",
            alert: alert,
            csrfToken: token,
            status: booking.cancelled ? "Dibatalkan" : "Aktif",
            cancelled: booking.cancelled,
            kodeCS: booking.kodeCS, studio: booking.studio, tanggal: IndonesianDate.day(booking.tanggal),
            jam: IndonesianDate.time(booking.jam), selesai: IndonesianDate.time(booking.endLabel), durasi: "\(booking.durasi) jam",
            nama: booking.nama, jenisKelamin: booking.jenisKelamin, telp: booking.telp, email: booking.email,
            alamat: booking.alamat,
            calendarURL: "/booking/\(ref).ics", changeURL: "/booking/\(ref)/ubah", cancelURL: "/booking/\(ref)/batal",
            whatsApp: whatsApp,
            deadline: booking.changeable ? Copy.changeDeadline(day: IndonesianDate.day(lastDay), time: IndonesianDate.time(lastTime)) : nil,
            closedNote: booking.changeable || booking.cancelled
                ? nil : Copy.pastCutoff(hours: cancelHours, whatsApp: whatsApp != nil))
    }
}

// MARK: - Without reflection

// The booking's page is what every customer opens from the confirmation and the messages: looked up
// by name here rather than through swift-mustache's `Mirror`, which was two thirds of its cost
// (bench/README.md, session 11). ViewRenderTests renders every key of the templates.

extension BookingPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "heading": heading
        case "alert": alert
        case "csrfToken": csrfToken
        case "status": status
        case "cancelled": cancelled
        case "kodeCS": kodeCS
        case "studio": studio
        case "tanggal": tanggal
        case "jam": jam
        case "selesai": selesai
        case "durasi": durasi
        case "nama": nama
        case "jenisKelamin": jenisKelamin
        case "telp": telp
        case "email": email
        case "alamat": alamat
        case "calendarURL": calendarURL
        case "changeURL": changeURL
        case "cancelURL": cancelURL
        case "whatsApp": whatsApp
        case "deadline": deadline
        case "closedNote": closedNote
        default: nil
        }
    }
}

extension ChangePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "alert": alert
        case "csrfToken": csrfToken
        case "current": current
        case "changeURL": changeURL
        case "bookingURL": bookingURL
        case "freeStartsURL": freeStartsURL
        case "schedule": schedule
        default: nil
        }
    }
}
