import Postgres

/// The SQL of bookings by staff (docs/behaviour.md: Bookings by staff): one booking as its staff page
/// shows it, whether the customer came, and the tallies the customer pages show. Cancel and move are
/// `SelfServiceStore`'s, by id and without a cutoff.
enum StaffBookingStore {
    /// A booking, the app's or a legacy one, as its staff page shows it.
    struct Booking: Sendable, Equatable {
        let id: Int
        let ref: String?
        let nama, jenisKelamin, telp: String
        let email: String?
        let alamat: String
        let studioID: Int
        let studio: String
        let tanggal: Day
        /// `HH:MM`: a legacy start may be off the hour.
        let jam: String
        let durasi: Int
        /// The customer it belongs to: its own `kode_cs`, or for a legacy booking the customer its
        /// phone matches (§5 step 1, `sb_phone_owner`); nil when there is none.
        let kodeCS: String?
        let cancelled: Bool
        /// nil: not recorded.
        let hadir: Bool?
        /// Its start is not after `now`: attendance may be recorded.
        let begun: Bool

        var hour: Int { Int(jam.prefix(2)) ?? 0 }
    }

    static func booking(_ db: Connection, id: Int, now: String) throws(PostgresError) -> Booking? {
        try db.query(
            """
            SELECT b.id_booking, b.ref, b.nama_customer, coalesce(b.jenis_kelamin, ''), b.telp_customer, b.email_customer,
                   coalesce(b.alamat_customer, ''), b.studio_id, coalesce(s.nama_studio, 'Studio ' || b.studio_id),
                   to_char(b.tanggal_booking, 'YYYY-MM-DD'), to_char(b.jam_booking, 'HH24:MI'),
                   coalesce(b.durasi_jam, 1)::integer,
                   sb_booking_kode(b.kode_cs, b.telp_customer),
                   b.dibatalkan_pada IS NOT NULL, b.hadir, b.tanggal_booking + b.jam_booking <= $2::timestamp
            FROM booking_online b LEFT JOIN studio s ON s.id_studio = b.studio_id
            WHERE b.id_booking = $1::integer
            """, [id, now]
        ).decode((Int, String?, String, String, String, String?, String, Int, String, Day, String, Int, String?, Bool, Bool?, Bool).self)
            .first.map(Booking.init)
    }

    /// The booking a ref names (the desk's new booking, to open its page).
    static func id(_ db: Connection, ref: String) throws(PostgresError) -> Int? {
        try db.query("SELECT id_booking FROM booking_online WHERE ref = $1", [ref]).decode(Int.self).first
    }

    enum Attendance: Sendable, Equatable {
        case recorded
        case notFound
        case cancelled
        /// Its start is still after `now`.
        case notBegun
    }

    /// Records whether the customer came, once the session has begun (`now`, the studios' local
    /// time); a cancelled booking has no attendance. One statement: the row is locked while decided.
    static func recordAttendance(_ db: Connection, id: Int, hadir: Bool, now: String) throws(PostgresError) -> Attendance {
        let rows = try db.query(
            """
            WITH b AS (
              SELECT id_booking, dibatalkan_pada IS NOT NULL AS cancelled, tanggal_booking + jam_booking <= $3::timestamp AS begun
              FROM booking_online WHERE id_booking = $1::integer FOR UPDATE),
            u AS (
              UPDATE booking_online x SET hadir = $2::boolean
              FROM b WHERE x.id_booking = b.id_booking AND NOT b.cancelled AND b.begun
              RETURNING x.id_booking)
            SELECT b.cancelled, b.begun FROM b
            """, [id, hadir, now]
        ).decode((Bool, Bool).self)
        guard let (cancelled, begun) = rows.first else { return .notFound }
        return cancelled ? .cancelled : begun ? .recorded : .notBegun
    }

    /// Of each customer's bookings, how many were cancelled and how many they did not come to;
    /// their bookings counted as `CustomerMasterStore` counts them (the code, and the legacy ones
    /// the phone's owner holds).
    static func tallies(
        _ db: Connection, of customers: [CustomerMasterStore.Customer]
    ) throws(PostgresError) -> [Int: (cancelled: Int, noShow: Int)] {
        guard !customers.isEmpty else { return [:] }
        let rows = try db.query(
            """
            SELECT c.id,
                   count(*) FILTER (WHERE b.dibatalkan_pada IS NOT NULL)::integer,
                   count(*) FILTER (WHERE b.hadir = false AND b.dibatalkan_pada IS NULL)::integer
            FROM unnest($1::integer[], $2::text[], $3::text[]) AS u(id, kode, telp)
            CROSS JOIN LATERAL (SELECT u.id, u.kode, sb_normalize_phone(u.telp) AS phone) AS c
            LEFT JOIN LATERAL (
              SELECT x.dibatalkan_pada, x.hadir FROM booking_online x WHERE x.kode_cs = c.kode
              UNION ALL
              SELECT x.dibatalkan_pada, x.hadir FROM booking_online x
              WHERE c.phone IS NOT NULL AND x.kode_cs IS NULL AND sb_normalize_phone(x.telp_customer) = c.phone
                AND c.id = (SELECT o.customer_id FROM sb_phone_owner(c.phone) AS o)) AS b ON true
            GROUP BY c.id
            """, [customers.map(\.id), customers.map(\.kodeCS), customers.map { $0.telp ?? "" }]
        ).decode((Int, Int, Int).self)
        return Dictionary(rows.map { ($0.0, (cancelled: $0.1, noShow: $0.2)) }) { first, _ in first }
    }
}
