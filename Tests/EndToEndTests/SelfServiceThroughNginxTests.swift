import Foundation
import Postgres
import Testing
import TestSupport

/// A customer's own booking through nginx and two responders (issue 18): cancel and change from
/// the booking's page, every answer of docs/behaviour.md (Your booking), the time freed in every
/// responder's free-times cache at once, and nothing changed by a GET. Each test has a studio of
/// its own (open 10:00-16:00, sessions of up to 3 hours), so no other test's bookings change its answers.
@Suite(.needs(.stack))
struct SelfServiceThroughNginxTests {
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

    static func uniquePhone() -> String { "0878" + String(UInt32.random(in: 10_000_000...99_999_999)) }

    /// Books through the form; answers the ref and the visitor's cookies (for its page's token).
    func book(_ studio: String, _ day: String, _ jam: String, hours: Int = 1, phone: String = uniquePhone()) throws
        -> (ref: String, cookies: [String])
    {
        let form = try http.get("/booking")
        let fields = BookingClient.fields([
            "csrf_token": BookingClient.csrfToken(in: form.body), "studio_id": studio, "tanggal_booking": day,
            "jam_booking": jam, "durasi_jam": String(hours), "telp_customer": phone, "nama_customer": "Mandiri \(phone)",
            "email_customer": "",
        ])
        let reply = try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: form.cookies)
        #expect(reply.status == 303, "\(reply.body)")
        let ref = String(try #require(reply.header("Location")).split(separator: "/").last ?? "")
        return (ref, form.cookies)
    }

    func starts(_ studio: String, _ day: String, hours: Int = 1) throws -> [String] {
        let reply = try http.get("/booking/jam?studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=\(hours)")
        let json = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
        return json?["jam"] as? [String] ?? []
    }

    /// Time, length, version and whether it is cancelled, as the database has them.
    func row(_ ref: String) throws -> [String?] {
        try appDatabase().query(
            """
            SELECT id_booking::text, studio_id::text, tanggal_booking::text, to_char(jam_booking, 'HH24:MI'),
                   durasi_jam::text, jadwal_versi::text, (dibatalkan_pada IS NOT NULL)::text
            FROM booking_online WHERE ref = $1
            """, [ref]
        ).first?.columns ?? []
    }

    func everyResponder(_ check: () throws -> Bool) throws -> Bool {
        try everyResponderSoon(check)
    }

    func logLines(containing text: String) throws -> Int {
        let log = try String(contentsOfFile: TestEnvironment.appLogFile!, encoding: .utf8)
        return log.components(separatedBy: "\n").filter { $0.contains(text) }.count
    }

