import Foundation
import HTTPMessages
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// The admin pages of the schedule through the router, against a real PostgreSQL (issue 15): who
/// may reach them, the studio form's rules, closed days and what the public form makes of them.
@Suite(.needs(.database))
struct ScheduleAdminTests {
    static let password = "rahasia-staf-1"
    /// Hashed once: an argon2id hash (64 MiB) per account per test would slow the suite.
    static let passwordHash = try! StaffAccount.hash(password)

    /// The legacy installation (three studios), an admin `ani` and a desk account `budi`, and a
    /// staff client signed in as `username`.
    static func studio(signedInAs username: String = "ani") throws -> (TestDatabase, BookingClient, StaffClient) {
        let database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        let db = try database.connect()
        _ = try StaffStore.setPassword(db, username: "ani", passwordHash: passwordHash, admin: true)
        _ = try StaffStore.setPassword(db, username: "budi", passwordHash: passwordHash)
        let client = try BookingClient(database: database)
        var staff = StaffClient(client.app.makeResponder())
        #expect(staff.signIn(username, password).status == 303)
        return (database, client, staff)
    }

    /// Posts `fields` with the CSRF token of the page at `from`.
    static func post(_ staff: inout StaffClient, _ path: String, _ fields: [String: String], from: String = "/staff/customers") -> Response {
        let token = BookingClient.csrfToken(in: staff.get(from).text)
        return staff.post(path, fields.merging(["csrf_token": token]) { old, _ in old })
    }

    /// Studio 1's edit form as the page first shows it, with `changes`.
    static func studioFields(_ changes: [String: String] = [:]) -> [String: String] {
        var fields = ["nama_studio": "Studio Anggrek", "aktif": "1", "durasi_maks": "4"]
        for day in 1...7 { (fields["buka_\(day)"], fields["tutup_\(day)"]) = ("09:00", "21:00") }
        return fields.merging(changes) { $1 }
    }

    static func studioRows(_ database: TestDatabase) throws -> [[String?]] {
        try database.rows("SELECT * FROM studio ORDER BY id_studio")
    }

    // MARK: - Roles

    @Test func aStafAccountGets403OnEveryAdminPageAndChangesNothing() throws {
        var (database, _, staff) = try Self.studio(signedInAs: "budi")
        let before = try Self.studioRows(database)
        try database.connect().execute("INSERT INTO hari_libur (tanggal, keterangan) VALUES (current_date + 30, 'Libur')")
        for path in ["/staff/studios", "/staff/studios/1", "/staff/libur"] {
            let page = staff.get(path)
            #expect(page.status == 403, "GET \(path)")
            #expect(page.text.contains("Halaman ini hanya untuk admin."), "GET \(path)")
        }
        let posts: [(String, [String: String])] = [
            ("/staff/studios", ["nama_studio": "Studio Liar"]), ("/staff/studios/1", Self.studioFields(["nama_studio": "Diubah"])),
            ("/staff/libur", ["tanggal": BookingClient.date(daysAhead: 9)]), ("/staff/libur/1/hapus", [:]),
        ]
        for (path, fields) in posts {
            #expect(Self.post(&staff, path, fields).status == 403, "POST \(path)")
        }
        #expect(try Self.studioRows(database) == before)
        #expect(try database.count("hari_libur") == 1)
        // The desk's own pages stay open to it, without the admin links.
        let customers = staff.get("/staff/customers")
        #expect(customers.status == 200)
        #expect(!customers.text.contains("href=\"/staff/studios\""))
        // A role changed counts from the next request on, on the same session.
        try database.connect().execute("UPDATE staff_account SET peran = 'admin' WHERE username = 'budi'")
        #expect(staff.get("/staff/studios").status == 200)
    }

    @Test func anAdminReachesEveryAdminPageFromTheNavigation() throws {
        var (_, _, staff) = try Self.studio()
        let customers = staff.get("/staff/customers")
        #expect(customers.text.contains("<a href=\"/staff/studios\">") && customers.text.contains("<a href=\"/staff/libur\">"))
        for path in ["/staff/studios", "/staff/studios/1", "/staff/libur"] {
            #expect(staff.get(path).status == 200, "GET \(path)")
        }
        #expect(staff.get("/staff/studios/99").status == 404)
        #expect(staff.get("/staff/studios/satu").status == 404)
        #expect(staff.get("/staff/studios/0").status == 404)
    }

