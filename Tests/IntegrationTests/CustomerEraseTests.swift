import Foundation
import HTTPMessages
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// The personal-data pages (data.json, the erasure), the history bookings and cancellations write,
/// and the staff changes racing bookings with the same phone.
@Suite(.needs(.database))
struct CustomerEraseTests {
    typealias Changes = CustomerChangeTests

    @Test func theDataDownloadHoldsTheFieldsTheBookingsAndTheHistory() throws {
        var (_, client, staff) = try Changes.studio()
        #expect(client.book(BookingClient.fields(days: 4, ["telp_customer": "0857 1111 0003"])).status == 303)
        let data = staff.get("/staff/customers/CS-000003/data.json")
        #expect(data.status == 200)
        #expect(data.header("Content-Disposition") == "attachment; filename=\"customer-CS-000003.json\"")
        #expect(data.header("Content-Type") == "application/json; charset=utf-8")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(data.body)) as? [String: Any])
        let customer = try #require(json["customer"] as? [String: Any])
        #expect(customer["kode_cs"] as? String == "CS-000003" && customer["alamat"] as? String == "Jl. Contoh No. 123, Jakarta")
        let bookings = try #require(json["bookings"] as? [[String: Any]])
        #expect(bookings.map { $0["nama_customer"] as? String } == ["John Doe", "Maya Anggraini"])
        let history = try #require(json["riwayat"] as? [[String: Any]])
        #expect(Set(history.compactMap { $0["kolom"] as? String }) == ["alamat", "jenis_kelamin", "email", "tanggal_booking"])
        #expect(client.log().contains(" info Customer data downloaded by staff ani: CS-000003\n"))
    }

    @Test func aWrongConfirmationIs422AndChangesNothing() throws {
        var (database, _, staff) = try Changes.studio()
        let before = try database.rows("SELECT * FROM customer ORDER BY id_customer")
        let answer = Changes.post(&staff, "/staff/customers/CS-000003/hapus", ["konfirmasi": "CS-000002"])
        #expect(answer.status == 422)
        #expect(answer.text.contains("value=\"CS-000002\"") && answer.text.contains(Copy.eraseConfirmation))
        #expect(try database.rows("SELECT * FROM customer ORDER BY id_customer") == before)
    }

