import Foundation
import HTTPMessages
import HTTPTypes
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// Staff edit, merge and erase customers (docs/behaviour.md: Editing, merging and erasing
/// customers) through the router against a real PostgreSQL, on the legacy installation: every
/// answer, the rows each transaction leaves, and the history written with every change.
@Suite(.needs(.database))
struct CustomerChangeTests {
    /// The legacy installation with an admin (`ani`) signed in, and the booking client on it.
    static func studio(admin: Bool = true) throws -> (TestDatabase, BookingClient, StaffClient) {
        let database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        _ = try StaffStore.setPassword(
            try database.connect(), username: "ani", passwordHash: StaffAccount.hash(StaffAreaTests.password), admin: admin)
        let client = try BookingClient(database: database)
        var staff = StaffClient(client.app.makeResponder())
        #expect(staff.signIn("ani", StaffAreaTests.password).status == 303)
        return (database, client, staff)
    }

    /// Posts `fields` with the CSRF token of the customer's page.
    static func post(_ staff: inout StaffClient, _ path: String, _ fields: [String: String]) -> Response {
        let token = BookingClient.csrfToken(in: staff.get("/staff/customers/CS-000011").text)
        return staff.post(path, fields.merging(["csrf_token": token]) { old, _ in old })
    }

    static let maya = [
        "nama_cs": "Maya Anggraini", "jenis_kelamin": "Perempuan", "telp": "+62 857 1111 0003", "email": "",
        "alamat": "Perum Taman Sari C7, Depok",
    ]

    static func history(_ database: TestDatabase, _ kode: String) throws -> [[String?]] {
        try database.rows(
            """
            SELECT h.kolom, h.lama, h.baru, coalesce(h.oleh_staf, 'ref') FROM customer_riwayat h
            JOIN customer c USING (id_customer) WHERE c.kode_cs = '\(kode)' ORDER BY h.id_riwayat
            """)
    }

    static func listed(_ staff: inout StaffClient, _ query: String = "") -> [String] {
        StaffAreaTests.codes(staff.get("/staff/customers" + (query.isEmpty ? "" : "?q=\(query)")))
    }

    // MARK: - Edit

