import Postgres

/// The SQL behind staff changes to the customer master (docs/behaviour.md: Editing, merging and
/// erasing customers): edit, merge, erase, each one transaction that also writes the history
/// (`customer_riwayat`, migration 016).
///
/// Every change takes its locks in one order: first a staff lock per customer, tried and not
/// awaited (another staff member changing the same customer: `busy`, a 409), then the matching keys
/// of the phones and e-mails involved (`sb_match_keys`, awaited, in ascending order as
/// `sb_book_many` takes them, so a booking with one of them decides before or after the change,
/// never on half of it), then the customer rows, in id order.
enum CustomerChangeStore {
    /// Changes shown on a customer's page, newest first.
    static let historyLimit = 50

    /// A customer as a change reads it.
    struct Locked: Sendable, Equatable {
        let id: Int
        let kodeCS, nama: String
        let jenisKelamin, telp, email, alamat, digabungKe: String?
        let erased: Bool
        /// `YYYY-MM-DD HH:MM`
        let tanggalBooking: String?

        var phone: String? { telp.flatMap(Phone.normalize) }
        var isActive: Bool { digabungKe == nil && !erased }

        static let columns = """
            c.id_customer, c.kode_cs, c.nama_cs, c.jenis_kelamin, c.telp, c.email, c.alamat, c.digabung_ke,
            c.dihapus_pada IS NOT NULL, to_char(c.tanggal_booking, 'YYYY-MM-DD HH24:MI')
            """

        init(_ row: Row) throws(PostgresError) {
            (id, kodeCS, nama, jenisKelamin, telp, email, alamat, digabungKe, erased, tanggalBooking) =
                try row.decode((Int, String, String, String?, String?, String?, String?, String?, Bool, String?).self)
        }
    }

    enum LockFailure: Error {
        /// Another staff member is changing one of these customers right now: nothing was written.
        case busy
        /// A customer's phone or e-mail changed between the read and the lock (a booking's new
        /// e-mail, say): its matching keys are not the ones locked. Read again and start over.
        case moved
    }

    /// The customer with this code, merged and erased ones too; among legacy rows sharing a code,
    /// the first (found as `CustomerMasterStore.customer` finds it).
    static func find(_ db: Connection, kodeCS: String) throws(PostgresError) -> Locked? {
        let byNumber = kodeCS.wholeMatch(of: /CS-[0-9]{1,9}/) != nil
        return try db.query(
            """
            SELECT \(Locked.columns) FROM customer c
            WHERE c.kode_cs = $1 \(byNumber ? "AND sb_kode_number(c.kode_cs) = sb_kode_number($1)" : "")
            ORDER BY c.id_customer LIMIT 1
            """, [kodeCS]
        ).first.map(Locked.init)
    }

    /// Inside a transaction: takes the locks of a change of `customers` (as read before), plus the
    /// matching keys of `phones` and `emails` it will write, and answers the rows as locked, in the
    /// order of `customers`.
    static func lock(
        _ db: Connection, _ customers: [Locked], phones: [String?] = [], emails: [String?] = []
    ) throws(PostgresError) -> Result<[Locked], LockFailure> {
        // A row lock held by a program that never lets go must not hold a staff page forever.
        try db.execute("SET LOCAL lock_timeout = '5s'")
        let ids = customers.map(\.id).sorted()
        let free = try db.query(
            """
            SELECT bool_and(pg_try_advisory_xact_lock(hashtextextended('sb:customer-change:' || i.id, 0)))
            FROM (SELECT unnest($1::integer[]) AS id ORDER BY 1) AS i
            """, [ids]
        ).decode(Bool.self).first
        guard free == true else { return .failure(.busy) }
        _ = try db.query(
            """
            SELECT pg_advisory_xact_lock(k.k)
            FROM (SELECT DISTINCT hashtextextended(m.key, 0) AS k
                  FROM unnest($1::text[], $2::text[]) AS e(telp, email), sb_match_keys(e.telp, e.email) AS m) AS k
            ORDER BY k.k
            """,
            [customers.map(\.phone) + phones + Array(repeating: nil, count: emails.count),
             customers.map(\.email) + Array(repeating: nil, count: phones.count) + emails])
        let locked = try db.query(
            "SELECT \(Locked.columns) FROM customer c WHERE c.id_customer = ANY ($1::integer[]) ORDER BY c.id_customer FOR UPDATE",
            [ids]
        ).map(Locked.init)
        // Keyed by what was read before the locks: a change committed in between may have moved the
        // customer to a phone or e-mail not locked here.
        for customer in customers {
            guard let now = locked.first(where: { $0.id == customer.id }), now.phone == customer.phone,
                now.email?.lowercased() == customer.email?.lowercased()
            else { return .failure(.moved) }
        }
        return .success(customers.map { customer in locked.first { $0.id == customer.id }! })
    }

