import Foundation
import Postgres
import Synchronization
import Testing
import TestSupport
@testable import StudioBooking

/// The outbox as PostgreSQL keeps it (docs/behaviour.md: Messages): which rows a booking, a cancel
/// and a move write in their own transaction (sb_pesan_tulis), when the reminder falls due, and the
/// senders' claim, lease, retries and the admin's send-again.
@Suite(.needs(.database))
struct OutboxTests {
    typealias Item = BatchBookingTests

    /// A database whose responders deliver both channels, with reminders 24 hours ahead.
    static func database(email: Bool = true, webhook: Bool = true) throws -> TestDatabase {
        let database = try ScheduleTests.database()
        var config = MessageConfig()
        config.smtpURL = email ? "smtp://127.0.0.1:1" : nil
        config.webhookURL = webhook ? "http://127.0.0.1:1/" : nil
        try MessageStore.writeSettings(database.connect(), config, timeZone: "Asia/Jakarta")
        return database
    }

    /// `ref`'s messages as `event channel status`, in the order written.
    static func messages(_ database: TestDatabase, _ ref: String) throws -> [String] {
        try database.rows(
            """
            SELECT p.kejadian || ' ' || p.saluran || ' ' || p.status FROM pesan p
            JOIN booking_online b USING (id_booking) WHERE b.ref = '\(ref)' ORDER BY p.id_pesan
            """
        ).map { $0[0] ?? "" }
    }

    /// Whether every reminder of `ref` is due exactly `hours` before the start it names, which is the booking's.
    static func remindersDue(_ database: TestDatabase, _ ref: String, hours: Int = 24) throws -> Bool {
        try database.scalar(
            """
            SELECT bool_and(p.berikutnya = (p.mulai AT TIME ZONE 'Asia/Jakarta') - make_interval(hours => $2::integer)
                            AND p.mulai = b.tanggal_booking + b.jam_booking)::text
            FROM pesan p JOIN booking_online b USING (id_booking) WHERE b.ref = $1 AND p.kejadian = 'reminder'
            """, [ref, hours]) == "true"
    }

    static let created = ["booking_created email waiting", "booking_created webhook waiting"]
    static let reminders = ["reminder email waiting", "reminder webhook waiting"]

    @Test func withNeitherChannelNothingIsWritten() throws {
        let database = try Self.database(email: false, webhook: false)
        try SelfServiceTests.book(database, Item.item("n1", "Tanpa Saluran", telp: "0852 0000 0001", email: "a@contoh.com", day: 3))
        #expect(try database.count("pesan") == 0)
    }