    @Test func aDisabledAccountCannotSignInAndItsSessionStops() throws {
        var (database, client, staff) = try Self.studio()
        try database.connect().execute("UPDATE staff_account SET aktif = false WHERE username = 'ani'")
        #expect(staff.get("/staff/customers").header("Location") == "/staff/login")
        var again = StaffClient(client.app.makeResponder())
        #expect(again.signIn("ani", Self.password).status == 401)
    }

    // MARK: - Studios

    @Test func theListShowsEveryStudioWithItsHoursAndAddsOne() throws {
        var (database, client, staff) = try Self.studio()
        try database.connect().execute(
            "UPDATE studio SET aktif = false, jam_buka[7] = NULL, jam_tutup[7] = NULL, durasi_maks = 6 WHERE id_studio = 3")
        let list = staff.get("/staff/studios")
        let week = ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"].map { "<td class=\"hours\" data-label=\"\($0)\">09.00–21.00</td>" }
        #expect(list.text.contains(
            "<td data-label=\"Studio\">Studio Anggrek</td><td data-label=\"Status\">Aktif</td><td data-label=\"Sesi terpanjang\">4 jam</td>"
                + week.joined()))
        #expect(list.text.contains(
            "<td data-label=\"Studio\">Studio Cempaka - Rekaman</td><td data-label=\"Status\">Tidak aktif</td><td data-label=\"Sesi terpanjang\">6 jam</td>"))
        #expect(list.text.contains("\">Tutup</td>"))

        // The public form has read the studio list (it keeps it for a while) before the change.
        var visitor = StaffClient(client.app.makeResponder())
        #expect(!visitor.get("/booking").text.contains("Studio Dahlia"))
        #expect(Self.post(&staff, "/staff/studios", ["nama_studio": "  Studio Dahlia  "]).header("Location") == "/staff/studios")
        #expect(try database.rows("SELECT nama_studio, aktif::text, durasi_maks::text, jam_buka::text, jam_tutup::text FROM studio WHERE id_studio = 4")
            == [["Studio Dahlia", "true", "4", "{9,9,9,9,9,9,9}", "{21,21,21,21,21,21,21}"]])
        // At once on the public form: the studio list is read again after a change.
        #expect(visitor.get("/booking").text.contains("<option value=\"4\">Studio Dahlia</option>"))
        #expect(client.log().contains(" info Studio added by staff ani: 4 Studio Dahlia\n"))

        for bad in ["", String(repeating: "é", count: 101)] {
            let refused = Self.post(&staff, "/staff/studios", ["nama_studio": bad])
            #expect(refused.status == 422)
            #expect(refused.text.contains("Nama studio"))
            #expect(refused.text.contains("value=\"\(bad)\""))
        }
        #expect(try database.count("studio") == 4)
    }

    /// The form control with this id: an `<input …>`, or a `<select …>…</select>` with its options.
    static func control(_ html: String, _ id: String) throws -> String {
        let pattern = try Regex("<select id=\"\(id)\"[\\s\\S]*?</select>|<input id=\"\(id)\"[^>]*>")
        return try #require(html.firstMatch(of: pattern)).0.description
    }

    /// Each bad value: 422, the message beside its field, every value as typed, nothing written.
    @Test(arguments: [
        (["nama_studio": ""], "nama_studio", "value=\"\""),
        (["nama_studio": "<b>" + String(repeating: "x", count: 100)], "nama_studio", "value=\"&lt;b&gt;xxxx"),
        (["durasi_maks": "13"], "durasi_maks", "value=\"13\""),
        (["durasi_maks": "0"], "durasi_maks", "value=\"0\""),
        (["durasi_maks": "empat"], "durasi_maks", "value=\"empat\""),
        (["buka_1": "09:30"], "buka_1", "<option value=\"09:30\" selected>09:30</option>"),
        (["tutup_2": "25:00"], "tutup_2", "<option value=\"25:00\" selected>25:00</option>"),
        (["buka_3": "21:00", "tutup_3": "09:00"], "tutup_3", "<option value=\"09:00\" selected>09.00</option>"),
        (["buka_4": "", "tutup_4": "17:00"], "buka_4", "<option value=\"\">"),
        (["buka_5": "10:00", "tutup_5": ""], "tutup_5", "<option value=\"\">"),
    ])
    func aBadStudioEditIsRefusedWithEveryValueKept(_ changes: [String: String], _ field: String, _ kept: String) throws {
        var (database, client, staff) = try Self.studio()
        let before = try Self.studioRows(database)
        // Unticked, and a closed Sunday and a late Saturday: these must come back as typed too.
        var fields = Self.studioFields(["buka_7": "", "tutup_7": "", "buka_6": "12:00", "tutup_6": "24:00"].merging(changes) { $1 })
        fields["aktif"] = nil
        let refused = Self.post(&staff, "/staff/studios/1", fields, from: "/staff/studios/1")
        #expect(refused.status == 422)
        let html = refused.text
        #expect(html.contains("id=\"\(field)-error\""))
        #expect(html.components(separatedBy: "class=\"error\"").count == 2, "one message, beside its field")
        let control = try Self.control(html, field)
        #expect(control.contains("aria-invalid=\"true\""))
        #expect(control.contains(kept), "\(control)")
        if kept.hasPrefix("<option value=\"\">") { #expect(!control.contains(" selected")) }
        // Every other value as typed.
        for (name, value) in fields where name != field {
            let other = try Self.control(html, name)
            if !other.hasPrefix("<select") {
                #expect(other.contains("value=\"\(value)\""), "\(name)")
            } else if value.isEmpty {
                #expect(!other.contains(" selected"), "\(name)")
            } else {
                #expect(other.contains("<option value=\"\(value)\" selected>"), "\(name)")
            }
        }
        #expect(!html.contains("name=\"aktif\" value=\"1\" checked"))
        #expect(try Self.studioRows(database) == before)
        _ = client
    }

    @Test func anEditIsSavedAndTheFormOffersWhatItSays() throws {
        var (database, client, staff) = try Self.studio()
        let day = BookingClient.date(daysAhead: 7)
        let weekday = (Day(iso: day)!.ordinal + 3) % 7 + 1
        // The public form has read the studio list (it keeps it for a while) before the change.
        var visitor = StaffClient(client.app.makeResponder())
        #expect(visitor.get("/booking").text.contains("<option value=\"1\">Studio Anggrek</option>"))
        let fields = Self.studioFields([
            "nama_studio": "Studio Anggrek Baru", "durasi_maks": "6", "buka_\(weekday)": "13:00", "tutup_\(weekday)": "24:00",
        ])
        #expect(Self.post(&staff, "/staff/studios/1", fields, from: "/staff/studios/1").header("Location") == "/staff/studios")
        var expectedOpen = Array(repeating: "9", count: 7), expectedClose = Array(repeating: "21", count: 7)
        (expectedOpen[weekday - 1], expectedClose[weekday - 1]) = ("13", "24")
        #expect(try database.rows("SELECT nama_studio, durasi_maks::text, jam_buka::text, jam_tutup::text FROM studio WHERE id_studio = 1")
            == [["Studio Anggrek Baru", "6", "{\(expectedOpen.joined(separator: ","))}", "{\(expectedClose.joined(separator: ","))}"]])
        #expect(client.log().contains(" info Studio edited by staff ani: 1 Studio Anggrek Baru\n"))

        let form = visitor.get("/booking?studio_id=1&tanggal_booking=\(day)&durasi_jam=6")
        #expect(form.text.contains("<option value=\"1\" selected>Studio Anggrek Baru</option>"))
        #expect(form.text.contains("<option value=\"6\" selected>6 jam</option>"))
        let starts = form.text.matches(of: /<option value="([0-9]{2}:00)"/).map { String($0.1) }
        #expect(starts == ["13:00", "14:00", "15:00", "16:00", "17:00", "18:00"])

        // Unticked: no longer offered, nor accepted.
        var off = fields
        off["aktif"] = nil
        #expect(Self.post(&staff, "/staff/studios/1", off, from: "/staff/studios/1").status == 303)
        #expect(!visitor.get("/booking").text.contains("Studio Anggrek Baru"))
        let refused = client.book(BookingClient.fields(days: 7, jam: "14:00"))
        #expect(refused.status == 422)
        #expect(try database.scalar("SELECT count(*) FROM booking_online WHERE ref IS NOT NULL") == "0")
    }

    @Test func anEditWithoutThePagesTokenIsRefused() throws {
        var (database, _, staff) = try Self.studio()
        let before = try Self.studioRows(database)
        let answer = staff.post("/staff/studios/1", Self.studioFields(["nama_studio": "Diubah", "csrf_token": "00"]))
        #expect(answer.status == 403)
        #expect(try Self.studioRows(database) == before)
        #expect(Self.post(&staff, "/staff/studios/99", Self.studioFields()).status == 404)
    }
}