    @Test func aCancelFreesTheTimeAtOnceAndHappensOnce() throws {
        let studio = try studio("Uji Batal")
        let day = BookingClient.date(daysAhead: 30)
        let phone = Self.uniquePhone()
        let (ref, cookies) = try book(studio, day, "10:00", hours: 2, phone: phone)
        for _ in 0..<4 { #expect(try starts(studio, day) == ["12:00", "13:00", "14:00", "15:00"]) }

        let page = try http.get("/booking/\(ref)", cookies: cookies)
        #expect(page.status == 200)
        #expect(page.body.contains("<dd class=\"status\">Aktif</dd>"))
        #expect(page.body.contains("<dd>2 jam</dd>"))
        #expect(page.body.contains("href=\"/booking/\(ref).ics\""))
        #expect(page.body.contains("action=\"/booking/\(ref)/batal\""))
        #expect(page.body.contains("href=\"/booking/\(ref)/ubah\""))
        let token = BookingClient.csrfToken(in: page.body)

        // No token, a wrong one, or another visitor's: 403, nothing changed.
        #expect(try http.post("/booking/\(ref)/batal", form: "", cookies: cookies).status == 403)
        #expect(try http.post("/booking/\(ref)/batal", form: "csrf_token=\(String(repeating: "0", count: 64))", cookies: cookies).status == 403)
        #expect(try http.post("/booking/\(ref)/batal", form: "csrf_token=\(token)").status == 403)
        #expect(try row(ref)[5...] == ["0", "false"])

        let cancelled = try http.post("/booking/\(ref)/batal", form: "csrf_token=\(token)", cookies: cookies)
        #expect(cancelled.status == 303)
        #expect(cancelled.header("Location")?.hasSuffix("/booking/\(ref)") == true)
        // Freed in both responders' caches: the one that cancelled dropped the day before its
        // answer, the other hears of it from the database a moment later. Four asks in a row
        // (nginx spreads them) all see it within a second.
        #expect(try everyResponder { try starts(studio, day) == ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00"] })
        // Pressed again: 303, nothing changes, one log line.
        #expect(try http.post("/booking/\(ref)/batal", form: "csrf_token=\(token)", cookies: cookies).status == 303)
        #expect(try row(ref)[5...] == ["1", "true"])
        #expect(try logLines(containing: "info Booking cancelled by customer: Mandiri \(phone) (\(phone))") == 1)

        let after = try http.get("/booking/\(ref)", cookies: cookies)
        #expect(after.body.contains("<dd class=\"status cancelled\">Dibatalkan</dd>"))
        #expect(!after.body.contains("/batal\""))
        #expect(!after.body.contains("/ubah\""))
        let calendar = try http.get("/booking/\(ref).ics")
        #expect(calendar.body.contains("STATUS:CANCELLED\r\n"))
        #expect(calendar.body.contains("SEQUENCE:1\r\n"))
        // A cancelled booking cannot be moved: 422 with the reason.
        let move = try http.post(
            "/booking/\(ref)/ubah", form: "csrf_token=\(token)&studio_id=\(studio)&tanggal_booking=\(day)&jam_booking=12:00&durasi_jam=1",
            cookies: cookies)
        #expect(move.status == 422)
        #expect(move.body.contains("sudah dibatalkan"))
    }

    @Test func aChangeMovesTheSameBookingOrKeepsTheValues() throws {
        let studio = try studio("Uji Ubah")
        let day = BookingClient.date(daysAhead: 31), later = BookingClient.date(daysAhead: 32)
        let phone = Self.uniquePhone()
        let (ref, cookies) = try book(studio, day, "10:00", phone: phone)
        _ = try book(studio, day, "13:00")
        let before = try row(ref)

        let form = try http.get("/booking/\(ref)/ubah", cookies: cookies)
        #expect(form.status == 200)
        #expect(form.body.contains("<option value=\"10:00\" selected>10.00</option>"), "its own start is offered")
        #expect(!form.body.contains("<option value=\"13:00\""))
        #expect(!form.body.contains("name=\"nama_customer\""), "personal data are not part of it")
        let token = BookingClient.csrfToken(in: form.body)
        func change(_ fields: String) throws -> HTTPClient.Reply {
            try http.post("/booking/\(ref)/ubah", form: "csrf_token=\(token)&studio_id=\(studio)&" + fields, cookies: cookies)
        }
        let taken = try change("tanggal_booking=\(day)&jam_booking=12:00&durasi_jam=2")
        #expect(taken.status == 409)
        #expect(taken.body.contains("<option value=\"12:00\" selected>12.00</option>"), "values kept")
        #expect(taken.body.contains("<option value=\"2\" selected>2 jam</option>"))
        #expect(try change("tanggal_booking=\(day)&jam_booking=15:00&durasi_jam=2").status == 422)  // past 16:00
        #expect(try change("tanggal_booking=\(day)&jam_booking=10:00&durasi_jam=4").status == 422)  // over 3 hours
        #expect(try change("tanggal_booking=kemarin&jam_booking=10:00&durasi_jam=1").status == 422)
        #expect(try http.post("/booking/\(ref)/ubah", form: "studio_id=\(studio)&tanggal_booking=\(later)&jam_booking=14:00&durasi_jam=2", cookies: cookies).status == 403)
        #expect(try row(ref) == before, "nothing changed")

        // Within its own hours and beyond them: allowed, the same row and ref.
        let moved = try change("tanggal_booking=\(later)&jam_booking=14:00&durasi_jam=2")
        #expect(moved.status == 303)
        #expect(moved.header("Location")?.hasSuffix("/booking/\(ref)") == true)
        #expect(try row(ref) == [before[0], studio, later, "14:00", "2", "1", "false"])
        #expect(try logLines(containing: "info Booking rescheduled by customer: Mandiri \(phone) (\(phone))") == 1)
        #expect(try everyResponder {
            try starts(studio, day) == ["10:00", "11:00", "12:00", "14:00", "15:00"]
                && starts(studio, later) == ["10:00", "11:00", "12:00", "13:00"]
        })
        let page = try http.get("/booking/\(ref)", cookies: cookies)
        #expect(page.body.contains("<dd>\(BookingClient.shown(later))</dd>") && page.body.contains("<dd>14.00–16.00</dd>"))
        #expect(try http.get("/booking/\(ref).ics").body.contains("SEQUENCE:1\r\n"))
        // Its own script's free starts count its own hours free, and offer none inside the cutoff.
        let own = try http.get("/booking/\(ref)/jam?studio_id=\(studio)&tanggal_booking=\(later)&durasi_jam=2")
        #expect(own.body.contains("\"jam\":[\"10:00\",\"11:00\",\"12:00\",\"13:00\",\"14:00\"]"))
        #expect(try http.get("/booking/\(ref)/jam?studio_id=\(studio)&tanggal_booking=\(BookingClient.date(daysAhead: 0))").body
            .contains("\"jam\":[]"))
    }

    /// A link preview, a crawler, a prefetch: no GET or HEAD of any of these addresses changes anything.
    @Test func aGetNeverChangesAnything() throws {
        let studio = try studio("Uji GET")
        let day = BookingClient.date(daysAhead: 33)
        let (ref, cookies) = try book(studio, day, "11:00")
        let before = try row(ref)
        for path in [
            "/booking/\(ref)", "/booking/\(ref).ics", "/booking/\(ref)/ubah",
            "/booking/\(ref)/ubah?studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=1&jam_booking=14:00",
            "/booking/\(ref)/jam?studio_id=\(studio)&tanggal_booking=\(day)", "/booking/\(ref)/batal",
        ] {
            #expect(try http.get(path, cookies: cookies).status != 303, "\(path)")
            _ = try http.send(http.request(method: "HEAD", path: path, headers: [], body: []))
        }
        #expect(try http.get("/booking/\(ref)/batal").status == 405)
        #expect(try row(ref) == before)
    }

    /// A session that starts within BOOKING_CANCEL_HOURS (24): no actions, and refused with the reason.
    @Test func afterTheCutoffTheStudioIsToBeContacted() throws {
        let studio = try studio("Uji Batas")
        let ref = String(format: "%016llx%016llx", UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        // Three hours from now in Jakarta, whatever the studio's hours: written as another program might.
        try appDatabase().query(
            """
            INSERT INTO booking_online (ref, nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking, durasi_jam, kode_cs)
            SELECT $1, 'Mepet', '0812', $2::integer, (t + interval '3 hours')::date, date_trunc('hour', t + interval '3 hours')::time, 1, 'CS-999999'
            FROM (SELECT now() AT TIME ZONE 'Asia/Jakarta') AS n(t)
            """, [ref, studio])
        let form = try http.get("/booking")
        let (cookies, token) = (form.cookies, BookingClient.csrfToken(in: form.body))
        let page = try http.get("/booking/\(ref)", cookies: cookies)
        #expect(page.status == 200)
        #expect(page.body.contains("tidak dapat lagi dibatalkan atau diubah di sini"))
        #expect(!page.body.contains("/batal\""))
        let cancel = try http.post("/booking/\(ref)/batal", form: "csrf_token=\(token)", cookies: cookies)
        #expect(cancel.status == 422)
        #expect(cancel.body.contains("hubungi studio"))
        let move = try http.post(
            "/booking/\(ref)/ubah", form: "csrf_token=\(token)&studio_id=\(studio)&tanggal_booking=\(BookingClient.date(daysAhead: 40))&jam_booking=10:00",
            cookies: cookies)
        #expect(move.status == 422)
        #expect(try row(ref)[5...] == ["0", "false"])
    }

    @Test func anUnknownRefIs404Everywhere() throws {
        let form = try http.get("/booking")
        let (cookies, token) = (form.cookies, BookingClient.csrfToken(in: form.body))
        let unknown = String(repeating: "e", count: 32)
        for path in ["/booking/\(unknown)", "/booking/\(unknown).ics", "/booking/\(unknown)/ubah", "/booking/\(unknown)/jam"] {
            #expect(try http.get(path).status == 404, "\(path)")
        }
        #expect(try http.post("/booking/\(unknown)/batal", form: "csrf_token=\(token)", cookies: cookies).status == 404)
        #expect(try http.post("/booking/\(unknown)/ubah", form: "csrf_token=\(token)&studio_id=1", cookies: cookies).status == 404)
    }
}
