import Foundation
import Postgres
import StudioBooking
import Testing
import TestSupport

/// The accounts page and the sign-in's count per user name, through nginx and both responders
/// (issue 16): every status an admin and a desk account meet there.
@Suite(.needs(.stack))
struct StaffAccountsThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    static func unique(_ prefix: String) -> String { prefix + String(UInt32.random(in: 1000...999_999)) }

    /// Signs `username` in from a random loopback address: its cookies and a page's CSRF token.
    func signIn(_ username: String, _ password: String = "rahasia-staf-1") throws -> (cookies: [String], token: String, status: Int) {
        let login = try http.get("/staff/login")
        let answer = try http.post(
            "/staff/login",
            form: BookingClient.urlEncode([
                "username": username, "password": password, "csrf_token": BookingClient.csrfToken(in: login.body),
            ]),
            cookies: login.cookies)
        return (login.cookies + answer.cookies, BookingClient.csrfToken(in: login.body), answer.status)
    }

    func account(admin: Bool) throws -> (cookies: [String], token: String) {
        let username = Self.unique(admin ? "admin" : "staf")
        _ = try StaffStore.setPassword(
            try appDatabase(), username: username, passwordHash: try StaffAccount.hash("rahasia-staf-1"), admin: admin)
        let signedIn = try signIn(username)
        #expect(signedIn.status == 303)
        return (signedIn.cookies, signedIn.token)
    }

    func post(_ path: String, _ fields: [String: String], as staff: (cookies: [String], token: String)) throws -> HTTPClient.Reply {
        try http.post(path, form: BookingClient.urlEncode(fields.merging(["csrf_token": staff.token]) { $1 }), cookies: staff.cookies)
    }

    @Test func aDeskAccountIsTurnedAway() throws {
        let desk = try account(admin: false)
        let page = try http.get("/staff/akun", cookies: desk.cookies)
        #expect(page.status == 403)
        #expect(page.body.contains("Khusus admin"))
        #expect(try post("/staff/akun", ["username": Self.unique("liar"), "password": "rahasia-liar", "peran": "admin"], as: desk).status == 403)
        #expect(!(try http.get("/staff/customers", cookies: desk.cookies).body.contains("href=\"/staff/akun\"")))
        // Not signed in: to the sign-in page.
        #expect(try http.get("/staff/akun").header("Location")?.hasSuffix("/staff/login") == true)
    }

    @Test func anAdminAddsChangesAndDisablesAnAccount() throws {
        let admin = try account(admin: true)
        let page = try http.get("/staff/akun", cookies: admin.cookies)
        #expect(page.status == 200)
        #expect(page.header("Cache-Control") == "no-store")

        let name = Self.unique("baru")
        let invalid = try post("/staff/akun", ["username": name, "password": "pendek", "peran": "admin"], as: admin)
        #expect(invalid.status == 422)
        #expect(invalid.body.contains("value=\"\(name)\""))
        #expect(!invalid.body.contains("pendek\""))
        #expect(try post("/staff/akun", ["username": name, "password": "rahasia-baru", "peran": "staf"], as: admin).status == 303)
        let taken = try post("/staff/akun", ["username": name, "password": "rahasia-lain", "peran": "staf"], as: admin)
        #expect(taken.status == 409)

        let newcomer = try signIn(name, "rahasia-baru")
        #expect(newcomer.status == 303)
        #expect(try http.get("/staff/customers", cookies: newcomer.cookies).status == 200)

        let badChange = try post("/staff/akun/\(name)", ["peran": "raja", "aktif": "1"], as: admin)
        #expect(badChange.status == 422)
        #expect(try post("/staff/akun/tidak-ada-\(name)", ["peran": "staf", "aktif": "1"], as: admin).status == 404)
        #expect(try post("/staff/akun/\(name)", ["peran": "staf", "aktif": "1"], as: http.csrfless(admin)).status == 403)

        // Disabled: its very next request, on either responder, goes to the sign-in page.
        #expect(try post("/staff/akun/\(name)", ["peran": "staf"], as: admin).status == 303)
        for _ in 0..<4 {
            #expect(try http.get("/staff/customers", cookies: newcomer.cookies).header("Location")?.hasSuffix("/staff/login") == true)
        }
        #expect(try signIn(name, "rahasia-baru").status == 401)
    }

    /// Wrong passwords for one name, each from an address of its own (nginx's per-address limit
    /// never sees two): after five the name is refused, the right password included.
    @Test func manyWrongPasswordsForOneNameFromManyAddressesAreRefused() throws {
        let name = Self.unique("sasaran")
        _ = try StaffStore.setPassword(try appDatabase(), username: name, passwordHash: try StaffAccount.hash("rahasia-staf-1"))
        let base = TestEnvironment.baseURL ?? "http://127.0.0.1:1"
        let third = UInt8.random(in: 1...250)
        var statuses: [Int] = []
        for attempt in 1...7 {
            let from = HTTPClient(baseURL: base, source: "127.77.\(third).\(attempt)")
            let login = try from.get("/staff/login")
            let password = attempt == 7 ? "rahasia-staf-1" : "salah-\(attempt)"
            let answer = try from.post(
                "/staff/login",
                form: BookingClient.urlEncode(["username": name, "password": password, "csrf_token": BookingClient.csrfToken(in: login.body)]),
                cookies: login.cookies)
            statuses.append(answer.status)
            if answer.status == 429 { #expect(answer.body.contains("Terlalu banyak percobaan masuk")) }
        }
        #expect(statuses == [401, 401, 401, 401, 401, 429, 429])
    }
}

extension HTTPClient {
    /// The same cookies with a token that is not the page's.
    func csrfless(_ staff: (cookies: [String], token: String)) -> (cookies: [String], token: String) { (staff.cookies, "00") }
}
