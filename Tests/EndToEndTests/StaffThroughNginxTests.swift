import Foundation
import Postgres
import StudioBooking
import Testing
import TestSupport

/// The staff area as a desk browser meets it, through nginx and the responders: sign in, find the
/// customer a booking just made, download the CSV, sign out.
@Suite(.needs(.stack))
struct StaffThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    @Test func signInFindTheNewCustomerExportSignOut() throws {
        let username = "staf\(UInt32.random(in: 1000...999_999))"
        _ = try StaffStore.setPassword(
            try Connection(TestEnvironment.appDatabaseURL!), username: username, passwordHash: try StaffAccount.hash("rahasia-staf-1"))

        // A booking, so there is a customer this test knows.
        let phone = "0876" + String(UInt32.random(in: 10_000_000...99_999_999))
        let form = try http.get("/booking")
        let fields = BookingClient.fields(days: Int.random(in: 2...170), jam: String(format: "%02d:00", Int.random(in: 9...20)), [
            "csrf_token": BookingClient.csrfToken(in: form.body), "nama_customer": "Staf E2E", "telp_customer": phone,
            "studio_id": String(Int.random(in: 1...3)),
        ])
        #expect(try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: form.cookies).status == 303)

        #expect(try http.get("/staff/customers").header("Location")?.hasSuffix("/staff/login") == true)
        let login = try http.get("/staff/login")
        #expect(login.status == 200)
        let signIn = try http.post(
            "/staff/login",
            form: BookingClient.urlEncode([
                "username": username, "password": "rahasia-staf-1", "csrf_token": BookingClient.csrfToken(in: login.body),
            ]),
            cookies: login.cookies)
        #expect(signIn.status == 303)
        #expect(signIn.header("Location")?.hasSuffix("/staff/customers") == true)
        let cookies = login.cookies + signIn.cookies

        // The phone searched in another format finds the customer the booking made.
        let search = "%2B62+" + phone.dropFirst()
        let list = try http.get("/staff/customers?q=\(search)", cookies: cookies)
        #expect(list.status == 200)
        #expect(list.header("Cache-Control") == "no-store")
        #expect(list.body.contains("<td class=\"nama\" data-label=\"Nama\">Staf E2E</td>"))
        let kode = try #require(try Connection(TestEnvironment.appDatabaseURL!).query(
            "SELECT kode_cs FROM customer WHERE telp = $1", [phone]).decode(String.self).first)
        #expect(list.body.contains(">\(kode)</a>"))

        let csv = try http.get("/staff/customers.csv?q=\(search)", cookies: cookies)
        #expect(csv.status == 200)
        #expect(csv.body.hasPrefix("\u{FEFF}kode_cs,nama_cs,"))
        // Streamed: framed by nginx, no length known ahead.
        #expect(csv.header("Transfer-Encoding") == "chunked")
        #expect(csv.body.contains("\(kode),Staf E2E,Laki-laki,\(phone),"))

        let detail = try http.get("/staff/customers/\(kode)", cookies: cookies)
        #expect(detail.body.contains(BookingClient.shown(fields["tanggal_booking"]!)))

        let out = try http.post(
            "/staff/logout", form: "csrf_token=\(BookingClient.csrfToken(in: list.body))", cookies: cookies)
        #expect(out.status == 303)
        #expect(try http.get("/staff/customers", cookies: cookies).status == 303)
    }
}
