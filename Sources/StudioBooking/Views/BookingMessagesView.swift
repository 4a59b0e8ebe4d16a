/// The messages section of the staff booking page (`/staff/bookings/{id_booking}`, CONTRACT §7a):
/// `StaffBookingPage` holds it as `pesan`, and its template includes `{{> staff_booking_messages}}`
/// (beside `staff`, for the resend form's token and the admin's button).
struct BookingMessagesView: Sendable {
    struct Row: Sendable {
        let kejadian: String
        let saluran: String
        /// menunggu, sedang dikirim, terkirim, gagal.
        let status: String
        /// waiting, sending, sent, failed: the row's style.
        let state: String
        let percobaan: Int
        let galat: String?
        let dibuat: String
        let terkirim: String?
        /// Failed messages only: where an admin sends it again.
        let resendURL: String?
    }

    let items: [Row]
    /// No message at all: a legacy booking, or neither channel set up.
    let empty: Bool

    init(items: [Row]) {
        self.items = items
        empty = items.isEmpty
    }
}

extension BookingMessagesView {
    init(booking id: Int, _ messages: [MessageStore.Listed]) {
        self.init(items: messages.map { message in
            Row(
                kejadian: Self.events[message.event] ?? message.event,
                saluran: message.channel == "email" ? "E-mail" : "WhatsApp (webhook)",
                status: Self.states[message.state] ?? message.state, state: message.state,
                percobaan: message.attempts, galat: message.lastError, dibuat: IndonesianDate.dateTime(message.created),
                terkirim: message.sent.map(IndonesianDate.dateTime),
                resendURL: message.state == "failed" ? "/staff/bookings/\(id)/pesan/\(message.id)/kirim" : nil)
        })
    }

    static let events = [
        "booking_created": "Konfirmasi booking", "booking_cancelled": "Pembatalan",
        "booking_rescheduled": "Perubahan jadwal", "reminder": "Pengingat",
    ]
    static let states = ["waiting": "Menunggu", "sending": "Sedang dikirim", "sent": "Terkirim", "failed": "Gagal"]
}

/// The section alone, as its partial renders it: for tests, and for a page that only wants it.
struct BookingMessagesSection: Page {
    static let template = "staff_booking_messages"
    let staff: StaffChrome
    let pesan: BookingMessagesView
}
