import Foundation
import HTTPMessages
import Testing
import TestSupport
@testable import StudioBooking

/// The form with free starts from its kept page (BookingController.choiceForm): for every ask the
/// same page, byte for byte, as the form rendered whole (renderForm, what any other ask gets),
/// whatever the day holds, however the asks follow each other, and when staff change a studio. The
/// token is taken out of both.
@Suite(.needs(.database))
struct KeptFormTests {
    static func withoutToken(_ html: String) -> String {
        html.replacing(/name="csrf_token" value="[0-9a-f]*"/, with: #"name="csrf_token" value="""#)
    }

    static func form(_ client: BookingClient, _ query: String) -> String {
        client.responder.respond(to: Request(method: .get, path: "/booking", query: query)).text
    }

    @Test func theKeptPageIsThePageRenderedWhole() throws {
        let database = try BookingTransactionTests.emptyDatabase()
        var client = try BookingClient(database: database)
        let busy = BookingClient.date(daysAhead: 3), closed = BookingClient.date(daysAhead: 4)
        let free = BookingClient.date(daysAhead: 5)
        #expect(client.book(BookingClient.fields(days: 3, jam: "10:00", ["durasi_jam": "2"])).status == 303)
        try database.connect().execute(
            "INSERT INTO hari_libur (tanggal, studio_id, keterangan) VALUES ('\(closed)', 1, 'Nyepi')")

        func compare(_ studio: Int, _ day: String, _ durasi: Int, _ note: Comment) {
            let query = "studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=\(durasi)"
            let request = Request(method: .get, path: "/booking", query: query)
            let kept = client.responder.respond(to: request)
            let booking = client.app.booking
            let context = RequestContext(request, database: client.responder.database, keyring: client.app.keyring)
            let whole = booking.renderForm(
                .ok, BookingForm(scheduleQuery: request.queryFields), errors: [:], alert: nil, context,
                studios: booking.studios.studios(context.database, including: String(studio)).list)
            #expect(kept.status == 200 && whole.status == 200, note)
            #expect(Self.withoutToken(kept.text) == Self.withoutToken(whole.text), note)
            #expect(!kept.text.contains("SBPLACEHOLDER"), note)
        }
        // A day with a session booked (its hours gone), twice: the second from the kept page.
        compare(1, busy, 2, "booked day")
        compare(1, busy, 2, "booked day again")
        // Another day and length of the same studio, and another studio.
        compare(1, free, 2, "free day")
        compare(1, busy, 1, "one hour")
        compare(2, busy, 3, "studio 2")
        // A closed day: nothing free, and the next day that has a start.
        compare(1, closed, 2, "closed day")
        #expect(Self.form(client, "studio_id=1&tanggal_booking=\(closed)&durasi_jam=2").contains("data-next-free-day"))
        // The kept page with the day changed under it: the start field follows the booking.
        #expect(client.book(BookingClient.fields(days: 5, jam: "13:00", ["durasi_jam": "2"])).status == 303)
        compare(1, free, 2, "free day, then booked")
        #expect(!Self.form(client, "studio_id=1&tanggal_booking=\(free)&durasi_jam=2").contains(#"value="13:00""#))
        // Staff rename a studio and let it take longer sessions: the kept pages are of the old
        // list, so they go, and the next ask shows the new name and length.
        try database.connect().execute("UPDATE studio SET nama_studio = 'Studio Satu Baru', durasi_maks = 6 WHERE id_studio = 1")
        client.app.booking.studios.cache.withLock { $0.readAt = .distantPast }
        compare(1, busy, 2, "studio renamed")
        let renamed = Self.form(client, "studio_id=1&tanggal_booking=\(busy)&durasi_jam=2")
        #expect(renamed.contains("Studio Satu Baru") && renamed.contains(#"<option value="6">6 jam</option>"#))
    }
}