    /// Runs `change` in a transaction under `lock`'s locks; `busy` when another staff member holds
    /// them. A customer that moved between the read and the lock is read again, and the change starts
    /// over (a few times, then `busy`).
    static func changing<T>(
        _ db: Connection, _ customers: [Locked], phones: [String?] = [], emails: [String?] = [], busy: T,
        _ change: (Connection, [Locked]) throws(PostgresError) -> T
    ) throws(PostgresError) -> T {
        var customers = customers
        for _ in 0..<3 {
            let outcome = try db.transaction { db throws(PostgresError) -> T? in
                switch try lock(db, customers, phones: phones, emails: emails) {
                case .success(let rows): try change(db, rows)
                case .failure(.busy): busy
                case .failure(.moved): nil
                }
            }
            if let outcome { return outcome }
            let fresh = try db.query(
                "SELECT \(Locked.columns) FROM customer c WHERE c.id_customer = ANY ($1::integer[])", [customers.map(\.id)]
            ).map(Locked.init)
            let found = customers.compactMap { customer in fresh.first { $0.id == customer.id } }
            // Deleted meanwhile (by another program): nothing to change.
            guard found.count == customers.count else { return busy }
            customers = found
        }
        return busy
    }

    /// A lock not had in time (`lock_timeout`), or a deadlock with a booking or a cancellation that
    /// PostgreSQL broke by ending this change: the staff member is told to try again.
    static func isBusy(_ error: PostgresError) -> Bool {
        error.code == .lockNotAvailable || error.code == .deadlockDetected
    }

    // MARK: - History

    /// Writes a row of history per field whose value differs, by the staff user (an empty text and
    /// NULL, both "nothing" on the page, are no change).
    static func record(
        _ db: Connection, customer: Int, staff: String, _ changes: [(kolom: String, lama: String?, baru: String?)]
    ) throws(PostgresError) {
        _ = try db.query(
            """
            INSERT INTO customer_riwayat (id_customer, kolom, lama, baru, oleh_staf)
            SELECT $1::integer, f.kolom, f.lama, f.baru, $2
            FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS f(kolom, lama, baru, i)
            WHERE coalesce(f.lama, '') IS DISTINCT FROM coalesce(f.baru, '')
            ORDER BY f.i
            """, [customer, staff, changes.map(\.kolom), changes.map(\.lama), changes.map(\.baru)])
    }

    struct Change: Sendable, Equatable {
        let kolom: String
        let lama, baru: String?
        /// `YYYY-MM-DD HH:MM`
        let pada: String
        let olehRef, olehStaf: String?

        init(_ row: Row) throws(PostgresError) {
            (kolom, lama, baru, pada, olehRef, olehStaf) = try row.decode((String, String?, String?, String, String?, String?).self)
        }
    }

