import Postgres

extension MessageStore {
    /// One message as the staff booking page lists it.
    struct Listed: Sendable, Equatable {
        let id: Int
        let event: String
        let channel: String
        /// waiting, sending, sent or failed.
        let state: String
        let attempts: Int
        let lastError: String?
        /// `YYYY-MM-DD HH:MM` in the studios' time zone: when it was written, and sent.
        let created: String
        let sent: String?
    }

    /// A booking's messages, oldest first. `zone`: the studios' time zone, for the times shown.
    static func messages(_ db: Connection, booking id: Int, zone: String) throws(PostgresError) -> [Listed] {
        try db.query(
            """
            SELECT id_pesan, kejadian, saluran, status, percobaan, galat,
                   to_char(dibuat_pada AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),
                   to_char(terkirim_pada AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI')
            FROM pesan WHERE id_booking = $1::integer ORDER BY id_pesan
            """, [id, zone]
        ).decode((Int, String, String, String, Int, String?, String, String?).self).map(Listed.init)
    }

    enum Resend: Sendable, Equatable {
        /// It was failed and is waiting again, due now; the senders were told.
        case queued
        /// It is not failed (waiting, being sent, or sent): nothing changes.
        case notFailed
        case notFound
    }

    /// A failed message of `booking` sent again: due at once, with a new 24 hours of retries; its
    /// key stays, so a receiver that did get an earlier try drops this one.
    static func resend(_ db: Connection, booking: Int, message: Int) throws(PostgresError) -> Resend {
        try db.transaction { db throws(PostgresError) in
            let state = try db.query(
                "SELECT status FROM pesan WHERE id_pesan = $1::bigint AND id_booking = $2::integer FOR UPDATE",
                [message, booking]
            ).decode(String.self).first
            guard let state else { return .notFound }
            guard state == "failed" else { return .notFailed }
            try db.query(
                """
                UPDATE pesan SET status = 'waiting', berikutnya = now(), gagal_sejak = NULL
                WHERE id_pesan = $1::bigint
                """, [message])
            try db.query("SELECT pg_notify($1, '')", [MessageSender.channel])
            return .queued
        }
    }
}
