import Postgres

/// The SQL of a customer's own booking (docs/behaviour.md: Your booking): the booking as its page
/// shows it, and the cancel and the move, each one function call and so one transaction. Whether a
/// change is still allowed is the database's to say (`sb_before_cutoff`), measured from `now`, the
/// studios' local time (`BookingCalendar.localTimestamp`).
enum SelfServiceStore {
    /// A booking as its own page and calendar file show it.
    struct Booking: Sendable, Equatable {
        let nama, jenisKelamin, telp: String
        let email: String?
        let alamat: String
        let studioID: Int
        let studio: String
        let tanggal: Day
        /// `HH:MM`: a legacy start may be off the hour.
        let jam: String
        let durasi: Int
        let kodeCS: String
        let cancelled: Bool
        /// Not cancelled, and its start is still after the cutoff: it may be cancelled or moved.
        let changeable: Bool
        /// How many times it was cancelled or moved: the calendar file's SEQUENCE.
        let versi: Int

        /// The starting hour; a start off the hour (legacy) counts from the hour it begins in.
        var hour: Int { Int(jam.prefix(2)) ?? 0 }
    }

    static func booking(_ db: Connection, ref: String, now: String, cutoffHours: Int) throws(PostgresError) -> Booking? {
        try db.query(
            """
            SELECT b.nama_customer, coalesce(b.jenis_kelamin, ''), b.telp_customer, b.email_customer,
                   coalesce(b.alamat_customer, ''), b.studio_id, coalesce(s.nama_studio, 'Studio ' || b.studio_id),
                   to_char(b.tanggal_booking, 'YYYY-MM-DD'), to_char(b.jam_booking, 'HH24:MI'),
                   coalesce(b.durasi_jam, 1), coalesce(b.kode_cs, ''), b.dibatalkan_pada IS NOT NULL,
                   b.dibatalkan_pada IS NULL AND sb_before_cutoff(b.tanggal_booking + b.jam_booking, $2::timestamp, $3::integer),
                   b.jadwal_versi
            FROM booking_online b LEFT JOIN studio s ON s.id_studio = b.studio_id
            WHERE b.ref = $1
            """, [ref, now, cutoffHours]
        ).decode((String, String, String, String?, String, Int, String, Day, String, Int, String, Bool, Bool, Int).self)
            .first.map(Booking.init)
    }

    /// What became of a cancel or a move; `done` carries the customer's name and phone for the log.
    enum Outcome: Sendable, Equatable {
        case done(namaCS: String, telp: String)
        /// Nothing to do: already cancelled, or moved to the time it has.
        case unchanged
        case notFound
        /// The booking is cancelled: it cannot be moved.
        case cancelled
        /// Its start is no longer after the cutoff.
        case tooLate
        /// The new start is not after the cutoff.
        case tooSoon
        /// As a booking's `closed` (BookingStore.Decision).
        case closed
        case slotTaken
    }

    /// An outcome, and the studio and day the booking had (nil when there is none): the free times
    /// to drop from this responder's cache once a change has committed.
    struct Change: Sendable, Equatable {
        let outcome: Outcome
        let studio: Int?
        let day: Day?
    }

    static let changeColumns = "r_outcome, r_nama_cs, r_telp, r_studio_id, to_char(r_tanggal, 'YYYY-MM-DD')"

    /// `sb_cancel_booking`: cancelled, or nothing changed. The booking `ref`'s, or with `ref` nil the
    /// booking `id`'s (staff; a legacy booking has no ref); `cutoffHours` nil: no cutoff (staff).
    static func cancel(
        _ db: Connection, ref: String?, id: Int? = nil, now: String, cutoffHours: Int?
    ) throws(PostgresError) -> Change {
        try change(
            db, "SELECT \(changeColumns) FROM sb_cancel_booking($1, $2::timestamp, $3::integer, $4::integer)",
            [ref, now, cutoffHours, id])
    }

    /// `sb_reschedule_booking`: the booking moved to `choice` at `hour`:00, or nothing changed.
    /// `ref`, `id` and `cutoffHours` as `cancel`.
    static func reschedule(
        _ db: Connection, ref: String?, id: Int? = nil, to choice: BookingController.ScheduleChoice, hour: Int, now: String,
        cutoffHours: Int?
    ) throws(PostgresError) -> Change {
        try change(
            db,
            """
            SELECT \(changeColumns)
            FROM sb_reschedule_booking($1, $2::integer, $3::date, $4::time, $5::smallint, $6::timestamp, $7::integer, $8::integer)
            """,
            [ref, choice.studio.id, choice.day, StudioDay.label(hour), choice.durasi, now, cutoffHours, id])
    }

    private static func change(_ db: Connection, _ sql: String, _ parameters: [any PostgresEncodable]) throws(PostgresError) -> Change {
        let rows = try db.query(sql, parameters).decode((String, String?, String?, Int?, Day?).self)
        guard rows.count == 1 else {
            throw PostgresError(code: .unexpectedAnswer, message: "the change answered \(rows.count) rows", sql: sql)
        }
        let (outcome, nama, telp, studio, day) = rows[0]
        let decided: Outcome
        switch (outcome, nama, telp) {
        case ("cancelled", let nama?, let telp?), ("rescheduled", let nama?, let telp?): decided = .done(namaCS: nama, telp: telp)
        case ("already_cancelled", _, _), ("unchanged", _, _): decided = .unchanged
        case ("not_found", _, _): decided = .notFound
        case ("booking_cancelled", _, _): decided = .cancelled
        case ("too_late", _, _): decided = .tooLate
        case ("too_soon", _, _): decided = .tooSoon
        case ("closed", _, _): decided = .closed
        case ("slot_taken", _, _): decided = .slotTaken
        case let (other, _, _):
            throw PostgresError(code: .unexpectedAnswer, message: "the change answered the outcome \(other)", sql: sql)
        }
        return Change(outcome: decided, studio: studio, day: day)
    }
}
