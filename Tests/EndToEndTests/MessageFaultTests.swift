import Foundation
import Postgres
import Testing
import TestSupport

/// The senders under faults and competition, on the integrity stack (two responders, .ci/test's
/// second phase): two responders never both deliver one message, and a responder killed (SIGKILL)
/// while sending loses nothing: the message goes out again, with the same key, once its lease ran out.
@Suite(.serialized, .needs(.integrityStack))
struct MessageFaultTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    /// A booking through the form, in a studio of its own: its ref.
    func book(_ nama: String, daysAhead: Int) throws -> String {
        let studio = try IntegrityStack.makeStudio("Studio \(nama) \(UInt16.random(in: 1...9999))")
        let form = try http.get("/booking")
        let fields = BookingClient.fields([
            "csrf_token": BookingClient.csrfToken(in: form.body), "studio_id": studio,
            "tanggal_booking": BookingClient.date(daysAhead: daysAhead), "jam_booking": "10:00",
            "telp_customer": "0879" + String(UInt32.random(in: 10_000_000...99_999_999)), "nama_customer": nama,
            "email_customer": "",
        ])
        let reply = try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: form.cookies)
        try #require(reply.status == 303, "\(reply.body)")
        return String(try #require(reply.header("Location")).split(separator: "/").last ?? "")
    }

    @Test func twoRespondersNeverBothDeliverOneMessageInAThousand() throws {
        try MessageSinks.required()
        let ref = try book("Seribu Pesan", daysAhead: 9)
        let db = try appDatabase()
        let keys = try db.query(
            """
            WITH added AS (
              INSERT INTO pesan (id_booking, kejadian, saluran, studio_id, mulai, durasi_jam)
              SELECT b.id_booking, 'booking_created', 'webhook', b.studio_id, b.tanggal_booking + b.jam_booking, 1
              FROM booking_online b, generate_series(1, 1000) WHERE b.ref = $1
              RETURNING kunci)
            SELECT kunci FROM added
            """, [ref]
        ).decode(String.self)
        try db.execute("NOTIFY sb_pesan")
        #expect(keys.count == 1000)
        let wanted = Set(keys)
        let sent = MessageSinks.wait(
            seconds: 120,
            { (try? db.query(
                "SELECT count(*) FROM pesan WHERE kunci = ANY ($1::text[]) AND status = 'sent'", [keys]
            ).decode(Int.self).first) ?? 0 },
            until: { $0 == 1000 })
        #expect(sent == 1000)
        let deliveries = MessageSinks.webhooks().compactMap { $0["key"] as? String }.filter { wanted.contains($0) }
        #expect(deliveries.count == 1000, "\(deliveries.count - Set(deliveries).count) delivered twice")
        #expect(Set(deliveries) == wanted)
    }

    @Test func aResponderKilledWhileSendingLosesNothing() throws {
        try MessageSinks.required()
        // The receiver holds the first try of this booking's messages for 8 s: both responders die meanwhile.
        let ref = try book("Tahan Dulu #tahan", daysAhead: 10)
        let held = MessageSinks.wait(
            { MessageSinks.webhooks(ref: ref, event: "booking_created") }, until: { $0.contains { $0["held"] as? Bool == true } })
        let key = try #require(held.first?["key"] as? String)
        try IntegrityStack.control("responder-kill", "1")
        try IntegrityStack.control("responder-kill", "2")
        #expect(try appDatabase().query(
            "SELECT status FROM pesan WHERE kunci = $1", [key]).decode(String.self) == ["sending"])
        // Started again by their supervisors, one takes it once its lease (15 s here) has run out.
        let tries = MessageSinks.wait(
            seconds: 60, { MessageSinks.webhooks(ref: ref, event: "booking_created") }, until: { $0.count >= 2 })
        #expect(tries.count == 2)
        #expect(tries.compactMap { $0["key"] as? String } == [key, key])
        let outcome = MessageSinks.wait(
            { (try? appDatabase().query("SELECT status, percobaan FROM pesan WHERE kunci = $1", [key])
                .decode((String, Int).self).first) ?? ("", 0) },
            until: { $0.0 == "sent" })
        #expect(outcome.0 == "sent" && outcome.1 == 2)
        try IntegrityStack.control("responder-wait", "1")
        try IntegrityStack.control("responder-wait", "2")
        #expect(try IntegrityStack.integrityViolations() == [])
    }
}
