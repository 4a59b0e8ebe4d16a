import Foundation
@testable import StudioBooking
import Testing
import TestSupport

/// The staff day view (`/staff/bookings?tanggal=…`) against a real PostgreSQL: a session of several
/// hours fills each of its rows; a cancelled booking takes none.
@Suite(.needs(.database))
struct DayViewTests {
    @Test func aLongSessionFillsItsHoursAndACancelledOneIsGone() throws {
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
        #expect(studio.contains(
            "<tr class=\"booked\"><td>13:00</td><td>Sesi Panjang</td><td>08123456789</td><td class=\"kode-cs\"><a href=\"/staff/customers/\(kode)\">\(kode)</a></td><td class=\"sesi\"><a href=\"/staff/bookings/\(id)\">13:00–16:00 (3 jam)</a></td></tr>"))
        for hour in ["14:00", "15:00"] {
            #expect(studio.contains(
                "<tr class=\"booked continuing\"><td>\(hour)</td><td>Sesi Panjang</td><td>08123456789</td><td class=\"kode-cs\"><a href=\"/staff/customers/\(kode)\">\(kode)</a></td><td class=\"sesi\"><a href=\"/staff/bookings/\(id)\">lanjutan · 13:00–16:00 (3 jam)</a></td></tr>"),
                "\(hour)")
        }
        #expect(studio.contains("<tr class=\"free\"><td>16:00</td>"))
        #expect(studio.contains("<td>17:00</td><td>Akan Batal</td>"))

        try database.connect().execute("UPDATE booking_online SET dibatalkan_pada = now() WHERE nama_customer = 'Akan Batal'")
        page = staff.get("/staff/bookings?tanggal=\(day)").text
        #expect(page.contains("<p class=\"count\">1 booking.</p>"))
        #expect(page.contains("<tr class=\"free\"><td>17:00</td>"))
        // Listed apart, marked, and only there (issue 18).
        let sections = page.components(separatedBy: "<section class=\"studio-day")
        #expect(sections.filter { $0.contains("Akan Batal") }.count == 1)
        #expect(sections.last!.hasPrefix(" cancelled\">") && sections.last!.contains("<td>17:00</td><td>Akan Batal</td>"))
        #expect(sections.last!.contains("· Dibatalkan</td>"))
    }
}
