import Mustache

/// The staff pages' view models (docs/behaviour.md: The staff area), one per template.
///
/// The types a page repeats per row answer the template's lookups themselves (`MustacheParent`):
/// swift-mustache otherwise finds every value through a `Mirror`, and that was 65% of the
/// responder's time on a list of 50 customers (perf; bench/staff).

/// The header every signed-in page shows: who is signed in, and the sign-out form's token.
struct StaffChrome {
    let username: String
    let csrfToken: String
}

extension StaffChrome {
    init(_ context: RequestContext) {
        self.init(username: context.signedIn.username, csrfToken: context.csrfToken())
    }
}

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
        default: nil
        }
    }
}

struct CustomerPage: Page {
    static let template = "staff_customer"
    let staff: StaffChrome
    let customer: CustomerView
    let bookings: [BookingView]
    /// Set when the history shown stops at the cap.
    let capped: Int?
}

/// One studio's day: every slot, booked or free.
struct StudioDayView {
    struct Slot {
        let jam: String
        let bookings: [BookingView]
        /// Two bookings in one slot: only legacy rows can do that; staff should see it.
        let doubleBooked: Bool
    }

    let name: String
    let slots: [Slot]

    /// The studios and the slots of the day, each booking in its slot; a booking at a time outside
    /// today's slots (legacy rows, or slots since reconfigured) gets a row of its own.
    static func schedule(
        _ bookings: [CustomerMasterStore.Booking], studios: [BookingStore.Studio], slots: [String]
    ) -> [StudioDayView] {
        var names = studios.map { (id: $0.id, name: $0.name) }
        for booking in bookings where !names.contains(where: { $0.id == booking.studioID }) {
            names.append((booking.studioID, booking.studio))
        }
        return names.map { studio in
            let own = bookings.filter { $0.studioID == studio.id }
            let times = Set(slots).union(own.map(\.jam)).sorted()
            return StudioDayView(
                name: studio.name,
                slots: times.map { jam in
                    let inSlot = own.filter { $0.jam == jam }
                    return Slot(jam: jam, bookings: inSlot.map(BookingView.init), doubleBooked: inSlot.count > 1)
                })
        }
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
}

extension Optional<String> {
    /// A value for a table cell: a dash where the database has nothing (NULL or empty).
    var shown: String {
        guard let self, !self.trimmed.isEmpty else { return "—" }
        return self
    }
}
