import Postgres

/// The three changes, each in one transaction under `lock`'s locks.
extension CustomerChangeStore {
    // MARK: - Edit

    enum EditOutcome: Sendable, Equatable {
        case edited
        /// The customer's fields changed since the form was shown (`version`): their version now.
        case stale(version: String)
        /// Merged or erased since the page was shown: there is nothing to edit.
        case gone
        /// Another customer, neither merged nor erased, holds this phone (`telp`) or e-mail (`email`).
        case taken(field: String, kodeCS: String)
        case busy
    }

    /// `version`: what the form was shown (`Locked.version`), nil when not checked.
    static func edit(
        _ db: Connection, _ customer: Locked, _ valid: ValidCustomer, version: String?, staff: String
    ) throws(PostgresError) -> EditOutcome {
        try changing(db, [customer], phones: [valid.telp], emails: [valid.email], busy: .busy) { db, rows throws(PostgresError) -> EditOutcome in
            let now = rows[0]
            guard now.isActive else { return .gone }
            if let version, version != now.version { return .stale(version: now.version) }
            // Under the matching keys of the new phone and e-mail: no booking makes their holder meanwhile.
            let holder = try db.query(
                """
                SELECT 'telp', c.kode_cs FROM customer c
                WHERE sb_normalize_phone(c.telp) = $1 AND c.id_customer <> $3::integer
                  AND c.digabung_ke IS NULL AND c.dihapus_pada IS NULL
                UNION ALL
                SELECT 'email', c.kode_cs FROM customer c
                WHERE lower(c.email) = $2 AND c.id_customer <> $3::integer
                  AND c.digabung_ke IS NULL AND c.dihapus_pada IS NULL
                LIMIT 1
                """, [valid.telp, valid.email, now.id]
            ).first.map { row throws(PostgresError) in try row.decode((String, String).self) }
            if let (field, kodeCS) = holder { return .taken(field: field, kodeCS: kodeCS) }
            _ = try db.query(
                """
                UPDATE customer SET nama_cs = $2, jenis_kelamin = $3, telp = $4, email = $5, alamat = $6
                WHERE id_customer = $1::integer
                """, [now.id, valid.nama, valid.jenisKelamin, valid.telp, valid.email, valid.alamat])
            try record(db, customer: now.id, staff: staff, [
                ("nama_cs", now.nama, valid.nama), ("jenis_kelamin", now.jenisKelamin, valid.jenisKelamin),
                ("telp", now.telp, valid.telp), ("email", now.email, valid.email), ("alamat", now.alamat, valid.alamat),
            ])
            return .edited
        }
    }

    // MARK: - Merge

    enum MergeRefusal: Sendable, Equatable { case itself, targetUnknown, targetMerged, targetErased }

    enum MergeOutcome: Sendable, Equatable {
        case merged
        case refused(MergeRefusal)
        /// The customer to merge was merged or erased since the page was shown.
        case gone
        case busy
    }

