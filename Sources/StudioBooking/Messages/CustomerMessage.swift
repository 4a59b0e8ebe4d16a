import Foundation

/// One message claimed from the outbox, with what its text needs: the event, the booking as the
/// event left it (studio, start, length) and the customer as the booking holds them now (an erased
/// customer's message says `Dihapus` and goes to no address).
struct CustomerMessage: Sendable, Equatable {
    enum Event: String, Sendable {
        case created = "booking_created"
        case cancelled = "booking_cancelled"
        case rescheduled = "booking_rescheduled"
        case reminder
    }

    enum Channel: String, Sendable, CaseIterable {
        case email, webhook
    }

    let id: Int
    let event: Event
    let channel: Channel
    /// The Idempotency-Key and the Message-ID's local part: the same on every try.
    let key: String
    /// Tries so far, this one included.
    let attempt: Int
    let ref: String
    let kodeCS: String
    let nama: String
    let telp: String
    let email: String?
    let studio: String
    let day: Day
    /// `HH:MM`, local time.
    let jam: String
    let durasi: Int
    /// The booking's calendar version as the event left it (the .ics SEQUENCE), and whether it is cancelled now.
    let versi: Int
    let bookingCancelled: Bool

    // MARK: - Times

    /// The start, and the end (start + length), as instants.
    func start(_ calendar: BookingCalendar) -> Date {
        calendar.instant(day, hour: Int(jam.prefix(2)) ?? 0) + TimeInterval((Int(jam.suffix(2)) ?? 0) * 60)
    }

    func end(_ calendar: BookingCalendar) -> Date { start(calendar) + TimeInterval(durasi * 3600) }

    // MARK: - Text (Indonesian)

    var subject: String {
        let when = "\(studio), \(IndonesianDate.day(day)) \(IndonesianDate.time(jam))"
        return switch event {
        case .created: "Booking studio diterima: \(when)"
        case .cancelled: "Booking studio dibatalkan: \(when)"
        case .rescheduled: "Jadwal booking studio diubah: \(when)"
        case .reminder: "Pengingat sesi studio: \(when)"
        }
    }

    private var lead: String {
        switch event {
        case .created: "Booking Anda sudah kami terima."
        case .cancelled: "Booking Anda sudah dibatalkan. Waktunya kini terbuka untuk orang lain."
        case .rescheduled: "Jadwal booking Anda sudah diubah. Ini jadwal barunya."
        case .reminder: "Ini pengingat untuk sesi studio Anda."
        }
    }

    /// The message's text, the same in the e-mail and the webhook's `pesan`.
    func text(publicURL: String) -> String {
        """
        Halo \(nama),

        \(lead)

        Studio: \(studio)
        Mulai: \(IndonesianDate.long(day)), pukul \(IndonesianDate.time(jam))
        Lama sesi: \(durasi) jam
        Kode customer: \(kodeCS)

        Lihat booking Anda: \(publicURL)/booking/\(ref)

        Terima kasih.
        """
    }

    /// The booking and change messages carry the calendar file (the other two do not).
    var attachesCalendar: Bool { event == .created || event == .rescheduled }

}
