import Foundation
import Postgres
import StudioBooking
import Testing
import TestSupport

/// Bookings by staff through nginx and both responders (issue 16, docs/behaviour.md: Bookings by
/// staff): every answer of the desk's form and of a booking's actions — 403 without the page's
/// token, 404 for an unknown booking, 303, 409 and 422 — and nginx's limit on a customer's own
/// cancel and change (issue 18). Each test has a studio of its own (open 10:00-16:00, sessions of
/// up to 3 hours), so no other test's bookings change its answers.
@Suite(.needs(.stack))
struct StaffDeskThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    func studio(_ name: String) throws -> String {
        try appDatabase().query(
            """
            INSERT INTO studio (nama_studio, durasi_maks, jam_buka, jam_tutup)
            VALUES ($1, 3, '{10,10,10,10,10,10,10}', '{16,16,16,16,16,16,16}') RETURNING id_studio
            """, [name]
        ).decode(String.self)[0]
    }

    /// A desk account signed in: its cookies and a page's token.
    func signIn() throws -> (cookies: [String], token: String) {
        let username = "meja" + String(UInt32.random(in: 1000...999_999))
        _ = try StaffStore.setPassword(try appDatabase(), username: username, passwordHash: StaffAccount.hash("rahasia-staf-1"))
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

    func post(
        _ path: String, _ fields: [String: String], as staff: (cookies: [String], token: String), token: Bool = true
    ) throws -> HTTPClient.Reply {
        let form = token ? fields.merging(["csrf_token": staff.token]) { $1 } : fields
        return try http.post(path, form: BookingClient.urlEncode(form), cookies: staff.cookies)
    }

    static func uniquePhone() -> String { "0879" + String(UInt32.random(in: 10_000_000...99_999_999)) }

    func logLines(containing text: String) throws -> Int {
        let log = try String(contentsOfFile: TestEnvironment.appLogFile!, encoding: .utf8)
        return log.components(separatedBy: "\n").filter { $0.contains(text) }.count
    }

    @Test func everyAnswerOfTheDeskAndABookingsActions() throws {
        let staff = try signIn()
        let studio = try studio("Uji Meja \(UInt32.random(in: 1000...999_999))")
        let day = BookingClient.date(daysAhead: Int.random(in: 2...170))
        let phone = Self.uniquePhone()
        func desk(_ jam: String, _ changes: [String: String] = [:], token: Bool = true) throws -> HTTPClient.Reply {
            try post("/staff/bookings/baru", BookingClient.fields(jam: jam, [
                "studio_id": studio, "tanggal_booking": day, "nama_customer": "Meja E2E", "telp_customer": phone,
                "email_customer": "",
            ].merging(changes) { $1 }), as: staff, token: token)
        }
        let form = try http.get("/staff/bookings/baru", cookies: staff.cookies)
        #expect(form.status == 200 && form.body.contains("name=\"durasi_jam\""))
        #expect(try desk("10:00", token: false).status == 403)
        #expect(try desk("10:00", ["nama_customer": ""]).status == 422)
        #expect(try desk("15:00", ["durasi_jam": "2"]).status == 422, "past closing")
        let booked = try desk("10:00", ["durasi_jam": "2"])
        #expect(booked.status == 303)
        let location = try #require(booked.header("Location"))
        let id = try #require(location.wholeMatch(of: /\/staff\/bookings\/([0-9]+)/)).1
        let taken = try desk("11:00", ["nama_customer": "Terlambat"])
        #expect(taken.status == 409 && taken.body.contains("value=\"Terlambat\""))
        #expect(try logLines(containing: "New customer auto-created from booking: Meja E2E (\(phone))") == 1)

        let page = try http.get("/staff/bookings/\(id)", cookies: staff.cookies)
        #expect(page.status == 200 && page.body.contains("Meja E2E") && page.body.contains("10.00–12.00"))
        #expect(page.body.contains("https://wa.me/62\(phone.dropFirst())?text="))

        // Every action: 403 without the token, 404 for a booking that does not exist.
        let move = ["studio_id": studio, "tanggal_booking": day, "jam_booking": "13:00", "durasi_jam": "1"]
        for (action, fields) in [("batal", [:]), ("ubah", move), ("kehadiran", ["hadir": "ya"])] {
            #expect(try post("/staff/bookings/\(id)/\(action)", fields, as: staff, token: false).status == 403, "\(action)")
            #expect(try post("/staff/bookings/2147483647/\(action)", fields, as: staff).status == 404, "\(action)")
        }
        #expect(try http.get("/staff/bookings/2147483647", cookies: staff.cookies).status == 404)

        // A move: 303 to the page, 409 onto another booking, 422 past closing; the values kept.
        #expect(try desk("15:00", ["nama_customer": "Tetangga", "telp_customer": Self.uniquePhone()]).status == 303)
        let moved = try post("/staff/bookings/\(id)/ubah", move, as: staff)
        #expect(moved.status == 303 && moved.header("Location") == location)
        let onto = try post("/staff/bookings/\(id)/ubah", move.merging(["jam_booking": "14:00", "durasi_jam": "2"]) { $1 }, as: staff)
        #expect(onto.status == 409 && onto.body.contains("<option value=\"14:00\" selected>"))
        #expect(try post("/staff/bookings/\(id)/ubah", move.merging(["jam_booking": "16:00"]) { $1 }, as: staff).status == 422)
        #expect(try logLines(containing: "Booking rescheduled by staff") >= 1)

        // Attendance before the session has begun: 422. A legacy booking of last year: recorded.
        #expect(try post("/staff/bookings/\(id)/kehadiran", ["hadir": "tidak"], as: staff).status == 422)
        let legacy = try appDatabase().query(
            """
            INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking)
            VALUES ('Lama E2E', $1, $2::integer, current_date - 365, '10:00') RETURNING id_booking
            """, [Self.uniquePhone(), studio]
        ).decode(String.self)[0]
        #expect(try post("/staff/bookings/\(legacy)/kehadiran", ["hadir": "tidak"], as: staff).status == 303)

        // Cancel twice: once cancelled, one log line; its hour is free on every responder's form.
        for _ in 0..<2 {
            #expect(try post("/staff/bookings/\(id)/batal", [:], as: staff).header("Location") == location)
        }
        #expect(try logLines(containing: "Booking cancelled by staff") >= 1)
        #expect(try appDatabase().query(
            "SELECT dibatalkan_pada IS NOT NULL FROM booking_online WHERE id_booking = $1::integer", [String(id)]
        ).decode(Bool.self) == [true])
        for _ in 0..<4 {
            let reply = try http.get("/booking/jam?studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=1")
            #expect(reply.body.contains("\"13:00\""))
        }
    }

    /// A customer's cancel and change, POSTed from one address, are limited like bookings: six pass
    /// (and are refused by the app for their missing token), then 429; their GETs are not limited.
    @Test func aFloodOfCancelsAndChangesFromOneAddressGets429() throws {
        let client = HTTPClient(baseURL: TestEnvironment.baseURL!, source: HTTPClient.randomLoopback())
        let ref = String(repeating: "ab", count: 16)
        var statuses: [Int] = []
        for i in 0..<8 {
            statuses.append(try client.post("/booking/\(ref)/\(i % 2 == 0 ? "batal" : "ubah")", form: "x=1").status)
        }
        #expect(statuses.prefix(6).allSatisfy { $0 != 429 } && statuses.suffix(2) == [429, 429], "\(statuses)")
        #expect(try client.get("/booking/\(ref)/ubah").status != 429)
        // Another address is not affected, nor are this one's bookings.
        let other = HTTPClient(baseURL: TestEnvironment.baseURL!, source: HTTPClient.randomLoopback())
        #expect(try other.post("/booking/\(ref)/batal", form: "x=1").status != 429)
        #expect(try client.post("/booking", form: "x=1").status != 429)
    }
}