    /// `merged`'s bookings (with the legacy ones it owns by phone) now carry `kept`'s code; `kept`
    /// takes its phone and e-mail where its own are empty, and the later of the two booking dates;
    /// `merged` keeps its row, with `digabung_ke`, and so do the rows merged into it before (one hop
    /// for `sb_match_customer`).
    static func merge(_ db: Connection, _ merged: Locked, into keptCode: String, staff: String) throws(PostgresError) -> MergeOutcome {
        guard let kept = try find(db, kodeCS: keptCode) else { return .refused(.targetUnknown) }
        guard kept.id != merged.id else { return .refused(.itself) }
        return try changing(db, [merged, kept], busy: .busy) { db, rows throws(PostgresError) -> MergeOutcome in
            let (from, into) = (rows[0], rows[1])
            guard from.isActive else { return .gone }
            // A cycle (into was merged into from, or anywhere) is a merged target.
            if into.digabungKe != nil { return .refused(.targetMerged) }
            if into.erased { return .refused(.targetErased) }
            _ = try db.query(
                """
                UPDATE booking_online b SET kode_cs = $2
                WHERE b.kode_cs = $1
                   OR (b.kode_cs IS NULL AND $3::text IS NOT NULL AND sb_normalize_phone(b.telp_customer) = $3
                       AND $4::integer = (SELECT o.customer_id FROM sb_phone_owner($3) AS o))
                """, [from.kodeCS, into.kodeCS, from.phone, from.id])
            let telp = into.phone == nil && from.phone != nil ? from.telp : into.telp
            let email = (into.email ?? "").isEmpty && !(from.email ?? "").isEmpty ? from.email : into.email
            let tanggal = try db.query(
                """
                UPDATE customer k SET telp = $2, email = $3,
                  tanggal_booking = greatest(k.tanggal_booking, (SELECT m.tanggal_booking FROM customer m WHERE m.id_customer = $4::integer))
                WHERE k.id_customer = $1::integer
                RETURNING to_char(k.tanggal_booking, 'YYYY-MM-DD HH24:MI')
                """, [into.id, telp, email, from.id]
            ).decode(String?.self).first ?? nil
            _ = try db.query(
                "UPDATE customer SET digabung_ke = $2 WHERE id_customer = $1::integer OR digabung_ke = $3",
                [from.id, into.kodeCS, from.kodeCS])
            // The search index drops the merged row (sb_customer_search_refresh leaves merged customers
            // out); its trigger notes only changes of the searched fields.
            _ = try db.query("INSERT INTO customer_search_stale VALUES ($1::integer)", [from.id])
            try record(db, customer: into.id, staff: staff, [
                ("telp", into.telp, telp), ("email", into.email, email), ("tanggal_booking", into.tanggalBooking, tanggal),
            ])
            try record(db, customer: from.id, staff: staff, [("digabung_ke", nil, into.kodeCS)])
            return .merged
        }
    }

    // MARK: - Erase

    enum EraseOutcome: Sendable, Equatable {
        case erased
        case alreadyErased
        /// Merged since the page was shown: its data is erased with the customer kept's.
        case merged
        case busy
    }

    /// The person's data, in the customer row, the rows merged into it and every booking of theirs,
    /// as docs/behaviour.md says; their history goes, and so does their row of the search index.
    static func erase(_ db: Connection, _ customer: Locked) throws(PostgresError) -> EraseOutcome {
        try changing(db, [customer], busy: .busy) { db, rows throws(PostgresError) -> EraseOutcome in
            let now = rows[0]
            if now.erased { return .alreadyErased }
            if now.digabungKe != nil { return .merged }
            // The rows merged into it are the same person's; no staff change touches a merged row,
            // and bookings never write one, so their own locks are not needed.
            let people = try db.query(
                """
                SELECT c.id_customer, c.kode_cs, sb_normalize_phone(c.telp) FROM customer c
                WHERE c.id_customer = $1::integer OR c.digabung_ke = $2
                ORDER BY c.id_customer FOR UPDATE
                """, [now.id, now.kodeCS]
            ).map { row throws(PostgresError) in try row.decode((Int, String, String?).self) }
            let ids = people.map(\.0)
            _ = try db.query(
                """
                UPDATE booking_online b
                SET nama_customer = 'Dihapus', telp_customer = '', email_customer = NULL, alamat_customer = NULL
                FROM unnest($1::integer[], $2::text[], $3::text[]) AS p(id, kode, phone)
                WHERE b.kode_cs = p.kode
                   OR (b.kode_cs IS NULL AND p.phone IS NOT NULL AND sb_normalize_phone(b.telp_customer) = p.phone
                       AND p.id = (SELECT o.customer_id FROM sb_phone_owner(p.phone) AS o))
                """, [ids, people.map(\.1), people.map(\.2)])
            _ = try db.query(
                """
                UPDATE customer SET nama_cs = 'Dihapus', jenis_kelamin = NULL, telp = NULL, email = NULL, alamat = NULL,
                  dihapus_pada = now()
                WHERE id_customer = ANY ($1::integer[])
                """, [ids])
            _ = try db.query("DELETE FROM customer_riwayat WHERE id_customer = ANY ($1::integer[])", [ids])
            _ = try db.query("DELETE FROM customer_search WHERE id_customer = ANY ($1::integer[])", [ids])
            return .erased
        }
    }
}

/// A customer's fields as staff edit them, checked by the booking form's rules
/// (`BookingValidator.person`): trimmed, the phone normalized, the e-mail lower-cased, an empty
/// phone or e-mail nil.
struct ValidCustomer: Sendable, Equatable {
    let nama, jenisKelamin: String
    let telp, email: String?
    let alamat: String
}
