import Mustache

/// The staff pages' view models (docs/behaviour.md: The staff area), one per template.
///
/// The types a page repeats per row answer the template's lookups themselves (`MustacheParent`):
/// swift-mustache otherwise finds every value through a `Mirror`, and that was 65% of the
/// responder's time on a list of 50 customers (perf; bench/staff).

struct StaffLoginPage: Page {
    static let template = "staff_login"
    let alert: String?
    let username: String
    let csrfToken: String
}

/// One customer as the staff pages show it.
struct CustomerView {
    let kodeCS, detailURL, nama, jenisKelamin, telp, email, alamat, studio, latestBooking: String
    let bookings: Int
    /// Of `bookings`, how many were cancelled, and how many the customer did not come to
    /// (`StaffBookingStore.tallies`; 0 until set).
    var cancelled = 0
    var noShow = 0
    /// `(2 dibatalkan)` beside the list's count; nil when none was.
    var cancelledNote: String?

    init(_ customer: CustomerMasterStore.Customer) {
        kodeCS = customer.kodeCS
        detailURL = "/staff/customers/\(customer.kodeCS.urlQueryEncoded)"
        nama = customer.nama
        jenisKelamin = customer.jenisKelamin.shown
        telp = customer.telp.shown
        email = customer.email.shown
        alamat = customer.alamat.shown
        studio = customer.studio.shown
        latestBooking = customer.latestBooking.shown
        bookings = customer.bookings
    }
}

extension CustomerView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "kodeCS": kodeCS
        case "detailURL": detailURL
        case "nama": nama
        case "jenisKelamin": jenisKelamin
        case "telp": telp
        case "email": email
        case "alamat": alamat
        case "studio": studio
        case "latestBooking": latestBooking
        case "bookings": bookings
        case "cancelled": cancelled
        case "noShow": noShow
        case "cancelledNote": cancelledNote
        default: nil
        }
    }
}

struct CustomerListPage: Page {
    static let template = "staff_customers"
    let staff: StaffChrome
    let q: String
    /// Why the list is not shown: a search or a page address that cannot be asked for.
    let alert: String?
    let customers: [CustomerView]
    let nextURL: String?
    let firstURL: String?
    let csvURL: String
}

/// One booking as the staff pages show it.
struct BookingView {
    let tanggal, jam, studio, nama, telp, email, kodeCS, ref, createdAt: String
    let customerURL: String?
    let confirmationURL: String?
    /// The booking's staff page.
    let staffURL: String
    let cancelled: Bool
    /// `Datang`, `Tidak datang`; nil: not recorded.
    let kehadiran: String?

    init(_ booking: CustomerMasterStore.Booking) {
        tanggal = booking.tanggal
        jam = booking.jam
        studio = booking.studio
        nama = booking.nama
        telp = booking.telp
        email = booking.email.shown
        kodeCS = booking.kodeCS.shown
        ref = booking.ref ?? ""
        createdAt = booking.createdAt
        customerURL = booking.kodeCS.map { "/staff/customers/\($0.urlQueryEncoded)" }
        confirmationURL = booking.ref.map { "/booking/\($0)" }
        staffURL = "/staff/bookings/\(booking.id)"
        cancelled = booking.cancelled
        kehadiran = booking.hadir.map { $0 ? "Datang" : "Tidak datang" }
    }
}

extension BookingView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "tanggal": tanggal
        case "jam": jam
        case "studio": studio
        case "nama": nama
        case "telp": telp
        case "email": email
        case "kodeCS": kodeCS
        case "ref": ref
        case "createdAt": createdAt
        // nil, as through a Mirror: not here (no enclosing page has these names either).
        case "customerURL": customerURL
        case "confirmationURL": confirmationURL
        case "staffURL": staffURL
        case "cancelled": cancelled
        case "kehadiran": kehadiran
        default: nil
        }
    }
}

struct CustomerPage: Page {
    static let template = "staff_customer"
    let staff: StaffChrome
    /// With its cancelled and no-show counts (`Tidak datang: {n}`).
    let customer: CustomerView
    let bookings: [BookingView]
    /// Set when the history shown stops at the cap.
    let capped: Int?
    /// The edit form, the change history, and the admins' merge, data and erasure.
    let changes: CustomerChangesView
}

