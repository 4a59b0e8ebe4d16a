import Foundation
import Postgres
import Testing
import TestSupport

/// The whole stack as a visitor meets it: nginx, the FastCGI responders, PostgreSQL, the log.
@Suite(.needs(.stack))
struct BookingThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    /// A phone no other test uses, so its rows and log line are this test's own.
    static func uniquePhone() -> String { "0877" + String(UInt32.random(in: 10_000_000...99_999_999)) }

    /// A slot no other test takes: a random studio, date and hour far enough ahead.
    static func uniqueSlot() -> (studio: String, date: String, jam: String) {
        (String(Int.random(in: 1...3)), BookingClient.date(daysAhead: Int.random(in: 2...170)),
         String(format: "%02d:00", Int.random(in: 9...20)))
    }

    func openForm() throws -> (cookies: [String], token: String) {
        let form = try http.get("/booking")
        #expect(form.status == 200)
        return (form.cookies, BookingClient.csrfToken(in: form.body))
    }

    @Test func rootRedirectsToTheForm() throws {
        let reply = try http.get("/")
        #expect(reply.status == 303)
        #expect(reply.header("Location")?.hasSuffix("/booking") == true)
    }

    @Test func theFormHasEveryField() throws {
        let reply = try http.get("/booking")
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
        for field in ["nama_customer", "jenis_kelamin", "telp_customer", "email_customer", "alamat_customer",
                      "studio_id", "tanggal_booking", "durasi_jam", "jam_booking", "csrf_token"] {
            #expect(reply.body.contains("name=\"\(field)\""), "\(field)")
        }
        #expect(reply.body.contains("<textarea id=\"alamat_customer\""))
        #expect(reply.body.contains("<option value=\"Laki-laki\">Laki-laki</option>"))
        #expect(reply.body.contains("Studio 2 - Foto Keluarga"))
        // No start is offered before studio, day and length are chosen; then only the free ones.
        #expect(!reply.body.contains("<option value=\"20:00\">"))
        #expect(reply.body.contains("<option value=\"2\">2 jam</option>"))
        let chosen = try http.get("/booking?studio_id=1&tanggal_booking=\(BookingClient.date(daysAhead: 170))&durasi_jam=2")
        #expect(chosen.status == 200)
        #expect(chosen.body.contains("<option value=\"19:00\">19.00</option>"))
        #expect(!chosen.body.contains("<option value=\"20:00\">"))  // 20:00-22:00 runs past closing
        #expect(chosen.body.contains("<option value=\"2\" selected>2 jam</option>"))
        #expect(reply.cookies.first?.hasPrefix("sb_visitor=") == true)
        #expect(BookingClient.csrfToken(in: reply.body).count == 64)
    }

    @Test func aBookingGoesThroughAndIsLogged() throws {
        let (cookies, token) = try openForm()
        let phone = Self.uniquePhone()
        let slot = Self.uniqueSlot()
        let fields = BookingClient.fields([
            "csrf_token": token, "nama_customer": "Rina E2E", "telp_customer": "+62 " + phone.dropFirst(),
            "email_customer": "rina.\(phone)@example.com", "studio_id": slot.studio, "tanggal_booking": slot.date,
            "jam_booking": slot.jam,
        ])
        let reply = try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: cookies)
        #expect(reply.status == 303)
        let location = try #require(reply.header("Location"))
        let path = location.replacingOccurrences(of: TestEnvironment.baseURL!, with: "")
        #expect(path.range(of: #"^/booking/[0-9a-f]{32}$"#, options: .regularExpression) != nil)

        let confirmation = try http.get(path)
        #expect(confirmation.status == 200)
        let kode = try #require(try appDatabase().query("SELECT kode_cs FROM customer WHERE telp = $1", [phone]).decode(String.self).first)
        #expect(confirmation.body.contains(kode))
        #expect(confirmation.body.contains("Rina E2E"))
        #expect(try appDatabase().query("SELECT kode_cs FROM booking_online WHERE ref = $1", [String(path.suffix(32))]).decode(String?.self) == [kode])

        let log = try String(contentsOfFile: TestEnvironment.appLogFile!, encoding: .utf8)
        let line = try #require(log.split(separator: "\n").first { $0.hasSuffix("New customer auto-created from booking: Rina E2E (\(phone))") })
        #expect(line.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}) info "#, options: .regularExpression) != nil)

        // The same person again, their phone typed differently: updated, not duplicated.
        let again = BookingClient.fields([
            "csrf_token": token, "nama_customer": "Rina E2E", "telp_customer": phone, "email_customer": "",
            "studio_id": slot.studio, "tanggal_booking": BookingClient.date(daysAhead: 171), "jam_booking": slot.jam,
            "alamat_customer": "Jl. Baru No. 456, Bandung", "jenis_kelamin": "Perempuan",
        ])
        #expect(try http.post("/booking", form: BookingClient.urlEncode(again), cookies: cookies).status == 303)
        #expect(try appDatabase().query("SELECT count(*) FROM customer WHERE telp = $1", [phone]).decode(Int.self) == [1])
        let log2 = try String(contentsOfFile: TestEnvironment.appLogFile!, encoding: .utf8)
        #expect(log2.contains(" info Existing customer booking date updated: Rina E2E (\(phone))\n"))
    }

    @Test func invalidInputComesBackWith422AndEveryValue() throws {
        let (cookies, token) = try openForm()
        let fields = BookingClient.fields([
            "csrf_token": token, "nama_customer": "Salah Telepon", "telp_customer": "12345",
            "alamat_customer": "Jl. Mawar\nNo. 5",
        ])
        let reply = try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: cookies)
        #expect(reply.status == 422)
        #expect(reply.body.contains("Nomor telepon tidak valid"))
        #expect(reply.body.contains("value=\"Salah Telepon\""))
        #expect(reply.body.contains("value=\"12345\""))
        #expect(reply.body.contains(">Jl. Mawar\nNo. 5</textarea>"))
    }

    @Test func aMissingOrWrongTokenIs403WithTheFormKept() throws {
        let (cookies, _) = try openForm()
        let fields = BookingClient.fields(["nama_customer": "Tanpa Token", "csrf_token": String(repeating: "0", count: 64)])
        let wrong = try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: cookies)
        #expect(wrong.status == 403)
        #expect(wrong.body.contains("value=\"Tanpa Token\""))
        var noToken = fields
        noToken["csrf_token"] = nil
        #expect(try http.post("/booking", form: BookingClient.urlEncode(noToken), cookies: cookies).status == 403)
        // A token is bound to its visitor: another visitor's token is refused.
        let (_, otherToken) = try openForm()
        var stolen = fields
        stolen["csrf_token"] = otherToken
        #expect(try http.post("/booking", form: BookingClient.urlEncode(stolen), cookies: cookies).status == 403)
    }

    @Test func aBodyOver64KiBIs413() throws {
        let (cookies, token) = try openForm()
        let padding = String(repeating: "a", count: 64 * 1024)
        let reply = try http.post("/booking", form: "csrf_token=\(token)&x=\(padding)", cookies: cookies)
        #expect(reply.status == 413)
        #expect(reply.body.contains("Data terlalu besar"))
    }

    @Test func unknownRefsAre404() throws {
        #expect(try http.get("/booking/" + String(repeating: "a", count: 32)).status == 404)
        #expect(try http.get("/booking/nope").status == 404)
    }

    @Test func healthzAndStaticFiles() throws {
        let health = try http.get("/healthz")
        #expect(health.status == 200)
        #expect(health.body == "ok\n")
        #expect(try http.get("/static/style.css").status == 200)
    }
}