    @Test func anErasureLeavesNothingPersonalAndTheOldPhoneMakesANewCustomer() throws {
        var (database, client, staff) = try Changes.studio()
        #expect(client.book(BookingClient.fields(days: 4, ["telp_customer": "0857 1111 0003"])).status == 303)
        // A row merged into it is the same person's.
        #expect(Changes.post(&staff, "/staff/customers/CS-000006/gabung", ["ke": "CS-000003"]).status == 303)
        #expect(try database.count("customer_riwayat") > 0)
        try CustomerMasterStore.refreshSearch(try database.connect(), wait: true)
        let answer = Changes.post(&staff, "/staff/customers/CS-000003/hapus", ["konfirmasi": " CS-000003 "])
        #expect(answer.status == 303)
        #expect(answer.header("Location") == "/staff/customers/CS-000003")
        #expect(try database.rows(
            "SELECT kode_cs, nama_cs, jenis_kelamin, telp, email, alamat FROM customer WHERE kode_cs IN ('CS-000003', 'CS-000006') ORDER BY 1")
            == [["CS-000003", "Dihapus", nil, nil, nil, nil], ["CS-000006", "Dihapus", nil, nil, nil, nil]])
        // Its booking, and the legacy one it owned by phone (no code).
        let theirs = "FROM booking_online WHERE kode_cs = 'CS-000003' OR created_at = '2025-04-10 07:05'"
        #expect(try database.rows("SELECT DISTINCT nama_customer, telp_customer, email_customer, alamat_customer \(theirs)")
            == [["Dihapus", "", nil, nil]])
        #expect(try database.scalar("SELECT count(*)::text \(theirs)") == "2")
        #expect(try database.scalar("SELECT count(*)::text FROM customer_riwayat h JOIN customer c USING (id_customer) WHERE c.dihapus_pada IS NOT NULL") == "0")
        #expect(try database.scalar("SELECT count(*)::text FROM customer_search s JOIN customer c USING (id_customer) WHERE c.kode_cs = 'CS-000003'") == "0")
        #expect(client.log().contains(" info Customer data erased by staff ani: CS-000003\n"))
        #expect(!Changes.listed(&staff).contains("CS-000003") && Changes.listed(&staff, "Dihapus") == [])
        #expect(!staff.get("/staff/customers.csv").text.contains("CS-000003"))
        // Searching brings the index up to date: the erased row does not come back.
        #expect(Changes.listed(&staff, "CS-000003") == [])
        #expect(try database.scalar("SELECT count(*)::text FROM customer_search s JOIN customer c USING (id_customer) WHERE c.kode_cs = 'CS-000003'") == "0")
        // A second erasure changes nothing; the page says the data is gone.
        #expect(Changes.post(&staff, "/staff/customers/CS-000003/hapus", ["konfirmasi": "CS-000003"]).status == 303)
        #expect(staff.get("/staff/customers/CS-000003").text.contains("Data pribadi customer ini sudah dihapus."))

        // Their old phone, or the name 'Dihapus', makes a new customer: an erased one is never matched.
        let count = try database.count("customer")
        #expect(client.book(BookingClient.fields(days: 6, ["telp_customer": "+62 857 1111 0003", "email_customer": ""])).status == 303)
        #expect(client.book(BookingClient.fields(
            days: 7, ["telp_customer": "0813 9999 0001", "nama_customer": "Dihapus", "email_customer": ""])).status == 303)
        #expect(try database.count("customer") == count + 2)
    }

    // MARK: - History written by bookings and cancellations

    @Test func aBookingAndACancellationWriteTheHistoryByTheBookingsRef() throws {
        var (database, client, _) = try Changes.studio()
        #expect(client.book(BookingClient.fields(days: 4, ["telp_customer": "0857 1111 0003"])).status == 303)
        let ref = try #require(try database.scalar("SELECT ref FROM booking_online ORDER BY id_booking DESC LIMIT 1"))
        #expect(try database.rows(
            "SELECT kolom, oleh_ref FROM customer_riwayat ORDER BY id_riwayat") == [
                ["tanggal_booking", ref], ["jenis_kelamin", ref], ["alamat", ref], ["email", ref],
            ])
        let latest = BookingClient.date(daysAhead: 4) + " 10:00"
        _ = try database.connect().query("SELECT * FROM sb_cancel_booking($1, now()::timestamp, 0)", [ref])
        #expect(try database.rows("SELECT kolom, lama, baru, oleh_ref FROM customer_riwayat ORDER BY id_riwayat DESC LIMIT 1")
            == [["tanggal_booking", latest, "2025-04-19 09:00", ref]])
    }

    // MARK: - Races with bookings

    /// A booking through a responder of its own, as a browser sends it.
    static func book(_ app: App, _ fields: [String: String]) -> Response {
        let responder = app.makeResponder()
        let form = responder.respond(to: Request(method: .get, path: "/booking"))
        let cookie = (form.header("Set-Cookie") ?? "").split(separator: ";").first.map(String.init) ?? ""
        let body = BookingClient.urlEncode(fields.merging(["csrf_token": BookingClient.csrfToken(in: form.text)]) { $1 })
        return responder.respond(
            to: Request(
                method: .post, path: "/booking", headerFields: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: .complete(Array(body.utf8))))
    }

    /// A merge and a booking with the merged customer's phone, at once, many times: the booking
    /// always ends on the kept customer, and no customer is made.
    @Test func aMergeRacingABookingForTheMergedPhoneEndsOnTheKeptCustomer() throws {
        let (database, client, staff) = try Changes.studio()
        let cookie = staff.cookieHeader
        let token = BookingClient.csrfToken(in: { var s = staff; return s.get("/staff/customers/CS-000011").text }())
        let app = client.app
        for round in 0..<12 {
            let phone = "0812 7000 \(1000 + round)"
            let (a, b) = ("CS-2\(round)0", "CS-2\(round)1")
            try database.connect().execute(
                "INSERT INTO customer (kode_cs, nama_cs, telp) VALUES ('\(a)', 'Ganda', '\(phone)'), ('\(b)', 'Ganda Asli', NULL)")
            let count = try database.count("customer")
            let statuses = concurrently(2) { index in
                if index == 0 {
                    return CustomerChangeTests.send(app, cookie: cookie, "/staff/customers/\(a)/gabung", ["ke": b, "csrf_token": token]).status.code
                }
                // Later and later: the booking decides before the change, during it, or after it.
                usleep(UInt32(round % 4) * 4_000)
                return Self.book(app, BookingClient.fields(days: 10 + round % 7, jam: "\(10 + round / 7):00", ["telp_customer": phone])).status.code
            }
            #expect(statuses == [303, 303], "round \(round)")
            #expect(try database.count("customer") == count)
            #expect(try database.rows("SELECT DISTINCT kode_cs FROM booking_online WHERE telp_customer = '\(phone)'") == [[b]], "round \(round)")
        }
    }

    /// An erasure and a booking with the erased customer's phone, at once: either the booking came
    /// first and was erased with the rest, or it came after and made a new customer.
    @Test func anErasureRacingABookingLeavesNothingPersonalBehind() throws {
        let (database, client, staff) = try Changes.studio()
        let cookie = staff.cookieHeader
        let token = BookingClient.csrfToken(in: { var s = staff; return s.get("/staff/customers/CS-000011").text }())
        let app = client.app
        for round in 0..<12 {
            let phone = "0812 8000 \(1000 + round)"
            let kode = "CS-3\(round)0"
            try database.connect().execute("INSERT INTO customer (kode_cs, nama_cs, telp) VALUES ('\(kode)', 'Pergi', '\(phone)')")
            let statuses = concurrently(2) { index in
                if index == 0 {
                    return CustomerChangeTests.send(app, cookie: cookie, "/staff/customers/\(kode)/hapus", ["konfirmasi": kode, "csrf_token": token]).status.code
                }
                // Later and later: the booking decides before the change, during it, or after it.
                usleep(UInt32(round % 4) * 4_000)
                return Self.book(app, BookingClient.fields(days: 10 + round % 7, jam: "\(14 + round / 7):00", ["telp_customer": phone, "email_customer": ""])).status.code
            }
            #expect(statuses == [303, 303], "round \(round)")
            let rows = try database.rows("SELECT kode_cs, nama_customer, telp_customer FROM booking_online WHERE studio_id = 1 AND tanggal_booking = '\(BookingClient.date(daysAhead: 10 + round % 7))' AND jam_booking = '\(14 + round / 7):00'")
            #expect(rows.count == 1)
            if rows.first?[0] == kode {
                #expect(rows[0] == [kode, "Dihapus", ""], "round \(round)")
            } else {
                // A new customer, with the phone.
                #expect(rows.first?[2] == phone, "round \(round)")
                #expect(try database.scalar("SELECT telp FROM customer WHERE kode_cs = $1", [rows.first?[0] ?? ""]) == "08128000\(1000 + round)")
            }
        }
    }
}
