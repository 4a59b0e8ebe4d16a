import Postgres

/// The SQL of the outbox (Migrations/017_messages.sql): the settings the writing functions read,
/// the senders' claim and outcome, and a booking's messages for its staff page.
enum MessageStore {
    /// This responder's settings, for sb_pesan_tulis: which channels get rows, when reminders fall due.
    static func writeSettings(_ db: Connection, _ config: MessageConfig, timeZone: String) throws(PostgresError) {
        try db.query(
            """
            INSERT INTO pesan_setelan (id, email, webhook, pengingat_jam, zona, diubah_pada)
            VALUES (true, $1::boolean, $2::boolean, $3::integer, $4, now())
            ON CONFLICT (id) DO UPDATE SET email = excluded.email, webhook = excluded.webhook,
              pengingat_jam = excluded.pengingat_jam, zona = excluded.zona, diubah_pada = now()
            """, [config.smtpURL != nil, config.webhookURL != nil, config.reminderHours, timeZone])
    }

    /// The claim's and nextDue's condition on an outbox row `p`: a reminder of a cancelled booking
    /// is never due (sb_cancel_booking drops them; this keeps one written around it from going
    /// out). Looked up per row by the booking's key, and only for reminders. Written as `OR NOT
    /// EXISTS (…)`, PostgreSQL hashed every cancelled booking first, a scan of all of
    /// booking_online on each call: 40 ms a nextDue in the bench (bench/README.md, session 13).
    static let notACancelledBookingsReminder = """
        (p.kejadian <> 'reminder' OR (SELECT x.dibatalkan_pada IS NULL FROM booking_online x WHERE x.id_booking = p.id_booking))
        """

    /// Up to `limit` due messages on `channels`, each now `sending` and this sender's for
    /// `leaseSeconds`, committed before any is sent. SKIP LOCKED: a message another sender is
    /// claiming at this moment is left to it, so no two claim one. A `sending` row whose lease ran
    /// out is due again (its sender died). A reminder of a cancelled booking is never claimed.
    /// Each channel is read in its own time order (migration 019's index), the earliest first of
    /// them all; what one channel locked beyond the limit is let go at the commit.
    static func claim(_ db: Connection, channels: [String], limit: Int, leaseSeconds: Int) throws(PostgresError) -> [CustomerMessage] {
        try db.query(
            """
            WITH due AS (
              SELECT d.id_pesan FROM unnest($1::text[]) AS ch(saluran)
              CROSS JOIN LATERAL (
                SELECT p.id_pesan, p.berikutnya FROM pesan p
                WHERE p.saluran = ch.saluran AND p.status IN ('waiting', 'sending') AND p.berikutnya <= now()
                  AND \(notACancelledBookingsReminder)
                ORDER BY p.berikutnya LIMIT $2::integer
                FOR UPDATE SKIP LOCKED) AS d
              ORDER BY d.berikutnya LIMIT $2::integer
            ), claimed AS (
              UPDATE pesan p SET status = 'sending', percobaan = p.percobaan + 1,
                berikutnya = now() + make_interval(secs => $3::integer)
              FROM due WHERE p.id_pesan = due.id_pesan
              RETURNING p.*
            )
            SELECT c.id_pesan, c.kejadian, c.saluran, c.kunci, c.percobaan, b.ref, coalesce(b.kode_cs, ''),
                   b.nama_customer, b.telp_customer, nullif(b.email_customer, ''),
                   coalesce(s.nama_studio, 'Studio ' || c.studio_id), to_char(c.mulai, 'YYYY-MM-DD'),
                   to_char(c.mulai, 'HH24:MI'), c.durasi_jam, c.jadwal_versi, b.dibatalkan_pada IS NOT NULL
            FROM claimed c JOIN booking_online b ON b.id_booking = c.id_booking
            LEFT JOIN studio s ON s.id_studio = c.studio_id
            ORDER BY c.id_pesan
            """, [channels, limit, leaseSeconds]
        ).decode((Int, String, String, String, Int, String, String, String, String, String?, String, Day, String, Int, Int, Bool).self)
            .compactMap { row in
                guard let event = CustomerMessage.Event(rawValue: row.1), let channel = CustomerMessage.Channel(rawValue: row.2)
                else { return nil }
                return CustomerMessage(
                    id: row.0, event: event, channel: channel, key: row.3, attempt: row.4, ref: row.5, kodeCS: row.6,
                    nama: row.7, telp: row.8, email: row.9, studio: row.10, day: row.11, jam: row.12, durasi: row.13,
                    versi: row.14, bookingCancelled: row.15)
            }
    }

    /// Marks messages sent, each by its try (`ids[i]`'s try `attempts[i]`); a try whose lease
    /// another sender has taken over since (it answers after its lease ran out) changes nothing.
    static func delivered(_ db: Connection, ids: [Int], attempts: [Int]) throws(PostgresError) {
        try db.query(
            """
            UPDATE pesan p SET status = 'sent', terkirim_pada = now(), galat = NULL
            FROM unnest($1::bigint[], $2::integer[]) AS d(id, attempt)
            WHERE p.id_pesan = d.id AND p.percobaan = d.attempt AND p.status = 'sending'
            """, [ids, attempts])
    }

    /// Gives back claimed messages this sender did not try (its claim's time ran out, or it is
    /// stopping): `waiting` and due at once, their try not counted. One whose lease another sender
    /// has taken over since is left to it.
    static func release(_ db: Connection, _ ids: [Int], attempts: [Int]) throws(PostgresError) {
        try db.query(
            """
            UPDATE pesan p SET status = 'waiting', percobaan = p.percobaan - 1, berikutnya = now()
            FROM unnest($1::bigint[], $2::integer[]) AS d(id, attempt)
            WHERE p.id_pesan = d.id AND p.percobaan = d.attempt AND p.status = 'sending'
            """, [ids, attempts])
    }

    /// A try that failed: due again after `pauseSeconds`, or `failed` once 24 hours have passed
    /// since its first failure.
    static func retry(_ db: Connection, id: Int, attempt: Int, error: String, pauseSeconds: Int) throws(PostgresError) {
        try db.query(
            """
            UPDATE pesan SET galat = left($3, 500), gagal_sejak = coalesce(gagal_sejak, now()),
              status = CASE WHEN coalesce(gagal_sejak, now()) + interval '24 hours' <= now() + make_interval(secs => $4::integer)
                            THEN 'failed' ELSE 'waiting' END,
              berikutnya = now() + make_interval(secs => $4::integer)
            WHERE id_pesan = $1::bigint AND percobaan = $2::integer AND status = 'sending'
            """, [id, attempt, error, pauseSeconds])
    }

    /// Seconds until the next message on `channels` falls due (0 or less: one is due); nil: none
    /// waits. The claim's own conditions, so that what it will never take is never due here. The
    /// first of each channel in the due index's order, not the least of all: every reminder waits
    /// in that index, and `min` over them looked up each one's booking.
    static func nextDue(_ db: Connection, channels: [String]) throws(PostgresError) -> Double? {
        try db.query(
            """
            SELECT extract(epoch FROM min(d.berikutnya) - now())::float8::text FROM unnest($1::text[]) AS ch(saluran)
            CROSS JOIN LATERAL (
              SELECT p.berikutnya FROM pesan p
              WHERE p.saluran = ch.saluran AND p.status IN ('waiting', 'sending') AND \(notACancelledBookingsReminder)
              ORDER BY p.berikutnya LIMIT 1) AS d
            """, [channels]
        ).decode(String?.self).first.flatMap { $0.flatMap(Double.init) }
    }
}
