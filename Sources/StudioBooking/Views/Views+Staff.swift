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
        latestBooking = customer.latestBooking.map(IndonesianDate.dateTime).shown
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
        tanggal = IndonesianDate.day(iso: booking.tanggal)
        jam = IndonesianDate.time(booking.jam)
        studio = booking.studio
        nama = booking.nama
        telp = booking.telp
        email = booking.email.shown
        kodeCS = booking.kodeCS.shown
        ref = booking.ref ?? ""
        createdAt = IndonesianDate.dateTime(booking.createdAt)
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

struct DayBookingsPage: Page {
    static let template = "staff_bookings"
    let staff: StaffChrome
    /// The date as the date field holds it (ISO), and as the heading reads it.
    let tanggal: String
    let heading: String
    let alert: String?
    let previousURL: String?
    let nextURL: String?
    let todayURL: String
    let studios: [StudioTimeline]
    let count: Int
}

extension Optional<String> {
    /// A value for a table cell: a dash where the database has nothing (NULL or empty).
    var shown: String {
        guard let self, !self.trimmed.isEmpty else { return "—" }
        return self
    }
}
