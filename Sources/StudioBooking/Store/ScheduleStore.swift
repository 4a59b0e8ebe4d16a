import Postgres

/// The SQL behind the admin pages of the schedule (docs/behaviour.md: The schedule): studios with
/// their hours (migration 012's columns on `studio`) and closed days (`hari_libur`). Every write
/// here fires `sb_schedule_changed`, which tells every responder to drop its free times.
enum ScheduleStore {
    /// A studio as the admin pages show and edit it.
    struct Studio: Sendable, Equatable {
        let id: Int
        let nama: String
        let aktif: Bool
        let durasiMaks: Int
        /// Per ISO weekday (index 0 = Senin … 6 = Minggu) the opening and closing hour; nil in both: closed.
        let buka, tutup: [Int?]

        /// A row of `studioColumns`, in their order.
        init(_ row: Row) throws(PostgresError) {
            let (id, nama, aktif, durasiMaks, buka, tutup) =
                try row.decode((Int, String, Bool, Int, WeekHours, WeekHours).self)
            self.init(id: id, nama: nama, aktif: aktif, durasiMaks: durasiMaks, buka: buka.hours, tutup: tutup.hours)
        }

        init(id: Int, nama: String, aktif: Bool, durasiMaks: Int, buka: [Int?], tutup: [Int?]) {
            (self.id, self.nama, self.aktif, self.durasiMaks, self.buka, self.tutup) = (id, nama, aktif, durasiMaks, buka, tutup)
        }
    }

    static let studioColumns = "id_studio, nama_studio, aktif, durasi_maks, jam_buka, jam_tutup"

    /// Every studio, active or not, by id.
    static func studios(_ db: Connection) throws(PostgresError) -> [Studio] {
        try db.query("SELECT \(studioColumns) FROM studio ORDER BY id_studio").map(Studio.init)
    }

    static func studio(_ db: Connection, id: Int) throws(PostgresError) -> Studio? {
        try db.query("SELECT \(studioColumns) FROM studio WHERE id_studio = $1::integer", [id]).first.map(Studio.init)
    }

    /// A new studio with the columns' defaults (migration 012): active, open 09:00-21:00 every day,
    /// sessions of up to 4 hours. Answers its id.
    static func addStudio(_ db: Connection, nama: String) throws(PostgresError) -> Int {
        try db.query("INSERT INTO studio (nama_studio) VALUES ($1) RETURNING id_studio", [nama]).decode(Int.self)[0]
    }

    /// Writes a validated studio; false when no studio has its id (any more).
    static func updateStudio(_ db: Connection, id: Int, _ studio: ValidStudio) throws(PostgresError) -> Bool {
        try !db.query(
            """
            UPDATE studio SET nama_studio = $2, aktif = $3::boolean, durasi_maks = $4::smallint,
                              jam_buka = $5::smallint[], jam_tutup = $6::smallint[]
            WHERE id_studio = $1::integer
            RETURNING id_studio
            """, [id, studio.nama, studio.aktif, studio.durasiMaks, studio.buka, studio.tutup]
        ).isEmpty
    }

    // MARK: - Closed days

    struct ClosedDay: Sendable, Equatable {
        let id: Int
        let tanggal: Day
        let studioID: Int?
        /// The studio's name; nil for a day every studio is closed.
        let studio: String?
        let keterangan: String
        /// `YYYY-MM-DD HH:MM` in the studios' time zone.
        let dibuatPada: String
    }

    /// The closed days from `from` on, by date, the days of every studio first. `timeZone`: an IANA
    /// name (BOOKING_TIMEZONE) for when each was made.
    static func closedDays(_ db: Connection, from: Day, timeZone: String) throws(PostgresError) -> [ClosedDay] {
        try db.query(
            """
            SELECT l.id_libur, to_char(l.tanggal, 'YYYY-MM-DD'), l.studio_id,
                   CASE WHEN l.studio_id IS NOT NULL THEN coalesce(s.nama_studio, 'Studio ' || l.studio_id) END,
                   l.keterangan, to_char(l.dibuat_pada AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI')
            FROM hari_libur l LEFT JOIN studio s ON s.id_studio = l.studio_id
            WHERE l.tanggal >= $1::date
            ORDER BY l.tanggal, l.studio_id NULLS FIRST, l.id_libur
            """, [from, timeZone]
        ).decode((Int, Day, Int?, String?, String, String).self).map(ClosedDay.init)
    }

    /// Closes `tanggal` for one studio or (nil) every studio; nil, and nothing written, when that day
    /// is closed for it already (by a day of its own or of every studio).
    static func addClosedDay(
        _ db: Connection, tanggal: Day, studioID: Int?, keterangan: String
    ) throws(PostgresError) -> Int? {
        try db.query(
            """
            INSERT INTO hari_libur (tanggal, studio_id, keterangan)
            SELECT $1::date, $2::integer, $3
            WHERE NOT EXISTS (SELECT 1 FROM hari_libur l
                              WHERE l.tanggal = $1::date AND (l.studio_id IS NULL OR l.studio_id = $2::integer))
            RETURNING id_libur
            """, [tanggal, studioID, keterangan]
        ).decode(Int.self).first
    }

