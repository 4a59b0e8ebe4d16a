import Foundation
import Postgres
import StudioBooking
import Testing
import TestSupport

/// Editing, merging and erasing customers through nginx and both responders, every answer a desk or
/// an admin can get: 303, 403 (role, token), 409, 422, and the data download.
@Suite(.needs(.stack))
struct CustomerChangesThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    typealias Staff = (cookies: [String], token: String)

    func signIn(admin: Bool) throws -> Staff {
        let username = (admin ? "admin" : "staf") + String(UInt32.random(in: 1000...999_999))
        _ = try StaffStore.setPassword(
            try appDatabase(), username: username, passwordHash: StaffAccount.hash("rahasia-staf-1"), admin: admin)
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

    func post(_ path: String, _ fields: [String: String], as staff: Staff) throws -> HTTPClient.Reply {
        try http.post(path, form: BookingClient.urlEncode(fields.merging(["csrf_token": staff.token]) { $1 }), cookies: staff.cookies)
    }

    /// A customer made by a booking through the public form: its code and phone.
    func customer(_ nama: String) throws -> (kode: String, phone: String) {
        let phone = "0877" + String(UInt32.random(in: 10_000_000...99_999_999))
        for _ in 0..<5 {
            let form = try http.get("/booking")
            let fields = BookingClient.fields(days: Int.random(in: 2...170), jam: String(format: "%02d:00", Int.random(in: 9...20)), [
                "csrf_token": BookingClient.csrfToken(in: form.body), "nama_customer": nama, "telp_customer": phone,
                "email_customer": "", "studio_id": String(Int.random(in: 1...3)),
            ])
            if try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: form.cookies).status == 303 { break }
        }
        let kode = try #require(try appDatabase().query("SELECT kode_cs FROM customer WHERE telp = $1", [phone]).decode(String.self).first)
        return (kode, phone)
    }

    @Test func everyAnswerOfTheCustomerChanges() throws {
        let (a, b) = (try customer("Ganda Satu"), try customer("Ganda Dua"))
        let desk = try signIn(admin: false)
        let admin = try signIn(admin: true)
        let edit = ["nama_cs": "Ganda Satu", "jenis_kelamin": "Perempuan", "telp": a.phone, "email": "", "alamat": "Jl. Baru 2"]

        // A desk account: edits, but neither merges, erases nor downloads; no token, no change.
        #expect(try http.post("/staff/customers/\(a.kode)", form: BookingClient.urlEncode(edit), cookies: desk.cookies).status == 403)
        #expect(try post("/staff/customers/\(a.kode)/gabung", ["ke": b.kode], as: desk).status == 403)
        #expect(try post("/staff/customers/\(a.kode)/hapus", ["konfirmasi": a.kode], as: desk).status == 403)
        #expect(try http.get("/staff/customers/\(a.kode)/data.json", cookies: desk.cookies).status == 403)
        #expect(try http.post("/staff/customers/\(a.kode)/gabung", form: "ke=\(b.kode)", cookies: admin.cookies).status == 403)

        var invalid = edit
        invalid["email"] = "bukan email"
        let refused = try post("/staff/customers/\(a.kode)", invalid, as: desk)
        #expect(refused.status == 422)
        #expect(refused.body.contains("value=\"bukan email\""))
        var taken = edit
        taken["telp"] = b.phone
        let conflict = try post("/staff/customers/\(a.kode)", taken, as: admin)
        #expect(conflict.status == 409)
        #expect(conflict.body.contains("name=\"ke\" value=\"\(b.kode)\""))
        let edited = try post("/staff/customers/\(a.kode)", edit, as: desk)
        #expect(edited.status == 303)
        #expect(edited.header("Location")?.hasSuffix("/staff/customers/\(a.kode)") == true)
        #expect(try http.get("/staff/customers/\(a.kode)", cookies: desk.cookies).body.contains("Jl. Baru 2"))

        #expect(try post("/staff/customers/\(a.kode)/gabung", ["ke": a.kode], as: admin).status == 422)
        let merged = try post("/staff/customers/\(a.kode)/gabung", ["ke": b.kode], as: admin)
        #expect(merged.status == 303)
        #expect(merged.header("Location")?.hasSuffix("/staff/customers/\(b.kode)") == true)
        #expect(try http.get("/staff/customers/\(a.kode)", cookies: desk.cookies).header("Location")?.hasSuffix("/staff/customers/\(b.kode)") == true)
        #expect(try post("/staff/customers/\(b.kode)/gabung", ["ke": a.kode], as: admin).status == 422)

        let data = try http.get("/staff/customers/\(b.kode)/data.json", cookies: admin.cookies)
        #expect(data.status == 200)
        #expect(data.header("Content-Disposition")?.hasPrefix("attachment") == true)
        #expect(data.body.contains("\"kode_cs\" : \"\(b.kode)\"") || data.body.contains("\"kode_cs\": \"\(b.kode)\""))
        #expect(data.body.contains(a.kode))

        #expect(try post("/staff/customers/\(b.kode)/hapus", ["konfirmasi": a.kode], as: admin).status == 422)
        #expect(try post("/staff/customers/\(b.kode)/hapus", ["konfirmasi": b.kode], as: admin).status == 303)
        #expect(try appDatabase().query(
            "SELECT count(*) FROM booking_online WHERE telp_customer IN ($1, $2)", [a.phone, b.phone]).decode(Int.self) == [0])
        #expect(!(try http.get("/staff/customers?q=\(b.phone)", cookies: desk.cookies).body.contains(b.kode)))
    }
}
