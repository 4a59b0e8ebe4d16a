import Postgres

/// The SQL behind the staff pages: the customer master, a customer's bookings, a day's bookings.
///
/// A customer's bookings are the rows that carry their `kode_cs`, and, for bookings the legacy
/// system made (no `kode_cs`), the rows with their phone, given to the phone's owner (the SQL
/// function `sb_phone_owner`, the first step of the matching of docs/behaviour.md: Matching a booking to a customer).
enum CustomerMasterStore {
    /// Rows per query while exporting: the export is read in keyset pages of this size.
    static let exportPage = 5000
    /// How many of the newest customers a search reads before it turns to the trigram index: a
    /// term that one customer in a hundred matches fills a page among them (measured 2-char
    /// "si" 636 ms through the index, a few ms here, from the stored search texts).
    static let searchWindow = 5000
    /// Bookings shown on a customer's page at most.
    static let historyLimit = 500

    struct Customer: Sendable, Equatable {
        let id: Int
        let kodeCS, nama: String
        let jenisKelamin, telp, email, alamat, studio: String?
        /// `YYYY-MM-DD HH:MM`
        let latestBooking: String?
        let bookings: Int

        static let csvHeader = [
            "kode_cs", "nama_cs", "jenis_kelamin", "telp", "email", "alamat", "studio", "tanggal_booking",
            "jumlah_booking",
        ]
        var csvFields: [String?] {
            [kodeCS, nama, jenisKelamin, telp, email, alamat, studio, latestBooking, String(bookings)]
        }

        /// A row of `customerColumns`, in their order.
        init(_ row: Row) throws(PostgresError) {
            (id, kodeCS, nama, jenisKelamin, telp, email, alamat, studio, latestBooking, bookings) =
                try row.decode((Int, String, String, String?, String?, String?, String?, String?, String?, Int).self)
        }
    }

    struct Booking: Sendable, Equatable {
        let studioID: Int
        let studio, tanggal, jam, nama, telp: String
        let email, kodeCS, ref: String?
        /// `YYYY-MM-DD HH:MM`
        let createdAt: String
        /// Hours; a legacy booking's (NULL) is one.
        let durasi: Int
        /// `dibatalkan_pada` is set: the booking takes no hour.
        let cancelled: Bool
        /// `id_booking`: its staff page, `/staff/bookings/{id}`.
        let id: Int
        /// Whether the customer came; nil: not recorded.
        let hadir: Bool?

        /// A row of `bookingColumns`, in their order.
        init(_ row: Row) throws(PostgresError) {
            (studioID, studio, tanggal, jam, nama, telp, email, kodeCS, ref, createdAt, durasi, cancelled, id, hadir) =
                try row.decode(
                    (Int, String, String, String, String, String, String?, String?, String?, String, Int, Bool, Int, Bool?).self)
        }
    }

    // MARK: - The customer master

    /// The columns every customer query answers with, decoded by `Customer.init(_:)` in this order.
    static let customerColumns = """
        c.id_customer, c.kode_cs, c.nama_cs, c.jenis_kelamin, c.telp, c.email, c.alamat,
        coalesce(s.nama_studio, 'Studio ' || c.jenis_cs),
        to_char(c.tanggal_booking, 'YYYY-MM-DD HH24:MI'),
        (SELECT count(*) FROM booking_online b WHERE b.kode_cs = c.kode_cs)
          + CASE WHEN k.phone IS NOT NULL
                  AND c.id_customer = (SELECT o.customer_id FROM sb_phone_owner(k.phone) AS o)
            THEN (SELECT count(*) FROM booking_online b
                  WHERE b.kode_cs IS NULL AND sb_normalize_phone(b.telp_customer) = k.phone)
            ELSE 0 END
        """
    static let customerFrom = """
        FROM customer c
        \(customerJoins)
        """
    /// What `customerColumns` reads beside the customer row `c`.
    static let customerJoins = """
        CROSS JOIN LATERAL (SELECT sb_normalize_phone(c.telp) AS phone) k
        LEFT JOIN studio s ON s.id_studio = c.jenis_cs
        """
    /// A text search's last word on a customer found through `customer_search` (patterns in $1):
    /// their own row as it is now still matches, and they were neither merged nor erased.
    static let stillMatches = """
        sb_customer_search_text(c.kode_cs, c.nama_cs, c.email, c.telp) LIKE ANY (lower($1)::text[])
        AND c.digabung_ke IS NULL AND c.dihapus_pada IS NULL
        """

