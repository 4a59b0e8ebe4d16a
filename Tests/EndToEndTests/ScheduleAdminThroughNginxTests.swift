import Foundation
import Postgres
import StudioBooking
import Testing
import TestSupport

/// The schedule's admin pages through nginx and both responders: a desk account is turned away, an
/// admin adds a studio, edits it and closes a day, and every responder's public form shows each
/// change at once (the studio list and free times are dropped on `NOTIFY sb_schedule`). It works on
/// a studio of its own, so the other tests' studios 1-3 stay as they are.
@Suite(.needs(.stack))
struct ScheduleAdminThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    /// A new account (an admin or not) signed in: its cookies and a page's CSRF token.
    func signIn(admin: Bool) throws -> (cookies: [String], token: String) {
        let username = (admin ? "admin" : "staf") + String(UInt32.random(in: 1000...999_999))
        _ = try StaffStore.setPassword(
            try appDatabase(), username: username, passwordHash: try StaffAccount.hash("rahasia-staf-1"), admin: admin)
        let login = try http.get("/staff/login")
        let signIn = try http.post(
            "/staff/login",
            form: BookingClient.urlEncode([
                "username": username, "password": "rahasia-staf-1", "csrf_token": BookingClient.csrfToken(in: login.body),
            ]),
            cookies: login.cookies)
        #expect(signIn.status == 303)
        return (login.cookies + signIn.cookies, BookingClient.csrfToken(in: login.body))
    }

    func everywhereSoon(_ condition: () throws -> Bool) throws -> Bool {
        try everyResponderSoon(condition)
    }

    func post(_ path: String, _ fields: [String: String], as staff: (cookies: [String], token: String)) throws -> HTTPClient.Reply {
        try http.post(path, form: BookingClient.urlEncode(fields.merging(["csrf_token": staff.token]) { $1 }), cookies: staff.cookies)
    }

    @Test func aStafIsTurnedAwayAndAnAdminsChangesShowEverywhereAtOnce() throws {
        let desk = try signIn(admin: false)
        for path in ["/staff/studios", "/staff/libur"] {
            let refused = try http.get(path, cookies: desk.cookies)
            #expect(refused.status == 403, "\(path)")
            #expect(refused.body.contains("Khusus admin"))
        }
        #expect(try post("/staff/studios", ["nama_studio": "Tidak Boleh"], as: desk).status == 403)

        let admin = try signIn(admin: true)
        #expect(try http.get("/staff/studios", cookies: admin.cookies).status == 200)
        let name = "Studio E2E \(UInt32.random(in: 1000...999_999))"
        // Both responders have read the studio list before the change.
        #expect(try everywhereSoon { try !http.get("/booking").body.contains(name) })
        #expect(try post("/staff/studios", ["nama_studio": name], as: admin).status == 303)
        let id = try #require(try appDatabase().query("SELECT id_studio FROM studio WHERE nama_studio = $1", [name]).decode(Int.self).first)
        #expect(try everywhereSoon { try http.get("/booking").body.contains(">\(name)</option>") })

        var fields = ["nama_studio": "\(name) Baru", "aktif": "1", "durasi_maks": "6"]
        for day in 1...7 { (fields["buka_\(day)"], fields["tutup_\(day)"]) = ("10:00", "20:00") }
        #expect(try post("/staff/studios/\(id)", fields, as: admin).status == 303)
        let day = BookingClient.date(daysAhead: Int.random(in: 20...150))
        let chosen = "/booking?studio_id=\(id)&tanggal_booking=\(day)&durasi_jam=6"
        #expect(try everywhereSoon {
            let form = try http.get(chosen).body
            return form.contains(">\(name) Baru</option>") && form.contains("<option value=\"6\" selected>6 jam</option>")
                && form.contains("<option value=\"14:00\">14.00</option>") && !form.contains("<option value=\"15:00\">")
        })

        // A two-hour session, then the day closed for this studio: listed with the booking, offered nowhere.
        let form = try http.get("/booking")
        let phone = "0879" + String(UInt32.random(in: 10_000_000...99_999_999))
        let booking = BookingClient.fields(jam: "10:00", [
            "csrf_token": BookingClient.csrfToken(in: form.body), "studio_id": String(id), "tanggal_booking": day,
            "durasi_jam": "2", "nama_customer": "Tamu Libur", "telp_customer": phone,
            // No e-mail: the default one would make other tests' bookings match this customer (§5 step 2).
            "email_customer": "",
        ])
        #expect(try http.post("/booking", form: BookingClient.urlEncode(booking), cookies: form.cookies).status == 303)
        let dayView = try http.get("/staff/bookings?tanggal=\(day)", cookies: admin.cookies).body
        #expect(dayView.contains(
            "10.00–12.00</a> <span class=\"length\">2 jam</span>\n<span class=\"who\">Tamu Libur</span>"))

        let jam = "/booking/jam?studio_id=\(id)&tanggal_booking=\(day)"
        #expect(try everywhereSoon { try http.get(jam).body.contains("\"jam\":[\"12:00\",") })
        #expect(try post("/staff/libur", ["tanggal": day, "studio_id": String(id), "keterangan": "Uji"], as: admin).status == 303)
        let closed = try http.get("/staff/libur", cookies: admin.cookies).body
        #expect(closed.contains("\(BookingClient.shown(day)) · \(name) Baru</h3>")
            && closed.contains("<td data-label=\"Nama\">Tamu Libur</td><td class=\"telp\" data-label=\"Telepon\">\(phone)</td>"))
        #expect(try everywhereSoon { try http.get(jam).body.contains("\"jam\":[]") })

        let libur = try #require(try appDatabase().query(
            "SELECT id_libur FROM hari_libur WHERE studio_id = $1::integer", [id]).decode(Int.self).first)
        #expect(try post("/staff/libur/\(libur)/hapus", [:], as: admin).status == 303)
        #expect(try everywhereSoon { try http.get(jam).body.contains("\"jam\":[\"12:00\",") })

        // Unticked at the end: the studio leaves every responder's form.
        fields["aktif"] = nil
        #expect(try post("/staff/studios/\(id)", fields, as: admin).status == 303)
        #expect(try everywhereSoon { try !http.get("/booking").body.contains(name) })
    }
}