    /// The customer's newest changes, at most `limit`, and how many there are in all; when each was
    /// made in `zone` (`BOOKING_TIMEZONE`).
    static func history(
        _ db: Connection, customer: Int, limit: Int?, zone: String
    ) throws(PostgresError) -> (changes: [Change], total: Int) {
        let changes = try db.query(
            """
            SELECT h.kolom, h.lama, h.baru, to_char(h.pada AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), h.oleh_ref, h.oleh_staf
            FROM customer_riwayat h WHERE h.id_customer = $1::integer
            ORDER BY h.id_riwayat DESC LIMIT $2::integer
            """, [customer, limit, zone]
        ).map(Change.init)
        let total = changes.count < (limit ?? Int.max)
            ? changes.count
            : try db.query("SELECT count(*) FROM customer_riwayat WHERE id_customer = $1::integer", [customer]).decode(Int.self)[0]
        return (changes, total)
    }
}

extension CustomerChangeStore {
    /// Everything held about the person (UU 27/2022, the right of access) as one JSON document: the
    /// customer's fields, the codes of the rows merged into it, every booking of theirs (the
    /// staff pages' rule: their code, or a legacy booking they own by phone) and their history.
    static func personalData(_ db: Connection, _ customer: Locked) throws(PostgresError) -> String {
        try db.query(
            """
            SELECT json_build_object(
              'customer', (SELECT json_build_object(
                  'kode_cs', c.kode_cs, 'nama_cs', c.nama_cs, 'jenis_kelamin', c.jenis_kelamin, 'telp', c.telp,
                  'email', c.email, 'alamat', c.alamat, 'jenis_cs', c.jenis_cs,
                  'studio', (SELECT s.nama_studio FROM studio s WHERE s.id_studio = c.jenis_cs),
                  'tanggal_booking', to_char(c.tanggal_booking, 'YYYY-MM-DD"T"HH24:MI'),
                  'dihapus_pada', to_char(c.dihapus_pada, 'YYYY-MM-DD"T"HH24:MI:SS'),
                  'digabung_dari', coalesce((SELECT json_agg(m.kode_cs ORDER BY m.id_customer) FROM customer m
                                             WHERE m.digabung_ke = c.kode_cs), '[]'::json))
                FROM customer c WHERE c.id_customer = $1::integer),
              'bookings', coalesce((SELECT json_agg(json_build_object(
                  'ref', b.ref, 'studio_id', b.studio_id,
                  'studio', (SELECT s.nama_studio FROM studio s WHERE s.id_studio = b.studio_id),
                  'tanggal_booking', to_char(b.tanggal_booking, 'YYYY-MM-DD'), 'jam_booking', to_char(b.jam_booking, 'HH24:MI'),
                  'durasi_jam', coalesce(b.durasi_jam, 1), 'nama_customer', b.nama_customer,
                  'jenis_kelamin', b.jenis_kelamin, 'telp_customer', b.telp_customer, 'email_customer', b.email_customer,
                  'alamat_customer', b.alamat_customer, 'kode_cs', b.kode_cs,
                  'dibuat', to_char(b.created_at, 'YYYY-MM-DD"T"HH24:MI:SS'),
                  'dibatalkan_pada', to_char(b.dibatalkan_pada, 'YYYY-MM-DD"T"HH24:MI:SS'))
                  ORDER BY b.tanggal_booking DESC, b.jam_booking DESC, b.id_booking DESC)
                FROM booking_online b
                WHERE b.kode_cs = $2
                   OR (b.kode_cs IS NULL AND $3::text IS NOT NULL AND sb_normalize_phone(b.telp_customer) = $3
                       AND $1::integer = (SELECT o.customer_id FROM sb_phone_owner($3) AS o))), '[]'::json),
              'riwayat', coalesce((SELECT json_agg(json_build_object(
                  'kolom', h.kolom, 'lama', h.lama, 'baru', h.baru, 'pada', to_char(h.pada, 'YYYY-MM-DD"T"HH24:MI:SS'),
                  'oleh_booking', h.oleh_ref, 'oleh_staf', h.oleh_staf) ORDER BY h.id_riwayat DESC)
                FROM customer_riwayat h WHERE h.id_customer = $1::integer), '[]'::json)
            )::text
            """, [customer.id, customer.kodeCS, customer.phone]
        ).decode(String.self)[0]
    }
}