/// One studio's day: every hour row, booked or free.
struct StudioDayView {
    struct Slot {
        let jam: String
        let bookings: [SlotBookingView]
        /// Two bookings in one hour: only legacy rows can do that; staff should see it.
        let doubleBooked: Bool
    }

    let name: String
    let slots: [Slot]

    /// The studios and the hours of the day, each booking not cancelled in every hour its session
    /// fills; a booking at a time outside the day's rows (legacy rows, a session past the last row,
    /// rows since reconfigured) gets rows of its own. A cancelled booking takes no row.
    static func schedule(
        _ bookings: [CustomerMasterStore.Booking], studios: [BookingStore.Studio], slots: [String]
    ) -> [StudioDayView] {
        let active = bookings.filter { !$0.cancelled }
        var names = studios.map { (id: $0.id, name: $0.name) }
        for booking in active where !names.contains(where: { $0.id == booking.studioID }) {
            names.append((booking.studioID, booking.studio))
        }
        return names.map { studio in
            var rows: [String: [SlotBookingView]] = [:]
            for booking in active where booking.studioID == studio.id {
                for (offset, jam) in rowHours(booking).enumerated() {
                    rows[jam, default: []].append(SlotBookingView(booking, jam: jam, continuing: offset > 0))
                }
            }
            return StudioDayView(
                name: studio.name,
                slots: Set(slots).union(rows.keys).sorted().map { jam in
                    let inSlot = rows[jam] ?? []
                    return Slot(jam: jam, bookings: inSlot, doubleBooked: inSlot.count > 1)
                })
        }
    }

    /// The rows a booking fills: its start, and for a session on the hour each following hour of
    /// the day (a legacy start off the hour lasts its one hour in its own row).
    static func rowHours(_ booking: CustomerMasterStore.Booking) -> [String] {
        guard let hour = BookingValidator.hour(booking.jam) else { return [booking.jam] }
        return (hour..<min(24, hour + max(1, booking.durasi))).map(StudioDay.label)
    }
}

/// A booking in one hour row of the day: the hour its session starts, or one it continues through.
struct SlotBookingView {
    /// The row's hour.
    let jam: String
    let nama, telp, kodeCS: String
    let customerURL: String?
    /// The whole session: `10:00–13:00 (3 jam)`.
    let sesi: String
    /// An hour after the first: the row says it continues.
    let continuing: Bool
    /// The booking's staff page.
    let bookingURL: String

    init(_ booking: CustomerMasterStore.Booking, jam: String, continuing: Bool) {
        self.jam = jam
        nama = booking.nama
        telp = booking.telp
        kodeCS = booking.kodeCS.shown
        customerURL = booking.kodeCS.map { "/staff/customers/\($0.urlQueryEncoded)" }
        self.continuing = continuing
        sesi = "\(booking.jam)–\(Self.end(of: booking)) (\(booking.durasi) jam)"
        bookingURL = "/staff/bookings/\(booking.id)"
    }

    /// `HH:MM` a session ends, from its start and length (`24:00` at midnight).
    static func end(of booking: CustomerMasterStore.Booking) -> String {
        let parts = booking.jam.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return "?" }
        let end = hour * 60 + minute + booking.durasi * 60
        return BookingCalendar.twoDigits(end / 60) + ":" + BookingCalendar.twoDigits(end % 60)
    }
}

extension StudioDayView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "slots": slots
        default: nil
        }
    }
}

extension StudioDayView.Slot: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "jam": jam
        case "bookings": bookings
        case "doubleBooked": doubleBooked
        default: nil
        }
    }
}

extension SlotBookingView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "jam": jam
        case "nama": nama
        case "telp": telp
        case "kodeCS": kodeCS
        case "customerURL": customerURL
        case "sesi": sesi
        case "continuing": continuing
        case "bookingURL": bookingURL
        default: nil
        }
    }
}

struct DayBookingsPage: Page {
    static let template = "staff_bookings"
    let staff: StaffChrome
    let tanggal: String
    let alert: String?
    let previousURL: String?
    let nextURL: String?
    let todayURL: String
    let studios: [StudioDayView]
    let count: Int
    /// The day's cancelled bookings, listed apart: they take no hour above.
    var cancelled: [SlotBookingView] = []
}

extension Optional<String> {
    /// A value for a table cell: a dash where the database has nothing (NULL or empty).
    var shown: String {
        guard let self, !self.trimmed.isEmpty else { return "—" }
        return self
    }
}
