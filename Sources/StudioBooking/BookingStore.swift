import Postgres

/// The SQL the public pages run, each statement beside the one function that runs it.
enum BookingStore {
    struct Studio: Sendable, Equatable {
        let id: Int
        let name: String
    }

    /// What the booking did to the customer master.
    struct Outcome: Sendable, Equatable {
        let kodeCS: String
        let customerCreated: Bool
        let namaCS: String
        let telp: String
    }

    struct Confirmation: Sendable, Equatable {
        let nama, jenisKelamin, telp: String
        let email: String?
        let alamat, studio, tanggal, jam, kodeCS: String
    }

    static func studios(_ db: Connection) throws(PostgresError) -> [Studio] {
        try db.query("SELECT id_studio, nama_studio FROM studio ORDER BY id_studio").map { row throws(PostgresError) in
            Studio(id: try row.int(0), name: try row.string(1))
        }
    }

    /// The booking and its customer-master change, in one statement and so one transaction
    /// (the function `sb_book`, migration 005). A taken slot is a unique violation on
    /// `booking_online_slot_key`.
    /// More than `maxActive` bookings from today on for one phone is a check violation on
    /// `booking_active_limit`.
    static func book(
        _ db: Connection, _ booking: ValidBooking, ref: String, today: Day, maxActive: Int
    ) throws(PostgresError) -> Outcome {
        let rows = try db.query(
            """
            SELECT r_kode_cs, r_created, r_nama_cs, r_telp
            FROM sb_book($1, $2, $3, $4, $5, $6, $7, $8::integer, $9::date, $10::time, $11::date, $12::integer)
            """,
            [ref, booking.nama, booking.jenisKelamin, booking.telpEntered, booking.telp, booking.email,
             booking.alamat, String(booking.studioID), booking.tanggal.iso, booking.jam, today.iso, String(maxActive)])
        let row = rows[0]
        return Outcome(
            kodeCS: try row.string(0), customerCreated: try row.bool(1), namaCS: try row.string(2),
            telp: row[3] ?? "")
    }

    static func confirmation(_ db: Connection, ref: String) throws(PostgresError) -> Confirmation? {
        let rows = try db.query(
            """
            SELECT b.nama_customer, coalesce(b.jenis_kelamin, ''), b.telp_customer, b.email_customer,
                   coalesce(b.alamat_customer, ''), coalesce(s.nama_studio, 'Studio ' || b.studio_id),
                   to_char(b.tanggal_booking, 'YYYY-MM-DD'), to_char(b.jam_booking, 'HH24:MI'),
                   coalesce(b.kode_cs, '')
            FROM booking_online b LEFT JOIN studio s ON s.id_studio = b.studio_id
            WHERE b.ref = $1
            """, [ref])
        guard let row = rows.first else { return nil }
        return Confirmation(
            nama: try row.string(0), jenisKelamin: try row.string(1), telp: try row.string(2), email: row[3],
            alamat: try row.string(4), studio: try row.string(5), tanggal: try row.string(6),
            jam: try row.string(7), kodeCS: try row.string(8))
    }

    static func ping(_ db: Connection) throws(PostgresError) {
        try db.query("SELECT 1")
    }

    /// The CSRF key every responder shares (migration 004 makes it once).
    static func csrfSecret(_ db: Connection) throws(PostgresError) -> String {
        let rows = try db.query("SELECT value FROM app_secret WHERE name = 'csrf'")
        guard let row = rows.first else {
            throw PostgresError(code: .undefinedTable, message: "no CSRF secret: run `studio-booking migrate`")
        }
        return try row.string(0)
    }
}