    /// One batch, three bookings: each writes its confirmation and reminder, e-mail only with an address.
    @Test func aBatchWritesEveryBookingsMessagesPerChannel() throws {
        let database = try Self.database()
        let answers = try Item.sender(database).send([
            Item.item("b1", "Satu", telp: "0852 0000 0011", email: "satu@contoh.com", day: 3),
            Item.item("b2", "Dua", telp: "0852 0000 0012", studio: 2, day: 4, jam: "13:00", durasi: 2),
            Item.item("b3", "Tiga", telp: "0852 0000 0013", day: 5, jam: "15:00"),
        ])
        #expect(answers.allSatisfy { if case .success(.booked) = $0 { true } else { false } })
        #expect(try Self.messages(database, "b1") == Self.created + Self.reminders)
        #expect(try Self.messages(database, "b2") == ["booking_created webhook waiting", "reminder webhook waiting"])
        #expect(try Self.messages(database, "b3") == ["booking_created webhook waiting", "reminder webhook waiting"])
        for ref in ["b1", "b2", "b3"] { #expect(try Self.remindersDue(database, ref)) }
        #expect(try database.scalar("SELECT count(DISTINCT kunci)::text FROM pesan") == "8", "a key per message")
        #expect(try database.scalar("SELECT bool_and(berikutnya <= now())::text FROM pesan WHERE kejadian <> 'reminder'") == "true")
    }

    /// Booked inside the reminder window: the reminder is due at once; starting within the hour: none.
    @Test func insideTheWindowTheReminderIsDueAtOnceWithinTheHourThereIsNone() throws {
        let database = try Self.database(email: false)
        try database.connect().execute("UPDATE pesan_setelan SET pengingat_jam = 1000")
        try SelfServiceTests.book(database, Item.item("w1", "Jendela", telp: "0852 0000 0021", day: 3))
        #expect(try Self.messages(database, "w1") == ["booking_created webhook waiting", "reminder webhook waiting"])
        #expect(try database.scalar("SELECT bool_and(berikutnya <= now())::text FROM pesan") == "true")
        // A start half an hour away (written by hand: the form would not take it so late in a day).
        try SelfServiceTests.book(database, Item.item("w2", "Sebentar", telp: "0852 0000 0022", studio: 2, day: 6))
        let db = try database.connect()
        try db.execute(
            """
            DELETE FROM pesan;
            UPDATE booking_online SET tanggal_booking = (now() AT TIME ZONE 'Asia/Jakarta' + interval '30 minutes')::date,
              jam_booking = (now() AT TIME ZONE 'Asia/Jakarta' + interval '30 minutes')::time WHERE ref = 'w2';
            SELECT sb_pesan_tulis(ARRAY(SELECT id_booking FROM booking_online WHERE ref = 'w2'), 'booking_created');
            """)
        #expect(try Self.messages(database, "w2") == ["booking_created webhook waiting"])
    }

    @Test func aCancelWritesItsMessageAndDropsTheReminder() throws {
        let database = try Self.database()
        try SelfServiceTests.book(database, Item.item("c1", "Batal", telp: "0852 0000 0031", email: "batal@contoh.com", day: 3))
        #expect(try SelfServiceTests.cancel(database.connect(), "c1") == .done(namaCS: "Batal", telp: "085200000031"))
        #expect(try Self.messages(database, "c1")
            == Self.created + ["booking_cancelled email waiting", "booking_cancelled webhook waiting"])
        // A reminder that reached the outbox some other way is still never claimed for a cancelled booking.
        let db = try database.connect()
        try db.execute(
            """
            INSERT INTO pesan (id_booking, kejadian, saluran, studio_id, mulai, durasi_jam)
            SELECT id_booking, 'reminder', 'webhook', studio_id, tanggal_booking + jam_booking, 1
            FROM booking_online WHERE ref = 'c1'
            """)
        let claimed = try MessageStore.claim(db, channels: ["email", "webhook"], limit: 100, leaseSeconds: 60)
        #expect(claimed.map(\.event) == [.created, .created, .cancelled, .cancelled])
    }

