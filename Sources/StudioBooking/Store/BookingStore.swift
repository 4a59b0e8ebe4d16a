import Postgres

/// A booking on its way to the database, with the public ref it will have.
typealias BookingItem = (booking: ValidBooking, ref: String)
/// What became of it.
typealias BookingAnswer = Result<BookingStore.Decision, PostgresError>

/// The SQL the public pages run, each statement beside the one function that runs it.
enum BookingStore {
    struct Studio: Sendable, Equatable {
        let id: Int
        let name: String
        /// The longest session it takes, in hours.
        var durasiMaks = 4
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
        let durasi: Int
    }

    /// The studios customers may book (active), or every studio (`activeOnly` false: staff pages).
    static func studios(_ db: Connection, activeOnly: Bool = true) throws(PostgresError) -> [Studio] {
        try db.query(
            "SELECT id_studio, nama_studio, durasi_maks FROM studio WHERE aktif OR NOT $1::boolean ORDER BY id_studio",
            [activeOnly]
        ).decode((Int, String, Int).self).map { Studio(id: $0, name: $1, durasiMaks: $2) }
    }

    /// What the database decided for one booking.
    enum Decision: Sendable, Equatable {
        case booked(Outcome)
        /// An hour of the session is booked already (by this app or the legacy system).
        case slotTaken
        /// The session is not within the studio's opening hours that day, the day is closed, the
        /// studio is not active, or the session is longer than the studio allows.
        case closed
        /// The phone already holds `maxActive` bookings from today on.
        case tooManyActive
    }

    /// The bookings and their customer-master changes in one statement, and so one transaction and
    /// one commit (the function `sb_book_many`, migration 006). Each booking is decided as if it were
    /// alone, or left undecided (`nil`) when it shares a phone, email, slot or customer with an
    /// earlier booking of the batch: nothing was written for it, and it goes again once this batch
    /// has committed. The answers come back in the same order. A taken slot or the per-phone limit
    /// refuses only that booking; an error from the database undoes them all. An answer this cannot
    /// read is `unexpectedAnswer`: by then the batch has been committed.
    static func book(
        _ db: Connection, _ bookings: [BookingItem], today: Day, maxActive: Int
    ) throws(PostgresError) -> [Decision?] {
        try send(db, bookings, today: today, maxActive: maxActive).receive()
    }

    /// `book` in two halves: sends the statement (in pipeline mode, so it may go behind a batch still
    /// in the database) and returns what waits for its answer. Meanwhile the committer wakes the
    /// previous batch's workers, or sends the next batch.
    static func send(
        _ db: Connection, _ bookings: [BookingItem], today: Day, maxActive: Int
    ) throws(PostgresError) -> SentBatch {
        let ticket = try db.sendInPipeline(
            SentBatch.sql,
            [bookings.map(\.ref), bookings.map(\.booking.nama), bookings.map(\.booking.jenisKelamin),
             bookings.map(\.booking.telpEntered), bookings.map(\.booking.telp), bookings.map(\.booking.email),
             bookings.map(\.booking.alamat), bookings.map(\.booking.studioID), bookings.map(\.booking.tanggal),
             bookings.map(\.booking.jam), bookings.map(\.booking.durasi), today, maxActive])
        return SentBatch(connection: db, ticket: ticket, count: bookings.count)
    }

    /// A batch in the database: `receive` waits for its answers.
    struct SentBatch {
        static let sql = """
            SELECT r_outcome, r_kode_cs, r_created, r_nama_cs, r_telp
            FROM sb_book_many($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::integer[], $9::date[], $10::time[], $11::smallint[], $12::date, $13::integer)
            """
        let connection: Connection
        let ticket: Connection.PipelineTicket
        let count: Int

        /// Whether `receive` would return without waiting.
        var isAnswered: Bool { connection.isAnswered(ticket) }

        /// Sleeps until more of the answer has come, or `wakeFD` turns readable (answers whether it did).
        func wait(orReadable wakeFD: Int32) -> Bool { connection.waitForAnswer(ticket, orReadable: wakeFD) }

        func receive() throws(PostgresError) -> [Decision?] {
            let rows = try connection.receive(ticket, sql: Self.sql)
            // The statement has committed by now: whatever cannot be read below is `unexpectedAnswer`.
            guard rows.count == count else {
                throw PostgresError(
                    code: .unexpectedAnswer, message: "sb_book_many answered \(rows.count) rows for \(count) bookings")
            }
            do {
                return try rows.decode((String, String?, Bool?, String?, String?).self).map {
                    outcome, kodeCS, created, namaCS, telp throws(PostgresError) -> Decision? in
                    switch outcome {
                    case "booked":
                        guard let kodeCS, let created, let namaCS else {
                            throw PostgresError(code: .decoding, message: "sb_book_many booked without a customer")
                        }
                        return .booked(Outcome(kodeCS: kodeCS, customerCreated: created, namaCS: namaCS, telp: telp ?? ""))
                    case "slot_taken": return .slotTaken
                    case "closed": return .closed
                    case "too_many_active": return .tooManyActive
                    case "deferred": return nil
                    case let other:
                        throw PostgresError(code: .unexpectedAnswer, message: "sb_book_many answered the outcome \(other)")
                    }
                }
            } catch where error.code != .unexpectedAnswer {
                throw PostgresError(code: .unexpectedAnswer, message: "sb_book_many answered a row this cannot read: \(error.message)")
            }
        }
    }

    static func confirmation(_ db: Connection, ref: String) throws(PostgresError) -> Confirmation? {
        try db.query(
            """
            SELECT b.nama_customer, coalesce(b.jenis_kelamin, ''), b.telp_customer, b.email_customer,
                   coalesce(b.alamat_customer, ''), coalesce(s.nama_studio, 'Studio ' || b.studio_id),
                   to_char(b.tanggal_booking, 'YYYY-MM-DD'), to_char(b.jam_booking, 'HH24:MI'),
                   coalesce(b.kode_cs, ''), coalesce(b.durasi_jam, 1)
            FROM booking_online b LEFT JOIN studio s ON s.id_studio = b.studio_id
            WHERE b.ref = $1
            """, [ref]
        ).decode((String, String, String, String?, String, String, String, String, String, Int).self).first.map(Confirmation.init)
    }

    static func ping(_ db: Connection) throws(PostgresError) {
        try db.query("SELECT 1")
    }

    /// The CSRF key every responder shares (migration 004 makes it once).
    static func csrfSecret(_ db: Connection) throws(PostgresError) -> String {
        guard let secret = try db.query("SELECT value FROM app_secret WHERE name = 'csrf'").decode(String.self).first else {
            throw PostgresError(code: .decoding, message: "no CSRF secret: run `studio-booking migrate`")
        }
        return secret
    }
}