    /// Newest first, `limit` of them, after the customer `after` (keyset paging: as fast on the
    /// thousandth page as on the first). Never a merged or an erased customer (migration 016).
    static func customers(
        _ db: Connection, _ search: CustomerSearch, after: Int?, limit: Int
    ) throws(PostgresError) -> [Customer] {
        var rows: [Row]
        if search.text.isEmpty {
            rows = try db.query(
                """
                SELECT \(customerColumns)
                \(customerFrom)
                WHERE c.id_customer < coalesce($1::integer, 2147483647)
                  AND c.digabung_ke IS NULL AND c.dihapus_pada IS NULL
                ORDER BY c.id_customer DESC
                LIMIT $2::integer
                """, [after, limit])
        } else if let exact = search.exact, let found = try exactly(db, exact, after: after, limit: limit) {
            rows = found
        } else {
            // The search texts live in customer_search (migration 011), brought up to date first.
            // First among the newest customers only: a name that many share fills the page there,
            // cheaply and in order, from the stored texts (computing them for the window, 5,000
            // function calls, cost 24 ms a search at a million customers; bench/README.md, session
            // 10). Otherwise through the trigram index, planned for these very patterns (a plan
            // cached for others could read a million rows), sorted afterwards. Either way the
            // customer's own row is tested again: a change committed since is judged as it is now.
            // lower() here as in the index, whatever the database's collation.
            let patterns = search.patterns
            try refreshSearch(db, wait: true)
            rows = try db.query(
                """
                SELECT \(customerColumns)
                FROM (SELECT id_customer, search_text FROM customer_search
                      WHERE id_customer < coalesce($2::integer, 2147483647)
                      ORDER BY id_customer DESC
                      LIMIT \(searchWindow)) AS f
                JOIN customer c ON c.id_customer = f.id_customer
                \(customerJoins)
                WHERE f.search_text LIKE ANY (lower($1)::text[]) AND \(stillMatches)
                ORDER BY c.id_customer DESC
                LIMIT $3::integer
                """, [patterns, after, limit])
            if rows.count < limit {
                rows = try db.queryPlannedForValues(
                    """
                    SELECT \(customerColumns)
                    \(customerFrom)
                    WHERE c.id_customer IN (SELECT f.id_customer FROM customer_search f
                                            WHERE f.search_text LIKE ANY (lower($1)::text[])
                                              AND f.id_customer < coalesce($2::integer, 2147483647))
                      AND \(stillMatches)
                    ORDER BY c.id_customer + 0 DESC
                    LIMIT $3::integer
                    """, [patterns, after, limit])
            }
        }
        return try rows.map(Customer.init)
    }

    /// The customers a whole phone or code names, through the index on the normalized phone or on
    /// the code's number (migration 003), newest first; nil when none has it, so that the search
    /// goes on as for any text (a phone that is part of a longer one, a legacy code of another form).
    /// A page after the last of them is empty, not nil: paging stays within what the first page was.
    static func exactly(
        _ db: Connection, _ exact: CustomerSearch.Exact, after: Int?, limit: Int
    ) throws(PostgresError) -> [Row]? {
        var condition: String
        let value: String
        switch exact {
        case .phone(let phone): (condition, value) = ("sb_normalize_phone(c.telp) = $1", phone)
        case .code(let code): (condition, value) = ("sb_kode_number(c.kode_cs) = sb_kode_number($1) AND c.kode_cs = $1", code)
        }
        // Merged and erased customers are never found (docs/behaviour.md: The customer master by staff).
        condition += " AND c.digabung_ke IS NULL AND c.dihapus_pada IS NULL"
        let rows = try db.query(
            """
            SELECT \(customerColumns)
            \(customerFrom)
            WHERE \(condition) AND c.id_customer < coalesce($2::integer, 2147483647)
            ORDER BY c.id_customer DESC
            LIMIT $3::integer
            """, [value, after, limit])
        if !rows.isEmpty || after == nil { return rows.isEmpty ? nil : rows }
        let any = try db.query("SELECT 1 FROM customer c WHERE \(condition) LIMIT 1", [value])
        return any.isEmpty ? nil : []
    }

    /// Brings the search index (`customer_search`, migration 011) up to date with the customer
    /// changes noted so far, at most `limit` of the notes (all when nil), and answers how many notes
    /// it took in. With `wait` false it answers nil at once when another refresh is running.
    @discardableResult
    static func refreshSearch(_ db: Connection, wait: Bool, limit: Int? = nil) throws(PostgresError) -> Int? {
        try db.query("SELECT sb_customer_search_refresh($1::boolean, $2::integer)", [wait, limit])
            .decode(Int?.self).first ?? nil
    }

