/// The pages of bookings by staff (docs/behaviour.md: Bookings by staff): the desk's booking form and
/// a booking's staff page.

/// The booking form for the desk: the public form's fields and schedule, and the customer search
/// that fills them (with the script as you type, `/staff/customers.json`; without it, `cari`).
struct StaffNewBookingPage: Page {
    static let template = "staff_booking_new"
    let staff: StaffChrome
    let form: BookingFormPage
    /// The search as typed (without the script), and the customers it found.
    let cari: String
    let found: [DeskCustomerView]
    let searched: Bool
}

/// A customer the desk's search found: a link that fills the form with their data.
struct DeskCustomerView {
    let kodeCS, nama, telp, fillURL: String
}

extension DeskCustomerView {
    init(_ customer: CustomerMasterStore.Customer) {
        kodeCS = customer.kodeCS
        nama = customer.nama
        telp = customer.telp.shown
        fillURL = "/staff/bookings/baru?kode_cs=\(customer.kodeCS.urlQueryEncoded)"
    }
}

/// One booking for staff: who, when, its status and attendance, and cancel, move and attendance.
struct StaffBookingPage: Page {
    static let template = "staff_booking"
    let staff: StaffChrome
    let alert: String?
    let csrfToken: String
    let heading: String
    let status: String
    let cancelled: Bool
    let nama, jenisKelamin, telp, email, alamat, studio, tanggal, jam, selesai, durasi: String
    /// The customer's code and staff page; nil: no customer has the booking (a legacy one whose phone
    /// no customer holds).
    let customer: Link?
    /// The customer's own page of the booking; nil for a legacy booking (no ref).
    let publicURL: String?
    /// `https://wa.me/62…` with a message naming the booking; nil when the phone is not a valid one.
    let whatsApp: Link?
    /// `Belum dicatat`, `Datang`, `Tidak datang`.
    let kehadiran: String
    /// The session has begun and is not cancelled: attendance may be recorded.
    let attendanceOpen: Bool
    let cancelURL, moveURL, attendanceURL, freeStartsURL: String
    /// The move form; nil once cancelled.
    let schedule: ScheduleFields?
    /// The messages about the booking (docs/behaviour.md: Messages to customers), oldest first:
    /// the `staff_booking_messages` partial.
    let pesan: BookingMessagesView
}

extension StaffBookingPage {
    init(
        _ booking: StaffBookingStore.Booking, staff: StaffChrome, token: String, alert: String?, schedule: ScheduleFields?,
        pesan: BookingMessagesView = BookingMessagesView(items: [])
    ) {
        let end = booking.hour + booking.durasi
        let selesai = BookingCalendar.twoDigits(end) + String(booking.jam.dropFirst(2))
        let summary = "\(booking.studio), \(IndonesianDate.day(booking.tanggal)) \(IndonesianDate.time(booking.jam))–"
            + "\(IndonesianDate.time(selesai)) (\(booking.durasi) jam)"
        let base = "/staff/bookings/\(booking.id)"
        self.init(
            staff: staff, alert: alert, csrfToken: token,
            heading: "Booking #\(booking.id)",
            status: booking.cancelled ? "Dibatalkan" : "Aktif",
            cancelled: booking.cancelled,
            nama: booking.nama, jenisKelamin: Optional(booking.jenisKelamin).shown, telp: booking.telp,
            email: booking.email.shown, alamat: Optional(booking.alamat).shown, studio: booking.studio,
            tanggal: IndonesianDate.day(booking.tanggal), jam: IndonesianDate.time(booking.jam),
            selesai: IndonesianDate.time(selesai), durasi: "\(booking.durasi) jam",
            customer: booking.kodeCS.map { Link(url: "/staff/customers/\($0.urlQueryEncoded)", label: $0) },
            publicURL: booking.ref.map { "/booking/\($0)" },
            whatsApp: Phone.international(booking.telp).map { number in
                Link(
                    url: "https://wa.me/\(number)?text="
                        + Copy.deskWhatsAppText(nama: booking.nama, booking: summary).urlQueryEncoded,
                    label: "Kirim WhatsApp ke customer")
            },
            kehadiran: booking.hadir.map { $0 ? "Datang" : "Tidak datang" } ?? "Belum dicatat",
            attendanceOpen: booking.begun && !booking.cancelled,
            cancelURL: base + "/batal", moveURL: base + "/ubah", attendanceURL: base + "/kehadiran",
            freeStartsURL: base + "/jam",
            schedule: schedule, pesan: pesan)
    }
}

extension CustomerView {
    /// With the customer's cancelled and no-show counts, when `tallies` has them.
    func tallied(_ tallies: [Int: (cancelled: Int, noShow: Int)], id: Int) -> CustomerView {
        var view = self
        if let tally = tallies[id] { (view.cancelled, view.noShow) = tally }
        view.cancelledNote = view.cancelled > 0 ? "(\(view.cancelled) dibatalkan)" : nil
        return view
    }
}