    @Test func aMoveWritesItsMessageAndMovesTheReminder() throws {
        let database = try Self.database()
        try SelfServiceTests.book(database, Item.item("m1", "Pindah", telp: "0852 0000 0041", email: "pindah@contoh.com", day: 3))
        // One reminder went out already (a move from near to far): it stays as it was.
        try database.connect().execute("UPDATE pesan SET status = 'sent' WHERE kejadian = 'reminder' AND saluran = 'email'")
        #expect(try SelfServiceTests.move(database.connect(), "m1", studio: 2, day: 5, 14, hours: 2)
            == .done(namaCS: "Pindah", telp: "085200000041"))
        #expect(try Self.messages(database, "m1") == Self.created + ["reminder email sent"]
            + ["booking_rescheduled email waiting", "booking_rescheduled webhook waiting"] + Self.reminders)
        #expect(try database.scalar(
            """
            SELECT count(*)::text FROM pesan p JOIN booking_online b USING (id_booking)
            WHERE p.kejadian = 'reminder' AND p.status = 'waiting' AND p.mulai = b.tanggal_booking + b.jam_booking
              AND p.durasi_jam = 2 AND p.studio_id = 2
              AND p.berikutnya = (p.mulai AT TIME ZONE 'Asia/Jakarta') - interval '24 hours'
            """) == "2")
    }

    @Test func legacyBookingsGetNoMessages() throws {
        let database = try Self.database()
        try database.connect().execute(
            """
            INSERT INTO booking_online (nama_customer, telp_customer, email_customer, studio_id, tanggal_booking, jam_booking)
            VALUES ('Lama', '0812', 'lama@contoh.com', 1, current_date + 3, '10:00');
            SELECT sb_pesan_tulis(ARRAY(SELECT id_booking FROM booking_online WHERE ref IS NULL), 'booking_created');
            """)
        #expect(try database.count("pesan") == 0)
    }

    /// Six senders claiming at once from 300 due messages: each message is claimed once.
    @Test func claimsAreExclusiveAndALapsedLeaseIsDueAgain() throws {
        let database = try Self.database(email: false)
        try SelfServiceTests.book(database, Item.item("k1", "Klaim", telp: "0852 0000 0051", day: 3))
        try database.connect().execute(
            """
            DELETE FROM pesan;
            INSERT INTO pesan (id_booking, kejadian, saluran, studio_id, mulai, durasi_jam)
            SELECT b.id_booking, 'booking_created', 'webhook', 1, b.tanggal_booking + b.jam_booking, 1
            FROM booking_online b, generate_series(1, 300) WHERE b.ref = 'k1';
            """)
        let claims = concurrently(6) { _ in
            Result { () throws -> [Int] in
                let db = try database.connect()
                var ids: [Int] = []
                while true {
                    let batch = try MessageStore.claim(db, channels: ["webhook"], limit: 7, leaseSeconds: 60)
                    if batch.isEmpty { return ids }
                    ids += batch.map(\.id)
                }
            }
        }
        let ids = try claims.flatMap { try $0.get() }
        #expect(ids.count == 300)
        #expect(Set(ids).count == 300, "a message claimed twice")

        // A sender died holding one: once its lease runs out it is due again, its next try numbered 2.
        let db = try database.connect()
        try db.query("UPDATE pesan SET berikutnya = now() - interval '1 second' WHERE id_pesan = $1::bigint", [ids[0]])
        let again = try MessageStore.claim(db, channels: ["webhook"], limit: 10, leaseSeconds: 60)
        #expect(again.map(\.id) == [ids[0]])
        #expect(again.first?.attempt == 2)
        // The dead sender's late answer changes nothing; the second try's does. Recorded together
        // with a message still in its first lease, which that same statement marks sent.
        try MessageStore.delivered(db, ids: [ids[0], ids[1]], attempts: [1, 1])
        #expect(try database.scalar("SELECT status FROM pesan WHERE id_pesan = \(ids[0])") == "sending")
        #expect(try database.scalar("SELECT status FROM pesan WHERE id_pesan = \(ids[1])") == "sent")
        try MessageStore.delivered(db, ids: [ids[0]], attempts: [2])
        #expect(try database.scalar("SELECT status FROM pesan WHERE id_pesan = \(ids[0])") == "sent")
    }

    /// A message's key (Idempotency-Key, Message-ID) is the installation's random prefix and the
    /// message's number: distinct from every other installation's and message's, and kept on the row.
    @Test func aMessageKeyIsTheInstallationsPrefixAndItsNumber() throws {
        let database = try Self.database(email: false)
        try SelfServiceTests.book(database, Item.item("q1", "Kunci", telp: "0852 0000 0081", day: 3))
        let prefix = try #require(try database.scalar("SELECT kunci_awal FROM pesan_setelan"))
        #expect(prefix.count == 36, "a UUID")
        let rows = try database.rows("SELECT kunci, id_pesan::text FROM pesan ORDER BY id_pesan")
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0[0] == "\(prefix)-\($0[1] ?? "")" }, "\(rows)")
    }

    /// A sender claims its own channels only, the earliest due first across them, however many
    /// messages of another channel are due before them; and is told when its next one falls due.
    @Test func aSenderClaimsItsChannelsEarliestFirstPastAnotherChannelsMessages() throws {
        let database = try Self.database(email: false)
        try SelfServiceTests.book(database, Item.item("s1", "Saluran", telp: "0852 0000 0091", day: 3))
        let db = try database.connect()
        try db.execute(
            """
            DELETE FROM pesan;
            INSERT INTO pesan (id_booking, kejadian, saluran, studio_id, mulai, durasi_jam, berikutnya)
            SELECT b.id_booking, 'booking_created', s.saluran, 1, b.tanggal_booking + b.jam_booking, 1,
                   now() - make_interval(mins => s.menit)
            FROM booking_online b,
                 (VALUES ('email', 50), ('email', 40), ('webhook', 30), ('email', 20), ('webhook', 10), ('webhook', -10))
                   AS s(saluran, menit)
            WHERE b.ref = 's1';
            """)
        #expect(try MessageStore.nextDue(db, channels: ["webhook"]).map { $0 < -1700 } == true, "due half an hour ago")
        let webhook = try MessageStore.claim(db, channels: ["webhook"], limit: 10, leaseSeconds: 60)
        #expect(webhook.count == 2 && webhook.allSatisfy { $0.channel == .webhook })
        let both = try MessageStore.claim(db, channels: ["email", "webhook"], limit: 2, leaseSeconds: 60)
        #expect(both.map(\.channel) == [.email, .email])
        #expect(try database.scalar("SELECT count(*)::text FROM pesan WHERE status = 'sending'") == "4")
        // The one left due is email's, 20 minutes ago; the webhook's next is its claimed ones' lease,
        // a minute off, before the one due in ten minutes.
        #expect(try MessageStore.nextDue(db, channels: ["email"]).map { $0 < -1100 && $0 > -1300 } == true)
        #expect(try MessageStore.nextDue(db, channels: ["webhook"]).map { $0 > 50 && $0 < 70 } == true)
        #expect(try MessageStore.nextDue(db, channels: ["email", "webhook"]).map { $0 < -1100 } == true)
    }

    /// The sender's two questions look a reminder's booking up by its key: they never read the
    /// whole of booking_online. As `OR NOT EXISTS (…)` PostgreSQL hashed every cancelled booking
    /// first, a scan of the table on every claim and every nextDue (40 ms each in the bench). 5,000
    /// bookings with their reminders are enough for it to choose that plan.
    @Test func theSendersQuestionsNeverReadAllTheBookings() throws {
        let database = try Self.database(email: false)
        try database.connect().execute(
            """
            INSERT INTO booking_online (ref, nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking, durasi_jam)
            SELECT 'm' || i, 'Banyak ' || i, '0852' || i, 1 + i % 20, current_date + 3 + i / 200,
                   time '08:00' + make_interval(hours => (i / 20) % 10), 1
            FROM generate_series(0, 4999) AS i;
            INSERT INTO pesan (id_booking, kejadian, saluran, studio_id, mulai, durasi_jam, berikutnya)
            SELECT id_booking, 'reminder', 'webhook', studio_id, tanggal_booking + jam_booking, 1,
                   CASE WHEN ref = 'm0' THEN now() - interval '1 minute' ELSE now() + interval '2 days' END
            FROM booking_online;
            ANALYZE booking_online, pesan;
            """)
        // A connection of its own: its table counts are this transaction's alone.
        let db = try database.connect()
        try db.execute("BEGIN")
        #expect(try MessageStore.nextDue(db, channels: ["webhook"]).map { $0 < 0 } == true)
        #expect(try MessageStore.claim(db, channels: ["webhook"], limit: 10, leaseSeconds: 60).map(\.ref) == ["m0"])
        #expect(try MessageStore.nextDue(db, channels: ["webhook"]).map { $0 > 50 && $0 < 70 } == true, "its lease")
        let scans = try db.query("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'booking_online'").decode(Int.self)
        try db.execute("ROLLBACK")
        #expect(scans == [0])
    }

    /// A booking batch's connection (`studio_booking.announced`) writes its messages without a
    /// NOTIFY, which would make every batch commit alone: its responder's schedule listener tells
    /// the senders after the commit (ScheduleTests). Any other writer's commit tells them itself.
    @Test func onlyWritersOutsideABatchNotifyTheSendersThemselves() throws {
        let database = try Self.database(email: false)
        try SelfServiceTests.book(database, Item.item("w1", "Bangun", telp: "0852 0000 0101", day: 3))
        let listener = try database.connect()
        try listener.execute("LISTEN sb_pesan")
        func notified(announced: Bool) throws -> Bool {
            let db = try database.connect()
            if announced { try db.execute("SET studio_booking.announced = on") }
            try db.execute("SELECT sb_pesan_tulis(ARRAY(SELECT id_booking FROM booking_online WHERE ref = 'w1'), 'booking_created')")
            _ = listener.waitForNotifications(orReadable: -1, timeoutMS: 1_000)
            return try !listener.notifications().isEmpty
        }
        #expect(try notified(announced: true) == false)
        #expect(try notified(announced: false) == true)
        #expect(try database.count("pesan") == 6, "both wrote their messages")
    }

    /// What a sender gives back untried (its claim's second ran out, or it is stopping) is due
    /// again at once, its try not counted; one whose lease another sender took over stays that one's.
    @Test func aReleasedMessageIsDueAgainWithItsTryUncounted() throws {
        let database = try Self.database(email: false)
        try SelfServiceTests.book(database, Item.item("g1", "Kembali", telp: "0852 0000 0071", day: 3))
        let db = try database.connect()
        try db.execute("UPDATE pesan SET berikutnya = now() - interval '1 minute'")
        let claimed = try MessageStore.claim(db, channels: ["webhook"], limit: 10, leaseSeconds: 60)
        #expect(claimed.map(\.event) == [.created, .reminder] && claimed.allSatisfy { $0.attempt == 1 })
        // The reminder's lease ran out and another sender claimed it (its try 2) before this one let go.
        try db.query("UPDATE pesan SET percobaan = 2 WHERE id_pesan = $1::bigint", [claimed[1].id])
        try MessageStore.release(db, claimed.map(\.id), attempts: claimed.map(\.attempt))
        #expect(try database.rows(
            """
            SELECT kejadian, status, percobaan::text, (berikutnya BETWEEN now() - interval '5 seconds' AND now())::text
            FROM pesan ORDER BY id_pesan
            """) == [["booking_created", "waiting", "0", "true"], ["reminder", "sending", "2", "false"]])
        let again = try MessageStore.claim(db, channels: ["webhook"], limit: 10, leaseSeconds: 60)
        #expect(again.map(\.id) == [claimed[0].id] && again.first?.attempt == 1)
    }

    @Test func aFailureWaitsThenFailsAfterADayAndAnAdminSendsItAgain() throws {
        let database = try Self.database(email: false)
        try SelfServiceTests.book(database, Item.item("r1", "Ulang", telp: "0852 0000 0061", day: 3))
        let db = try database.connect()
        let first = try #require(try MessageStore.claim(db, channels: ["webhook"], limit: 1, leaseSeconds: 60).first)
        try MessageStore.retry(db, id: first.id, attempt: 1, error: "webhook menjawab HTTP 500", pauseSeconds: 30)
        #expect(try database.rows(
            """
            SELECT status, galat, (berikutnya BETWEEN now() + interval '29 seconds' AND now() + interval '31 seconds')::text,
                   (gagal_sejak IS NOT NULL)::text
            FROM pesan WHERE id_pesan = \(first.id)
            """) == [["waiting", "webhook menjawab HTTP 500", "true", "true"]])
        #expect(try MessageStore.claim(db, channels: ["webhook"], limit: 10, leaseSeconds: 60).isEmpty, "not due yet")
        // A day of failures later: the next failure is the last.
        try db.execute("UPDATE pesan SET berikutnya = now(), gagal_sejak = now() - interval '24 hours' WHERE kejadian <> 'reminder'")
        let last = try #require(try MessageStore.claim(db, channels: ["webhook"], limit: 1, leaseSeconds: 60).first)
        #expect(last.id == first.id && last.attempt == 2)
        try MessageStore.retry(db, id: last.id, attempt: 2, error: "tidak ada jawaban", pauseSeconds: 60)
        #expect(try database.scalar("SELECT status FROM pesan WHERE id_pesan = \(first.id)") == "failed")
        #expect(try MessageStore.claim(db, channels: ["webhook"], limit: 10, leaseSeconds: 60).isEmpty, "failed stays failed")

        let booking = try #require(Int(try database.scalar("SELECT id_booking::text FROM booking_online WHERE ref = 'r1'") ?? ""))
        #expect(try MessageStore.resend(db, booking: booking + 1, message: first.id) == .notFound)
        #expect(try MessageStore.resend(db, booking: booking, message: first.id) == .queued)
        #expect(try MessageStore.resend(db, booking: booking, message: first.id) == .notFailed)
        let listed = try MessageStore.messages(db, booking: booking, zone: "Asia/Jakarta")
        #expect(listed.map(\.state) == ["waiting", "waiting"])
        #expect(listed.first?.lastError == "tidak ada jawaban" && listed.first?.attempts == 2)
        let again = try MessageStore.claim(db, channels: ["webhook"], limit: 10, leaseSeconds: 60)
        #expect(again.map(\.id) == [first.id] && again.first?.key == first.key, "the same key on every try")
    }

    @Test func pausesGrowFromTheFirstRetryToAnHour() {
        #expect((1...9).map { MessagePolicy.pause(afterAttempt: $0, base: 30) } == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(MessagePolicy.pause(afterAttempt: 500, base: 30) == 3600)
    }
}