    /// The customer with this code; among legacy rows sharing a code, the first.
    static func customer(_ db: Connection, kodeCS: String) throws(PostgresError) -> Customer? {
        // A code of this app's form is found through the index on its number (migration 003), so
        // that no index on the code itself costs every new customer; any other code a legacy
        // system made is looked for row by row.
        let byNumber = kodeCS.wholeMatch(of: /CS-[0-9]{1,9}/) != nil
        return try db.query(
            """
            SELECT \(customerColumns)
            \(customerFrom)
            WHERE c.kode_cs = $1 \(byNumber ? "AND sb_kode_number(c.kode_cs) = sb_kode_number($1)" : "")
            ORDER BY c.id_customer
            LIMIT 1
            """, [kodeCS]
        ).first.map(Customer.init)
    }

    // MARK: - Bookings

    /// The columns every booking query answers with, decoded by `Booking.init(_:)` in this order;
    /// `zone` the parameter holding `BOOKING_TIMEZONE`. `created_at` is a `timestamp` the server
    /// wrote in its own zone (`now()` under its `TimeZone`): read as that, shown in the studios'.
    static func bookingColumns(zone: Int) -> String {
        """
        b.studio_id, coalesce(s.nama_studio, 'Studio ' || b.studio_id),
        to_char(b.tanggal_booking, 'YYYY-MM-DD'), to_char(b.jam_booking, 'HH24:MI'),
        b.nama_customer, b.telp_customer, b.email_customer, b.kode_cs, b.ref,
        to_char((b.created_at AT TIME ZONE current_setting('TimeZone')) AT TIME ZONE $\(zone), 'YYYY-MM-DD HH24:MI'),
        coalesce(b.durasi_jam, 1)::integer, b.dibatalkan_pada IS NOT NULL, b.id_booking, b.hadir
        """
    }

    /// The customer's bookings, newest first.
    static func bookings(_ db: Connection, of customer: Customer, limit: Int, zone: String) throws(PostgresError) -> [Booking] {
        try db.query(
            """
            SELECT \(bookingColumns(zone: 5))
            FROM booking_online b LEFT JOIN studio s ON s.id_studio = b.studio_id
            WHERE b.kode_cs = $1
               OR (b.kode_cs IS NULL AND sb_normalize_phone(b.telp_customer) = sb_normalize_phone($2)
                   AND $3::integer = (SELECT o.customer_id FROM sb_phone_owner(sb_normalize_phone($2)) AS o))
            ORDER BY b.tanggal_booking DESC, b.jam_booking DESC, b.id_booking DESC
            LIMIT $4::integer
            """, [customer.kodeCS, customer.telp, customer.id, limit, zone]
        ).map(Booking.init)
    }

    /// Every booking of one day, legacy ones too, by studio and time.
    static func bookings(_ db: Connection, on day: Day, zone: String) throws(PostgresError) -> [Booking] {
        // No index leads with the date, and one would cost every booking an insert. The two slot
        // indexes of migration 004 lead with the studio: walk the studio ids each holds (one probe
        // a studio) and read that day of each. Every row has a ref or not, so it is in exactly one.
        // Measured at 1.5 million bookings: 1-3 ms, against ~400 ms reading the table.
        try db.query(
            """
            WITH RECURSIVE
              app_studio(id) AS (
                SELECT min(studio_id) FROM booking_online WHERE ref IS NOT NULL
                UNION ALL
                SELECT (SELECT min(b.studio_id) FROM booking_online b WHERE b.ref IS NOT NULL AND b.studio_id > a.id)
                FROM app_studio a WHERE a.id IS NOT NULL),
              legacy_studio(id) AS (
                SELECT min(studio_id) FROM booking_online WHERE ref IS NULL
                UNION ALL
                SELECT (SELECT min(b.studio_id) FROM booking_online b WHERE b.ref IS NULL AND b.studio_id > l.id)
                FROM legacy_studio l WHERE l.id IS NOT NULL),
              day AS (
                SELECT b.* FROM app_studio a
                JOIN booking_online b ON b.studio_id = a.id AND b.tanggal_booking = $1::date AND b.ref IS NOT NULL
                UNION ALL
                SELECT b.* FROM legacy_studio l
                JOIN booking_online b ON b.studio_id = l.id AND b.tanggal_booking = $1::date AND b.ref IS NULL)
            SELECT \(bookingColumns(zone: 2))
            FROM day b LEFT JOIN studio s ON s.id_studio = b.studio_id
            ORDER BY b.studio_id, b.jam_booking, b.id_booking
            """, [day, zone]
        ).map(Booking.init)
    }
}
