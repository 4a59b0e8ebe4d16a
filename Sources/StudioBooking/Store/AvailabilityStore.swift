import Postgres

/// The schedule as the public form reads it.
enum AvailabilityStore {
    /// One studio's day: one round trip, two index scans (sb_busy_hours) and the studio's row.
    static func studioDay(_ db: Connection, studio: Int, day: Day) throws(PostgresError) -> StudioDay {
        let (open, busy) = try db.query(
            """
            SELECT (SELECT coalesce(sum(1 << o.h), 0) FROM sb_open_hours($1::integer, $2::date) AS o)::integer,
                   (SELECT coalesce(sum(1 << t.h), 0) FROM sb_busy_hours($1::integer, $2::date) AS t)::integer
            """, [studio, day]
        ).decode((Int, Int).self)[0]
        return StudioDay(open: UInt32(truncatingIfNeeded: open), busy: UInt32(truncatingIfNeeded: busy))
    }

    /// The day as the booking `ref` would see it were it not there: the change of its time offers
    /// the hours it holds itself (sb_busy_hours with the booking left out). With `id`, that booking
    /// (staff name bookings by id: a legacy one has no ref).
    static func studioDay(
        _ db: Connection, studio: Int, day: Day, except ref: String?, id: Int? = nil
    ) throws(PostgresError) -> StudioDay {
        let (open, busy) = try db.query(
            """
            SELECT (SELECT coalesce(sum(1 << o.h), 0) FROM sb_open_hours($1::integer, $2::date) AS o)::integer,
                   (SELECT coalesce(sum(1 << t.h), 0)
                    FROM sb_busy_hours($1::integer, $2::date,
                                       coalesce($4::integer, (SELECT b.id_booking FROM booking_online b WHERE b.ref = $3))) AS t)::integer
            """, [studio, day, ref, id]
        ).decode((Int, Int).self)[0]
        return StudioDay(open: UInt32(truncatingIfNeeded: open), busy: UInt32(truncatingIfNeeded: busy))
    }
}