    @Test func anEditIsValidatedAsABookingAndWritesItsHistory() throws {
        var (database, client, staff) = try Self.studio(admin: false)
        var bad = Self.maya
        (bad["telp"], bad["email"], bad["nama_cs"]) = ("0857-abc", "bukan-email", "  ")
        let refused = Self.post(&staff, "/staff/customers/CS-000003", bad)
        #expect(refused.status == 422)
        #expect(refused.text.contains("value=\"0857-abc\"") && refused.text.contains("value=\"bukan-email\""))
        #expect(refused.text.contains("Nomor telepon hanya boleh berisi angka") && refused.text.contains("Nama wajib diisi."))
        #expect(try Self.history(database, "CS-000003").isEmpty)

        var edit = Self.maya
        (edit["telp"], edit["email"], edit["alamat"]) = ("+62 857 2222 0003", " Maya@Contoh.COM ", "Jl. Baru 1, Depok")
        let answer = Self.post(&staff, "/staff/customers/CS-000003", edit)
        #expect(answer.status == 303)
        #expect(answer.header("Location") == "/staff/customers/CS-000003")
        #expect(try database.rows("SELECT telp, email, alamat, jenis_kelamin FROM customer WHERE kode_cs = 'CS-000003'")
            == [["085722220003", "maya@contoh.com", "Jl. Baru 1, Depok", "Perempuan"]])
        #expect(try Self.history(database, "CS-000003") == [
            ["jenis_kelamin", "Wanita", "Perempuan", "ani"], ["telp", "+62 857 1111 0003", "085722220003", "ani"],
            ["email", nil, "maya@contoh.com", "ani"], ["alamat", "Perum Taman Sari C7, Depok", "Jl. Baru 1, Depok", "ani"],
        ])
        #expect(client.log().contains(" info Customer edited by staff ani: CS-000003\n"))
        // The search sees the edit (the trigger's note), and the page shows the history newest first.
        #expect(Self.listed(&staff, "0857-2222-0003") == ["CS-000003"])
        let page = staff.get("/staff/customers/CS-000003").text
        #expect(page.contains("Riwayat perubahan"))
        let alamat = try #require(page.range(of: "<td>Alamat</td>")), telp = try #require(page.range(of: "<td>Telepon</td>"))
        #expect(alamat.lowerBound < telp.lowerBound)

        // Phone and e-mail may be emptied.
        (edit["telp"], edit["email"]) = ("", "")
        #expect(Self.post(&staff, "/staff/customers/CS-000003", edit).status == 303)
        #expect(try database.rows("SELECT telp, email FROM customer WHERE kode_cs = 'CS-000003'") == [[nil, nil]])
    }

    @Test func aPhoneOrEmailAnotherCustomerHoldsIs409WithTheMergeOffered() throws {
        var (database, _, staff) = try Self.studio()
        var edit = Self.maya
        edit["telp"] = "0857 1111 0002"
        let taken = Self.post(&staff, "/staff/customers/CS-000003", edit)
        #expect(taken.status == 409)
        #expect(taken.text.contains("value=\"0857 1111 0002\""))
        #expect(taken.text.contains("action=\"/staff/customers/CS-000003/gabung\""))
        #expect(taken.text.contains("name=\"ke\" value=\"CS-000002\""))
        #expect(try database.scalar("SELECT telp FROM customer WHERE kode_cs = 'CS-000003'") == "+62 857 1111 0003")
        // A merged or erased holder does not count.
        try database.connect().execute("UPDATE customer SET digabung_ke = 'CS-000014' WHERE kode_cs = 'CS-000002'")
        #expect(Self.post(&staff, "/staff/customers/CS-000003", edit).status == 303)
    }

    static func versi(_ page: Response) -> String {
        page.text.firstMatch(of: /name="versi" value="([0-9a-f]*)"/).map { String($0.1) } ?? ""
    }

    /// Two staff open the page and both save: the second is told (409), with what they typed kept,
    /// and saving that page again is meant. A booking's change between opening and saving, too.
    @Test func twoStaffEditingOneCustomerTheSecondGets409() throws {
        var (database, client, first) = try Self.studio()
        var second = first
        second.responder = client.app.makeResponder()
        let seen = Self.versi(first.get("/staff/customers/CS-000003"))
        #expect(seen.count == 24)
        var mine = Self.maya, theirs = Self.maya
        (mine["alamat"], theirs["alamat"]) = ("Jl. Pertama 1", "Jl. Kedua 2")
        #expect(Self.post(&first, "/staff/customers/CS-000003", mine.merging(["versi": seen]) { $1 }).status == 303)
        let late = Self.post(&second, "/staff/customers/CS-000003", theirs.merging(["versi": seen]) { $1 })
        #expect(late.status == 409)
        #expect(late.text.contains(Copy.customerChanged) && late.text.contains("Jl. Kedua 2"))
        #expect(try database.scalar("SELECT alamat FROM customer WHERE kode_cs = 'CS-000003'") == "Jl. Pertama 1")
        #expect(Self.post(&second, "/staff/customers/CS-000003", theirs.merging(["versi": Self.versi(late)]) { $1 }).status == 303)
        #expect(try database.scalar("SELECT alamat FROM customer WHERE kode_cs = 'CS-000003'") == "Jl. Kedua 2")

        let opened = Self.versi(first.get("/staff/customers/CS-000003"))
        #expect(client.book(BookingClient.fields(days: 4, ["telp_customer": "0857 1111 0003"])).status == 303)
        #expect(Self.post(&first, "/staff/customers/CS-000003", mine.merging(["versi": opened]) { $1 }).status == 409)
    }

    @Test func withoutTheTokenOrAsStafTheAnswerIs403() throws {
        var (database, _, desk) = try Self.studio(admin: false)
        let before = try database.rows("SELECT * FROM customer ORDER BY id_customer")
        #expect(desk.post("/staff/customers/CS-000003", Self.maya).status == 403)
        #expect(Self.post(&desk, "/staff/customers/CS-000003/gabung", ["ke": "CS-000002"]).status == 403)
        #expect(Self.post(&desk, "/staff/customers/CS-000003/hapus", ["konfirmasi": "CS-000003"]).status == 403)
        #expect(desk.get("/staff/customers/CS-000003/data.json").status == 403)
        #expect(try database.rows("SELECT * FROM customer ORDER BY id_customer") == before)
    }

    // MARK: - Merge

    @Test func aMergeRepointsFillsHidesAndRedirects() throws {
        var (database, client, staff) = try Self.studio()
        #expect(client.book(BookingClient.fields(days: 4, ["telp_customer": "0857 1111 0003", "nama_customer": "Maya A"])).status == 303)
        let answer = Self.post(&staff, "/staff/customers/CS-000003/gabung", ["ke": "CS-000017"])
        #expect(answer.status == 303)
        #expect(answer.header("Location") == "/staff/customers/CS-000017")
        // Its bookings, the legacy one it owned by phone too, carry the kept code.
        #expect(try database.rows("SELECT DISTINCT kode_cs FROM booking_online WHERE sb_normalize_phone(telp_customer) = '085711110003'")
            == [["CS-000017"]])
        #expect(try database.rows("SELECT kode_cs, telp, digabung_ke FROM customer WHERE kode_cs IN ('CS-000003', 'CS-000017') ORDER BY 1")
            == [["CS-000003", "+62 857 1111 0003", "CS-000017"], ["CS-000017", "+62 857 1111 0003", nil]])
        #expect(try Self.history(database, "CS-000017").map { $0[0] } == ["telp", "email", "tanggal_booking"])
        #expect(try Self.history(database, "CS-000003").last == ["digabung_ke", nil, "CS-000017", "ani"])
        #expect(client.log().contains(" info Customers merged by staff ani: CS-000003 into CS-000017\n"))

        #expect(staff.get("/staff/customers/CS-000003").header("Location") == "/staff/customers/CS-000017")
        #expect(!Self.listed(&staff).contains("CS-000003"))
        #expect(Self.listed(&staff, "Maya") == [])
        #expect(Self.listed(&staff, "CS-000003") == [], "its code, looked up exactly, finds nothing")
        #expect(Self.listed(&staff, "0857111100") .contains("CS-000017"))
        #expect(!staff.get("/staff/customers.csv").text.contains("CS-000003"))
        #expect(staff.get("/staff/customers/CS-000017").text.contains("<dt>Jumlah booking</dt><dd>2</dd>"))

        // A later booking that matches the merged row goes to the kept customer: no duplicate.
        let count = try database.count("customer")
        #expect(client.book(BookingClient.fields(days: 6, ["telp_customer": "+62 857 1111 0003"])).status == 303)
        #expect(try database.count("customer") == count)
        #expect(try database.scalar("SELECT kode_cs FROM booking_online ORDER BY id_booking DESC LIMIT 1") == "CS-000017")
        #expect(try database.scalar("SELECT oleh_ref FROM customer_riwayat ORDER BY id_riwayat DESC LIMIT 1")
            == database.scalar("SELECT ref FROM booking_online ORDER BY id_booking DESC LIMIT 1"))
    }

    @Test func aMergeIntoItselfAnUnknownAMergedAnErasedOneOrACycleIs422AndOfAMergedOne409() throws {
        var (database, _, staff) = try Self.studio()
        #expect(Self.post(&staff, "/staff/customers/CS-000003/gabung", ["ke": "CS-000017"]).status == 303)
        try database.connect().execute("UPDATE customer SET dihapus_pada = now() WHERE kode_cs = 'CS-000018'")
        let before = try database.rows("SELECT * FROM customer ORDER BY id_customer")
        for (from, into) in [("CS-000002", "CS-000002"), ("CS-000002", "CS-999999"), ("CS-000002", "CS-000003"),
                             ("CS-000002", "CS-000018"), ("CS-000017", "CS-000003"), ("CS-000002", "")] {
            let answer = Self.post(&staff, "/staff/customers/\(from)/gabung", ["ke": into])
            #expect(answer.status == 422, "\(from) into \(into)")
        }
        // A form from the page of a customer merged or erased since: 409, a page saying so.
        for (path, fields) in [("/staff/customers/CS-000003/gabung", ["ke": "CS-000002"]), ("/staff/customers/CS-000003", Self.maya),
                               ("/staff/customers/CS-000003/hapus", ["konfirmasi": "CS-000003"]),
                               ("/staff/customers/CS-000018/gabung", ["ke": "CS-000002"]), ("/staff/customers/CS-000018", Self.maya)] {
            let answer = Self.post(&staff, path, fields)
            #expect(answer.status == 409, "\(path)")
            #expect(answer.text.contains("sejak halaman dibuka"), "\(path)")
        }
        let itself = Self.post(&staff, "/staff/customers/CS-000002/gabung", ["ke": "CS-000002"])
        #expect(itself.text.contains("dirinya sendiri") && itself.text.contains("value=\"CS-000002\""))
        #expect(try database.rows("SELECT * FROM customer ORDER BY id_customer") == before)
        #expect(Self.post(&staff, "/staff/customers/CS-999999/gabung", ["ke": "CS-000002"]).status == 404)
    }

    @Test func aChangeWhileAnotherStaffMemberChangesTheCustomerIs409AndWritesNothing() throws {
        var (database, _, staff) = try Self.studio()
        let id = try #require(try database.scalar("SELECT id_customer::text FROM customer WHERE kode_cs = 'CS-000002'"))
        let other = try database.connect()
        try other.execute("BEGIN")
        _ = try other.query("SELECT pg_advisory_xact_lock(hashtextextended('sb:customer-change:' || $1, 0))", [id])
        let before = try database.rows("SELECT * FROM customer ORDER BY id_customer")
        var edit = Self.maya
        edit["nama_cs"] = "Joko"
        for (path, fields) in [("/staff/customers/CS-000003/gabung", ["ke": "CS-000002"]), ("/staff/customers/CS-000002", edit),
                               ("/staff/customers/CS-000002/hapus", ["konfirmasi": "CS-000002"])] {
            let answer = Self.post(&staff, path, fields)
            #expect(answer.status == 409, "\(path)")
            #expect(answer.text.contains(Copy.customerBusy))
        }
        #expect(try database.rows("SELECT * FROM customer ORDER BY id_customer") == before)
        try other.execute("ROLLBACK")
        #expect(Self.post(&staff, "/staff/customers/CS-000003/gabung", ["ke": "CS-000002"]).status == 303)
    }

    @Test func twoMergesOfTheSameCustomersAtOnceOneWinsNothingHalfDone() throws {
        let (database, client, staff) = try Self.studio()
        let cookie = staff.cookieHeader
        let token = BookingClient.csrfToken(in: { var s = staff; return s.get("/staff/customers/CS-000011").text }())
        let app = client.app
        for round in 0..<10 {
            let (a, b) = ("CS-1\(round)0", "CS-1\(round)1")
            try database.connect().execute(
                "INSERT INTO customer (kode_cs, nama_cs, telp) VALUES ('\(a)', 'Satu', '0811000\(round)0000'), ('\(b)', 'Dua', NULL)")
            let statuses = concurrently(2) { index in
                let (from, into) = index == 0 ? (a, b) : (b, a)
                return Self.send(app, cookie: cookie, "/staff/customers/\(from)/gabung", ["ke": into, "csrf_token": token]).status.code
            }
            #expect(statuses.filter { $0 == 303 }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { [303, 409, 422].contains($0) }, "\(statuses)")
            #expect(try database.scalar("SELECT count(*)::text FROM customer WHERE kode_cs IN ('\(a)', '\(b)') AND digabung_ke IS NOT NULL") == "1")
        }
    }

    static func send(_ app: App, cookie: String, _ path: String, _ fields: [String: String]) -> Response {
        app.makeResponder().respond(
            to: Request(
                method: .post, path: path, headerFields: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: .complete(Array(BookingClient.urlEncode(fields).utf8))))
    }
}
