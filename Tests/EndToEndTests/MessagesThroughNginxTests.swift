import Crypto
import Foundation
import Postgres
import StudioBooking
import Testing
import TestSupport

/// Messages to customers through the whole stack (docs/behaviour.md: Messages): bookings, changes
/// and cancellations made through nginx and two responders reach the tests' SMTP sink and webhook
/// receiver (.ci/test), with the contract's content, headers and signature; a receiver that fails
/// gets the message later with the same key; a reminder inside its window goes out at once, and a
/// cancelled booking's never does. Each test has a studio of its own.
@Suite(.needs(.stack))
struct MessagesThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    func studio(_ name: String) throws -> String {
        try appDatabase().query("INSERT INTO studio (nama_studio) VALUES ($1) RETURNING id_studio", [name]).decode(String.self)[0]
    }

    /// Books through the form; answers the ref and the visitor's cookies.
    func book(_ studio: String, _ day: String, _ jam: String, nama: String, email: String, hours: Int = 1) throws
        -> (ref: String, cookies: [String])
    {
        let form = try http.get("/booking")
        let fields = BookingClient.fields([
            "csrf_token": BookingClient.csrfToken(in: form.body), "studio_id": studio, "tanggal_booking": day,
            "jam_booking": jam, "durasi_jam": String(hours), "telp_customer": "+62 878 " + String(UInt32.random(in: 1_000_000...9_999_999)),
            "nama_customer": nama, "email_customer": email,
        ])
        let reply = try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: form.cookies)
        try #require(reply.status == 303, "\(reply.body)")
        return (String(try #require(reply.header("Location")).split(separator: "/").last ?? ""), form.cookies)
    }

    /// The booking page's form token, for its cancel and change.
    func token(_ ref: String, _ cookies: [String]) throws -> String {
        BookingClient.csrfToken(in: try http.get("/booking/\(ref)", cookies: cookies).body)
    }

    func mails(to address: String, count: Int) -> [[String: Any]] {
        MessageSinks.wait({ MessageSinks.mails().filter { ($0["rcpt_tos"] as? [String]) == [address] } }, until: { $0.count >= count })
    }

    func delivered(_ ref: String, _ event: String) -> [[String: Any]] {
        MessageSinks.wait({ MessageSinks.webhooks(ref: ref, event: event) }, until: { $0.contains { $0["status"] as? Int == 200 } })
    }

    /// The webhook's JSON for `ref` and `event`, after checking the request's headers and signature.
    func webhook(_ ref: String, _ event: String) throws -> [String: Any] {
        let request = try #require(delivered(ref, event).last, "no \(event) webhook for \(ref)")
        #expect(request["content_type"] as? String == "application/json")
        let body = Array((request["body"] as? String ?? "").utf8)
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(MessageSinks.webhookSecret.utf8)))
        #expect(request["signature"] as? String == "sha256=" + code.map { String(format: "%02x", $0) }.joined())
        #expect((request["key"] as? String ?? "").count >= 16)
        return MessageSinks.body(request)
    }

    @Test func aBookingItsChangeAndItsCancellationEachReachTheCustomer() throws {
        try MessageSinks.required()
        let studio = try studio("Studio Pesan \(UInt16.random(in: 1...9999))")
        let email = "pesan-\(UUID().uuidString.prefix(8).lowercased())@contoh.test"
        let day = BookingClient.date(daysAhead: 5)
        let (ref, cookies) = try book(studio, day, "10:00", nama: "Ayu Pesan", email: email, hours: 2)
        let kode = try appDatabase().query("SELECT kode_cs FROM booking_online WHERE ref = $1", [ref]).decode(String.self)[0]

        // The confirmation: by e-mail with the calendar file, and to the gateway.
        let confirmation = try #require(mails(to: email, count: 1).first)
        #expect((confirmation["subject"] as? String ?? "").hasPrefix("Booking studio diterima: Studio Pesan"))
        #expect((confirmation["text_type"] as? String ?? "").lowercased().replacingOccurrences(of: "\"", with: "")
            == "text/plain; charset=utf-8")
        #expect(confirmation["mail_from"] as? String == "studio@contoh.test")
        let text = confirmation["text"] as? String ?? ""
        for part in ["Halo Ayu Pesan", "Studio Pesan", "pukul 10.00", "Lama sesi: 2 jam", "Kode customer: \(kode)",
                     "\(MessageSinks.publicURL)/booking/\(ref)"] {
            #expect(text.contains(part), "\(part) is not in: \(text)")
        }
        let messageID = confirmation["message_id"] as? String ?? ""
        #expect(messageID.hasSuffix("@studio-booking>"))
        let files = confirmation["attachments"] as? [[String: Any]] ?? []
        #expect(files.map { $0["filename"] as? String } == ["studio-booking.ics"])
        #expect((files.first?["content"] as? String ?? "").contains("UID:\(ref)@studio-booking"))

        let created = try webhook(ref, "booking_created")
        #expect(created["kode_cs"] as? String == kode)
        #expect(created["nama"] as? String == "Ayu Pesan")
        #expect((created["telp"] as? String ?? "").hasPrefix("62878"))
        #expect((created["studio"] as? String ?? "").hasPrefix("Studio Pesan"))
        #expect(created["mulai"] as? String == "\(day)T10:00:00+07:00")
        #expect(created["selesai"] as? String == "\(day)T12:00:00+07:00")
        #expect(created["pesan"] as? String == text)

        // The change: both again, the calendar file at the new time; the reminder moved with it.
        let later = BookingClient.date(daysAhead: 6)
        let moved = try http.post(
            "/booking/\(ref)/ubah",
            form: "csrf_token=\(try token(ref, cookies))&studio_id=\(studio)&tanggal_booking=\(later)&jam_booking=13:00&durasi_jam=1",
            cookies: cookies)
        #expect(moved.status == 303)
        let change = try #require(mails(to: email, count: 2).last)
        #expect((change["subject"] as? String ?? "").hasPrefix("Jadwal booking studio diubah"))
        #expect((change["text"] as? String ?? "").contains("pukul 13.00"))
        let changedFile = (change["attachments"] as? [[String: Any]])?.first?["content"] as? String ?? ""
        #expect(changedFile.contains("SEQUENCE:1"))
        #expect(try webhook(ref, "booking_rescheduled")["mulai"] as? String == "\(later)T13:00:00+07:00")
        #expect(try appDatabase().query(
            """
            SELECT count(*) FROM pesan p JOIN booking_online b USING (id_booking)
            WHERE b.ref = $1 AND p.kejadian = 'reminder' AND p.status = 'waiting'
              AND p.berikutnya = ((b.tanggal_booking + b.jam_booking) AT TIME ZONE 'Asia/Jakarta') - interval '24 hours'
            """, [ref]).decode(Int.self) == [2])

        // The cancellation: both, no calendar file; the reminder is gone and never goes out.
        #expect(try http.post("/booking/\(ref)/batal", form: "csrf_token=\(try token(ref, cookies))", cookies: cookies).status == 303)
        let cancel = try #require(mails(to: email, count: 3).last)
        #expect((cancel["subject"] as? String ?? "").hasPrefix("Booking studio dibatalkan"))
        #expect((cancel["attachments"] as? [[String: Any]] ?? []).isEmpty)
        #expect(try webhook(ref, "booking_cancelled")["event"] as? String == "booking_cancelled")
        #expect(Set(mails(to: email, count: 3).compactMap { $0["message_id"] as? String }).count == 3)
        #expect(try appDatabase().query(
            "SELECT count(*) FROM pesan p JOIN booking_online b USING (id_booking) WHERE b.ref = $1 AND p.kejadian = 'reminder'",
            [ref]).decode(Int.self) == [0])
        #expect(MessageSinks.webhooks(ref: ref, event: "reminder").isEmpty)
    }

    /// The receiver answers 500 twice: the third try, a growing pause later, delivers with the same key.
    @Test func aFailingReceiverGetsTheMessageLaterWithTheSameKey() throws {
        try MessageSinks.required()
        let studio = try studio("Studio Gagal \(UInt16.random(in: 1...9999))")
        let (ref, _) = try book(studio, BookingClient.date(daysAhead: 7), "11:00", nama: "Gagal Dua #gagal2", email: "")
        let tries = MessageSinks.wait(
            { MessageSinks.webhooks(ref: ref, event: "booking_created") }, until: { $0.contains { $0["status"] as? Int == 200 } })
        #expect(tries.map { $0["status"] as? Int } == [500, 500, 200])
        #expect(Set(tries.compactMap { $0["key"] as? String }).count == 1, "one key on every try")
        #expect(Set(tries.compactMap { $0["body"] as? String }).count == 1, "the same body on every try")
        let at = tries.compactMap { $0["at"] as? Double }
        if at.count == 3 {
            #expect(at[2] - at[1] > at[1] - at[0], "the pauses grow")
            // MESSAGE_RETRY_SECONDS=1 (.ci/test): the sender wakes for its own retry, not at its 5 s look.
            #expect(at[1] - at[0] < 3, "the first retry comes after its own pause")
        }
        let row = try appDatabase().query(
            """
            SELECT p.status, p.percobaan, p.galat IS NULL FROM pesan p JOIN booking_online b USING (id_booking)
            WHERE b.ref = $1 AND p.kejadian = 'booking_created'
            """, [ref]
        ).decode((String, Int, Bool).self)
        #expect(row.count == 1 && row[0].0 == "sent" && row[0].1 == 3 && row[0].2)
    }

    /// A start inside BOOKING_REMINDER_HOURS (24) and more than an hour away: the reminder goes at once.
    @Test func aReminderInsideItsWindowGoesOutAtOnce() throws {
        try MessageSinks.required()
        let studio = try studio("Studio Ingat \(UInt16.random(in: 1...9999))")
        let zone = TimeZone(identifier: "Asia/Jakarta")!
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = zone
        let now = Date()
        // The first start, today or tomorrow, 09:00-20:00, between 1.5 and 23 hours away.
        var choice: (day: String, jam: String)?
        for days in 0...1 {
            let date = gregorian.date(byAdding: .day, value: days, to: now)!
            let parts = gregorian.dateComponents([.year, .month, .day], from: date)
            for hour in 9...20 {
                let start = gregorian.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: hour))!
                let away = start.timeIntervalSince(now)
                if choice == nil, away > 5400, away < 23 * 3600 {
                    choice = (String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!), String(format: "%02d:00", hour))
                }
            }
        }
        let (day, jam) = try #require(choice)
        let (ref, _) = try book(studio, day, jam, nama: "Ingat Segera", email: "")
        let reminder = try webhook(ref, "reminder")
        #expect((reminder["pesan"] as? String ?? "").contains("Ini pengingat untuk sesi studio Anda."))
        #expect(reminder["mulai"] as? String == "\(day)T\(jam):00+07:00")
    }
    /// A staff account signed in (an admin with `admin`): its cookies and a page's token.
    func signIn(admin: Bool) throws -> (cookies: [String], token: String) {
        let username = (admin ? "admin" : "staf") + String(UInt32.random(in: 1000...999_999))
        _ = try StaffStore.setPassword(
            try appDatabase(), username: username, passwordHash: StaffAccount.hash("rahasia-pesan-1"), admin: admin)
        let login = try http.get("/staff/login")
        let signIn = try http.post(
            "/staff/login",
            form: BookingClient.urlEncode([
                "username": username, "password": "rahasia-pesan-1", "csrf_token": BookingClient.csrfToken(in: login.body),
            ]),
            cookies: login.cookies)
        #expect(signIn.status == 303)
        return (login.cookies + signIn.cookies, BookingClient.csrfToken(in: login.body))
    }

    /// The staff booking page lists each message; an admin sends a failed one again, with its key.
    @Test func theStaffBookingPageListsTheMessagesAndAnAdminSendsAFailedOneAgain() throws {
        try MessageSinks.required()
        let studio = try studio("Studio Ulang \(UInt16.random(in: 1...9999))")
        let (ref, _) = try book(studio, BookingClient.date(daysAhead: 8), "12:00", nama: "Kirim Ulang", email: "")
        let first = delivered(ref, "booking_created")
        let key = try #require(first.last?["key"] as? String)
        let db = try appDatabase()
        let id = try db.query("SELECT id_booking FROM booking_online WHERE ref = $1", [ref]).decode(Int.self)[0]
        // As a gateway that took it and then lost it would leave it: failed after a day of tries.
        let message = try db.query(
            "UPDATE pesan SET status = 'failed', galat = 'webhook menjawab HTTP 503' WHERE kunci = $1 RETURNING id_pesan", [key]
        ).decode(Int.self)[0]
        let resend = "/staff/bookings/\(id)/pesan/\(message)/kirim"

        let staf = try signIn(admin: false)
        let seen = try http.get("/staff/bookings/\(id)", cookies: staf.cookies)
        #expect(seen.status == 200)
        for part in ["Pesan ke customer", "Konfirmasi booking", "WhatsApp (webhook)", "Gagal", "webhook menjawab HTTP 503",
                     "Pengingat", "Menunggu"] {
            #expect(seen.body.contains(part), "\(part)")
        }
        #expect(!seen.body.contains(resend), "only admins send again")
        #expect(try http.post(resend, form: "csrf_token=\(staf.token)", cookies: staf.cookies).status == 403)

        let admin = try signIn(admin: true)
        let page = try http.get("/staff/bookings/\(id)", cookies: admin.cookies)
        #expect(page.body.contains("action=\"\(resend)\""))
        #expect(try http.post(resend, form: "", cookies: admin.cookies).status == 403, "without the token")
        #expect(try http.post("/staff/bookings/\(id + 1)/pesan/\(message)/kirim", form: "csrf_token=\(admin.token)",
                              cookies: admin.cookies).status == 404)
        let again = try http.post(resend, form: "csrf_token=\(admin.token)", cookies: admin.cookies)
        #expect(again.status == 303)
        #expect(again.header("Location") == "/staff/bookings/\(id)")
        let tries = MessageSinks.wait(
            { MessageSinks.webhooks(ref: ref, event: "booking_created") }, until: { $0.count >= first.count + 1 })
        #expect(tries.compactMap { $0["key"] as? String }.suffix(2) == [key, key], "sent again with the same key")
        let state = MessageSinks.wait(
            { (try? db.query("SELECT status FROM pesan WHERE id_pesan = $1::bigint", [message]).decode(String.self).first) ?? "" },
            until: { $0 == "sent" })
        #expect(state == "sent")
        // Not failed any more: a second press changes nothing.
        #expect(try http.post(resend, form: "csrf_token=\(admin.token)", cookies: admin.cookies).status == 303)
    }
}