    /// Opens the day again; the day it was, when there was one with this id.
    static func removeClosedDay(_ db: Connection, id: Int) throws(PostgresError) -> ClosedDay? {
        try db.query(
            """
            DELETE FROM hari_libur l WHERE l.id_libur = $1::integer
            RETURNING l.id_libur, to_char(l.tanggal, 'YYYY-MM-DD'), l.studio_id, NULL::text, l.keterangan, ''
            """, [id]
        ).decode((Int, Day, Int?, String?, String, String).self).first.map(ClosedDay.init)
    }

    /// A booking, not cancelled, on a closed day of its studio.
    struct BookingOnClosedDay: Sendable, Equatable {
        let closedDayID: Int
        let studio, jam: String
        let durasi: Int
        let nama, telp: String
        /// Its customer: the booking's own `kode_cs`, or for a legacy booking the customer its phone
        /// belongs to (sb_phone_owner); nil when none.
        let kodeCS: String?
    }

    /// The bookings not cancelled that fall on the closed days from `from` on, by day, studio and
    /// time. Per closed day and studio, one probe of each slot index (migrations 004 and 012), as
    /// sb_busy_hours reads them: no index leads with the date.
    static func bookingsOnClosedDays(_ db: Connection, from: Day) throws(PostgresError) -> [BookingOnClosedDay] {
        try db.query(
            """
            SELECT t.id_libur, t.nama_studio, to_char(b.jam_booking, 'HH24:MI'), coalesce(b.durasi_jam, 1)::integer,
                   b.nama_customer, b.telp_customer,
                   coalesce(b.kode_cs, (SELECT c.kode_cs FROM customer c
                                        WHERE c.id_customer = (SELECT o.customer_id
                                                               FROM sb_phone_owner(sb_normalize_phone(b.telp_customer)) AS o)))
            FROM (SELECT l.id_libur, l.tanggal, s.id_studio, s.nama_studio
                  FROM hari_libur l JOIN studio s ON l.studio_id IS NULL OR s.id_studio = l.studio_id
                  WHERE l.tanggal >= $1::date) AS t
            CROSS JOIN LATERAL (
              SELECT b.* FROM booking_online b
              WHERE b.studio_id = t.id_studio AND b.tanggal_booking = t.tanggal AND b.ref IS NOT NULL
                AND b.dibatalkan_pada IS NULL
              UNION ALL
              SELECT b.* FROM booking_online b
              WHERE b.studio_id = t.id_studio AND b.tanggal_booking = t.tanggal AND b.ref IS NULL
                AND b.dibatalkan_pada IS NULL) AS b
            ORDER BY t.tanggal, t.id_studio, b.jam_booking, b.id_booking
            """, [from]
        ).decode((Int, String, String, Int, String, String, String?).self).map(BookingOnClosedDay.init)
    }
}

/// Seven hours, one per ISO weekday, as PostgreSQL writes a `smallint[]`: `{9,NULL,9,9,9,9,9}`.
struct WeekHours: PostgresDecodable {
    let hours: [Int?]

    init?(postgresText text: String) {
        // An array with another lower bound is written `[0:6]={…}`: not one this reads.
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return nil }
        var hours: [Int?] = []
        for element in text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false) {
            if element == "NULL" {
                hours.append(nil)
            } else if let hour = Int(element) {
                hours.append(hour)
            } else {
                return nil
            }
        }
        guard hours.count == 7 else { return nil }
        self.hours = hours
    }
}

extension ScheduleStore {
    /// An active studio's hours on one day: open from `opens` to `closes` (hours), or neither
    /// when it is closed that day; `closedDay` the reason when it is a closed day.
    struct DayHours: Sendable, Equatable {
        let studioID: Int
        let name: String
        let opens, closes: Int?
        let closedDay: String?
    }

    /// Every active studio's hours on `day`, as `sb_open_hours` decides them for bookings.
    static func hours(_ db: Connection, on day: Day) throws(PostgresError) -> [DayHours] {
        try db.query(
            """
            SELECT s.id_studio, s.nama_studio, min(o.h), max(o.h) + 1,
                   (SELECT coalesce(nullif(l.keterangan, ''), 'hari libur') FROM hari_libur l
                    WHERE l.tanggal = $1::date AND (l.studio_id IS NULL OR l.studio_id = s.id_studio)
                    ORDER BY l.studio_id NULLS LAST LIMIT 1)
            FROM studio s LEFT JOIN LATERAL sb_open_hours(s.id_studio, $1::date) AS o ON true
            WHERE s.aktif
            GROUP BY s.id_studio, s.nama_studio
            ORDER BY s.id_studio
            """, [day.iso]
        ).decode((Int, String, Int?, Int?, String?).self).map {
            DayHours(studioID: $0, name: $1, opens: $2, closes: $3, closedDay: $4)
        }
    }
}
