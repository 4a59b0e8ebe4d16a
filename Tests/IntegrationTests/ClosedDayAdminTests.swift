import Foundation
import HTTPMessages
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// Closed days through the router (`/staff/libur`), against a real PostgreSQL: the bookings that
/// fall on one, and that nothing can be booked there until it is opened again.
@Suite(.needs(.database))
struct ClosedDayAdminTests {
    typealias Admin = ScheduleAdminTests

    /// The free starts the public form offers for a studio, day and length.
    static func offered(_ visitor: inout StaffClient, studio: Int, _ day: String, hours: Int = 1) -> [String] {
        let form = visitor.get("/booking?studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=\(hours)")
        let select = form.text.firstMatch(of: /<select id="jam_booking"[\s\S]*?<\/select>/).map { String($0.0) } ?? ""
        return select.matches(of: /<option value="([0-9]{2}:00)"/).map { String($0.1) }
    }

    @Test func aClosedDayListsItsBookingsRefusesNewOnesAndOpensAgain() throws {
        var (database, client, staff) = try Admin.studio()
        let day = BookingClient.date(daysAhead: 4)
        // On that day: a two-hour session (studio 1), a legacy booking whose phone is CS-000003's
        // (studio 2), and a cancelled one, which must not be listed.
        #expect(client.book(BookingClient.fields(days: 4, jam: "10:00", ["durasi_jam": "2", "nama_customer": "Sesi Dua Jam"])).status == 303)
        let db = try database.connect()
        try db.query(
            """
            INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking)
            VALUES ('Pelanggan Lama', '0857 1111 0003', 2, $1::date, '15:00')
            """, [day])
        try db.query(
            """
            INSERT INTO booking_online (ref, nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking,
                                        durasi_jam, dibatalkan_pada)
            VALUES ('batal-1', 'Sudah Batal', '0811', 3, $1::date, '09:00', 1, now())
            """, [day])
        var visitor = StaffClient(client.app.makeResponder())
        #expect(Self.offered(&visitor, studio: 1, day).count == 10)

        let added = Admin.post(&staff, "/staff/libur", ["tanggal": day, "studio_id": "", "keterangan": "Nyepi"])
        #expect(added.status == 303)
        #expect(added.header("Location") == "/staff/libur")
        #expect(client.log().contains(" info Closed day added by staff ani: \(day), every studio\n"))
        let page = staff.get("/staff/libur")
        #expect(page.status == 200)
        let section = try #require(page.text.firstMatch(of: /<section class="closed-day">[\s\S]*?<\/section>/)).0
        #expect(section.contains("\(BookingClient.shown(day)) · Semua studio</h3>"))
        #expect(section.contains("Nyepi"))
        let kode = try #require(try database.scalar("SELECT kode_cs FROM booking_online WHERE nama_customer = 'Sesi Dua Jam'"))
        #expect(section.contains(
            "<td data-label=\"Studio\">Studio Anggrek</td><td data-label=\"Jam\">10.00</td><td data-label=\"Lama\">2 jam</td><td data-label=\"Nama\">Sesi Dua Jam</td>"))
        #expect(section.contains("<a href=\"/staff/customers/\(kode)\">\(kode)</a>"))
        #expect(section.contains(
            "<td data-label=\"Nama\">Pelanggan Lama</td><td class=\"telp\" data-label=\"Telepon\">0857 1111 0003</td><td class=\"kode-cs\" data-label=\"Kode\"><a href=\"/staff/customers/CS-000003\">"))
        #expect(!section.contains("Sudah Batal"))

        // Nothing is offered or accepted that day, in any studio; other days are as they were.
        for studio in 1...3 { #expect(Self.offered(&visitor, studio: studio, day) == [], "studio \(studio)") }
        let jam = visitor.get("/booking/jam?studio_id=2&tanggal_booking=\(day)")
        #expect(jam.text.contains("\"jam\":[]"))
        let bookings = try database.count("booking_online")
        let refused = client.book(BookingClient.fields(days: 4, jam: "13:00", ["studio_id": "3", "telp_customer": "0811 2222 3333"]))
        #expect(refused.status == 422)
        #expect(try database.count("booking_online") == bookings)
        #expect(Self.offered(&visitor, studio: 1, BookingClient.date(daysAhead: 5)).count == 12)

        // Closed twice: refused, the values kept.
        let twice = Admin.post(&staff, "/staff/libur", ["tanggal": day, "studio_id": "2", "keterangan": "Lagi"])
        #expect(twice.status == 422)
        #expect(twice.text.contains("sudah menjadi hari libur"))
        #expect(twice.text.contains("value=\"Lagi\"") && twice.text.contains("<option value=\"2\" selected>"))
        #expect(try database.count("hari_libur") == 1)

        // Opened again: the session's hours stay taken, the rest is free again.
        let id = try #require(try database.scalar("SELECT id_libur FROM hari_libur"))
        #expect(Admin.post(&staff, "/staff/libur/\(id)/hapus", [:]).header("Location") == "/staff/libur")
        #expect(try database.count("hari_libur") == 0)
        #expect(Self.offered(&visitor, studio: 1, day) == ["09:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00", "18:00", "19:00", "20:00"])
        #expect(client.book(BookingClient.fields(days: 4, jam: "13:00", ["studio_id": "3", "telp_customer": "0811 2222 3333"])).status == 303)
        // Sent twice, the second finds nothing to open.
        #expect(Admin.post(&staff, "/staff/libur/\(id)/hapus", [:]).status == 303)
        #expect(staff.get("/staff/libur").text.contains("Tidak ada hari libur mendatang."))
    }

    @Test func oneStudiosClosedDayLeavesTheOthersOpen() throws {
        var (database, client, staff) = try Admin.studio()
        let day = BookingClient.date(daysAhead: 6)
        #expect(Admin.post(&staff, "/staff/libur", ["tanggal": day, "studio_id": "2", "keterangan": "Renovasi"]).status == 303)
        var visitor = StaffClient(client.app.makeResponder())
        #expect(Self.offered(&visitor, studio: 2, day) == [])
        #expect(Self.offered(&visitor, studio: 1, day).count == 12)
        #expect(client.log().contains("Closed day added by staff ani: \(day), studio 2\n"))
        // The whole day may still be closed for every studio on top of it.
        #expect(Admin.post(&staff, "/staff/libur", ["tanggal": day]).status == 303)
        #expect(Self.offered(&visitor, studio: 1, day) == [])
        let page = staff.get("/staff/libur").text
        #expect(page.contains("\(BookingClient.shown(day)) · Semua studio</h3>")
            && page.contains("\(BookingClient.shown(day)) · Studio Bougenvil - Keluarga</h3>"))
        #expect(try database.count("hari_libur") == 2)
    }

    @Test(arguments: [
        (["tanggal": BookingClient.date(daysAhead: -1)], "tanggal", "sudah lewat"),
        (["tanggal": "2026-13-01"], "tanggal", "tidak valid"),
        (["tanggal": ""], "tanggal", "wajib diisi"),
        (["tanggal": BookingClient.date(daysAhead: 3), "studio_id": "99"], "studio_id", "tidak ditemukan"),
        (["tanggal": BookingClient.date(daysAhead: 3), "keterangan": String(repeating: "libur ", count: 40)], "keterangan", "200"),
    ])
    func aBadClosedDayIsRefusedWithItsValuesKept(_ fields: [String: String], _ field: String, _ message: String) throws {
        var (database, _, staff) = try Admin.studio()
        let refused = Admin.post(&staff, "/staff/libur", fields.merging(["keterangan": "Alasan <x>"]) { old, _ in old })
        #expect(refused.status == 422)
        let error = try #require(refused.text.firstMatch(of: try Regex("<p class=\"error\" id=\"\(field)-error\">([^<]*)</p>")))
        #expect(error.0.description.contains(message))
        #expect(refused.text.contains("value=\"\((fields["tanggal"] ?? ""))\""))
        if fields["studio_id"] != nil { #expect(refused.text.contains("<option value=\"99\" selected>Studio 99</option>")) }
        if fields["keterangan"] == nil { #expect(refused.text.contains("value=\"Alasan &lt;x&gt;\"")) }
        #expect(try database.count("hari_libur") == 0)
    }

    /// When a closed day was made is shown in the studios' time zone (Asia/Jakarta, UTC+7).
    @Test func timesAreShownInTheStudiosTimeZone() throws {
        var (database, _, staff) = try Admin.studio()
        let day = BookingClient.date(daysAhead: 2)
        try database.connect().query(
            "INSERT INTO hari_libur (tanggal, keterangan, dibuat_pada) VALUES ($1::date, 'Lebaran', '2026-03-01 20:30:00+00')", [day])
        #expect(staff.get("/staff/libur").text.contains("(dibuat Sen, 2 Mar 2026 03.30)"))
    }
}
