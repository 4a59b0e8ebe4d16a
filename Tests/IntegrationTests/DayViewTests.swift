import Foundation
@testable import StudioBooking
import Testing
import TestSupport

/// The staff day view (`/staff/bookings?tanggal=…`) against a real PostgreSQL: a session of several
/// hours is one block, the free stretches between sessions collapsed; a cancelled booking takes no
/// time and is listed apart.
@Suite(.needs(.database))
struct DayViewTests {
    @Test func aLongSessionIsOneBlockAndACancelledOneIsListedApart() throws {
        var (database, client, staff) = try ScheduleAdminTests.studio(signedInAs: "budi")
        let day = BookingClient.date(daysAhead: 3)
        #expect(client.book(BookingClient.fields(days: 3, jam: "13:00", ["durasi_jam": "3", "nama_customer": "Sesi Panjang"])).status == 303)
        #expect(client.book(BookingClient.fields(
            days: 3, jam: "17:00", ["nama_customer": "Akan Batal", "telp_customer": "0813 5555 0001"])).status == 303)
        let kode = try #require(try database.scalar("SELECT kode_cs FROM booking_online WHERE nama_customer = 'Sesi Panjang'"))
        let id = try #require(try database.scalar("SELECT id_booking FROM booking_online WHERE nama_customer = 'Sesi Panjang'"))

        var page = staff.get("/staff/bookings?tanggal=\(day)").text
        #expect(page.contains("<p class=\"count\">2 booking.</p>"))
        let studio = try #require(page.components(separatedBy: "<section class=\"studio-day\">").dropFirst().first)
        let session = "<li class=\"session span-3\"><a class=\"time\" href=\"/staff/bookings/\(id)\">13.00–16.00</a> <span class=\"length\">3 jam</span>\n"
            + "<span class=\"who\">Sesi Panjang</span> <span class=\"telp\">08123456789</span> "
            + "<span class=\"kode-cs\"><a href=\"/staff/customers/\(kode)\">\(kode)</a></span></li>"
        #expect(studio.contains(session))
        #expect(Self.free(studio) == ["09.00–13.00", "16.00–17.00", "18.00–21.00"])
        #expect(studio.contains("17.00–18.00</a> <span class=\"length\">1 jam</span>\n<span class=\"who\">Akan Batal</span>"))
        #expect(!studio.contains("<details class=\"cancelled\">"))

        try database.connect().execute("UPDATE booking_online SET dibatalkan_pada = now() WHERE nama_customer = 'Akan Batal'")
        page = staff.get("/staff/bookings?tanggal=\(day)").text
        #expect(page.contains("<p class=\"count\">1 booking.</p>"))
        let after = try #require(page.components(separatedBy: "<section class=\"studio-day\">").dropFirst().first)
        #expect(after.contains(session))
        #expect(Self.free(after) == ["09.00–13.00", "16.00–21.00"])
        // Listed apart, as cancelled, its hour free.
        let cancelled = try #require(after.components(separatedBy: "<details class=\"cancelled\">").dropFirst().first)
        #expect(cancelled.contains("17.00–18.00</a> Akan Batal"))
        #expect(after.components(separatedBy: "Akan Batal").count == 2)
    }

    /// The free stretches of a studio's timeline, in order.
    static func free(_ section: String) -> [String] {
        section.components(separatedBy: "<li class=\"free\"><span class=\"time\">").dropFirst()
            .map { String($0.prefix { $0 != "<" }) }
    }
}
