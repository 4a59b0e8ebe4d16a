import Foundation
import HTTPMessages
import Testing
import TestSupport
@testable import StudioBooking

/// The booking's page through the router, its clock set: the actions while the start is more than
/// BOOKING_CANCEL_HOURS away, the reason and the studio's WhatsApp (STUDIO_WHATSAPP) after.
@Suite(.needs(.database))
struct SelfServicePageTests {
    static let tomorrow = BookingClient.date(daysAhead: 1)

    /// A client whose clock reads `hour`:00 today in Jakarta.
    static func client(_ database: TestDatabase, at hour: Int, whatsApp: String? = "0812-3456-7890") throws -> BookingClient {
        try BookingClient(database: database, calendar: BookingClient.calendar(todayAt: hour, 0)) {
            $0.studioWhatsApp = whatsApp.flatMap(Phone.international)
        }
    }

    static func post(_ client: inout BookingClient, _ path: String, _ body: String) -> Response {
        let (cookie, token) = client.visit()
        return client.responder.respond(
            to: Request(
                method: .post, path: path, headerFields: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: .complete(Array("csrf_token=\(token)&\(body)".utf8))))
    }

    @Test func theActionsUntilTheCutoffThenTheStudiosWhatsApp() throws {
        let database = try BookingTransactionTests.emptyDatabase()
        var early = try Self.client(database, at: 8)
        let booked = early.book(BookingClient.fields(days: 1, jam: "10:00", ["durasi_jam": "2"]))
        let path = try #require(booked.header("Location"))

        // 26 hours before the start: both actions, and until when.
        let page = early.get(path)
        #expect(page.status == 200)
        #expect(page.text.contains("sebelum \(BookingClient.shown(BookingClient.date(daysAhead: 0))) pukul 10.00."))
        #expect(page.text.contains("action=\"\(path)/batal\""))
        #expect(page.text.contains("href=\"\(path)/ubah\""))
        let link = try #require(page.text.firstMatch(of: /href="(https:\/\/wa\.me\/[^"]*)"/).map { String($0.1) })
        #expect(link.hasPrefix("https://wa.me/6281234567890?text="))
        let text = try #require(link.split(separator: "=", maxSplits: 1).last?.removingPercentEncoding)
        #expect(text.contains("CS-000001") && text.contains("\(BookingClient.shown(Self.tomorrow)) 10.00–12.00 (2 jam)"), "\(text)")

        // 23 hours before: none, the reason, and WhatsApp; a cancel or a change is refused with it.
        var late = try Self.client(database, at: 11)
        let closed = late.get(path)
        #expect(!closed.text.contains("/batal\"") && !closed.text.contains("/ubah\""))
        #expect(closed.text.contains("batasnya 24 jam sebelum sesi dimulai. Untuk perubahan, hubungi studio lewat WhatsApp."))
        let cancel = Self.post(&late, path + "/batal", "")
        #expect(cancel.status == 422)
        #expect(cancel.text.contains("tidak dapat dibatalkan lagi") && cancel.text.contains("https://wa.me/62"))
        #expect(Self.post(&late, path + "/ubah", "studio_id=1&tanggal_booking=\(BookingClient.date(daysAhead: 5))&jam_booking=10:00").status == 422)
        #expect(late.get(path + "/ubah").text.contains("tidak dapat diubah lagi"))
        #expect(try database.scalar("SELECT jadwal_versi::text || (dibatalkan_pada IS NULL)::text FROM booking_online") == "0true")

        // Without STUDIO_WHATSAPP: no link, and the studio to be reached directly.
        var direct = try Self.client(database, at: 11, whatsApp: nil)
        let plain = direct.get(path)
        #expect(!plain.text.contains("wa.me"))
        #expect(plain.text.contains("hubungi studio secara langsung"))

        // In time, a cancel goes through, is logged, and the page says so; this responder's free
        // times drop the day before the answer (the listener, which would tell it too, is not running here).
        let day = FreeTimesCache.Key(studio: 1, day: Day(iso: Self.tomorrow)!)
        early.app.booking.freeTimes.reset(live: true)
        early.app.booking.freeTimes.store(StudioDay(open: 1 << 10, busy: 1 << 10), for: day, readAt: early.app.booking.freeTimes.lookup(day).generation)
        #expect(early.app.booking.freeTimes.lookup(day).day != nil)
        #expect(Self.post(&early, path + "/batal", "").status == 303)
        #expect(early.app.booking.freeTimes.lookup(day).day == nil)
        #expect(early.log().contains(" info Booking cancelled by customer: John Doe (08123456789)\n"))
        #expect(early.get(path).text.contains("<h1>Booking dibatalkan</h1>"))
    }
}
