import Foundation
import Testing
@testable import StudioBooking

/// A message's text, e-mail headers and webhook body, and how long the sender waits: no network.
@Suite struct CustomerMessageTests {
    static let jakarta = BookingCalendar(timeZone: TimeZone(identifier: "Asia/Jakarta")!)

    static func message(_ event: CustomerMessage.Event, telp: String = "0812-3456-789") -> CustomerMessage {
        CustomerMessage(
            id: 1, event: event, channel: .webhook, key: "k-1", attempt: 1, ref: "abc123", kodeCS: "CS-000042",
            nama: "Siti Ümmü", telp: telp, email: nil, studio: "Studio 2 - Foto", day: Day(year: 2026, month: 12, day: 8),
            jam: "10:00", durasi: 2, versi: 0, bookingCancelled: false)
    }

    @Test func theTextNamesEverythingTheContractAsksFor() {
        let text = Self.message(.created).text(publicURL: "https://studio.contoh.id")
        for part in ["Halo Siti Ümmü,", "Booking Anda sudah kami terima.", "Studio: Studio 2 - Foto",
                     "Mulai: Selasa, 8 Desember 2026, pukul 10.00", "Lama sesi: 2 jam", "Kode customer: CS-000042",
                     "https://studio.contoh.id/booking/abc123"] {
            #expect(text.contains(part), "\(part)")
        }
        #expect(Self.message(.reminder).subject.hasPrefix("Pengingat sesi studio"))
        #expect(Self.message(.cancelled).attachesCalendar == false)
        #expect(Self.message(.rescheduled).attachesCalendar)
    }

    @Test func theWebhookBodyIsTheContractsJSON() throws {
        let message = Self.message(.rescheduled)
        // One formatter for every message, as a sender keeps it.
        let iso = Webhook.timeFormatter(Self.jakarta)
        let body = Webhook.body(message, text: "teks", calendar: Self.jakarta, iso: iso)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: String])
        #expect(json == [
            "event": "booking_rescheduled", "ref": "abc123", "kode_cs": "CS-000042", "nama": "Siti Ümmü",
            "telp": "628123456789", "studio": "Studio 2 - Foto", "mulai": "2026-12-08T10:00:00+07:00",
            "selesai": "2026-12-08T12:00:00+07:00", "pesan": "teks",
        ])
        #expect(Webhook.body(Self.message(.created, telp: ""), text: "", calendar: Self.jakarta, iso: iso).count > 0)
        #expect(Webhook.body(message, text: "teks", calendar: Self.jakarta, iso: iso) == body, "the same bytes every try")
    }

    @Test func theSignatureIsHMACSHA256InHex() {
        // The usual example (key "key"), its HMAC computed again with Python's hmac module.
        #expect(Webhook.signature(Array("The quick brown fox jumps over the lazy dog".utf8), secret: "key")
            == "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }

    @Test func mailHeaders() {
        #expect(Mailer.encodedWord("Booking studio diterima") == "Booking studio diterima")
        #expect(Mailer.encodedWord("Pengingat: Ümmü") == "=?UTF-8?B?\(Data("Pengingat: Ümmü".utf8).base64EncodedString())?=")
        #expect(Mailer.envelope("Studio Booking <studio@contoh.id>") == "studio@contoh.id")
        #expect(Mailer.envelope("studio@contoh.id") == "studio@contoh.id")
        #expect(Mailer.messageID("k-1") == "<k-1@studio-booking>")
        #expect(Mailer.dateFormatter().string(from: Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test func theSenderWaitsForTheNextDueMessageWithinBounds() {
        #expect(MessageSender.wait(untilDue: nil) == 5_000)
        #expect(MessageSender.wait(untilDue: 0.25) == 251)
        #expect(MessageSender.wait(untilDue: -3) == 100, "due but being claimed: a short pause")
        // A reminder half a year away: the usual look after 5 s, not an Int32 overflow.
        #expect(MessageSender.wait(untilDue: 180 * 86_400) == 5_000)
    }
}
