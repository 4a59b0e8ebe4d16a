import Foundation
import Postgres
import Testing
import TestSupport
@testable import StudioBooking

/// Bookings sent together (`sb_book_many` through `BookingSender`) against a real PostgreSQL: a
/// batch must come to exactly what the same bookings sent one at a time come to.
@Suite(.needs(.database))
struct BatchBookingTests {
    static let calendar = BookingCalendar(timeZone: TimeZone(identifier: "Asia/Jakarta")!)
    static let tomorrow = calendar.localNow().day.adding(days: 1)

    static func item(
        _ ref: String, _ nama: String, telp telpEntered: String, email: String? = nil, studio: Int = 1,
        day: Int = 0, jam: String = "10:00", durasi: Int = 1, gender: String = "Perempuan"
    ) -> BookingItem {
        let booking = ValidBooking(
            nama: nama, jenisKelamin: gender, telpEntered: telpEntered, telp: Phone.normalize(telpEntered)!,
            email: email, alamat: "Jl. \(nama)", studioID: studio, tanggal: tomorrow.adding(days: day), jam: jam,
            durasi: durasi)
        return (booking, ref)
    }

    /// A database with two studios and the customers a legacy system left: one with a phone, one
    /// without (matched by name), one with only an email.
    static func database() throws -> TestDatabase {
        let database = try TestDatabase.create()
        try database.connect().execute(
            """
            INSERT INTO studio (nama_studio) VALUES ('Studio 1'), ('Studio 2');
            INSERT INTO customer (kode_cs, nama_cs, jenis_kelamin, telp, alamat, jenis_cs, email) VALUES
              ('CS-000007', 'Lama Bertelepon', 'Perempuan', '0812-1111-1111', 'Jl. Lama', 1, NULL),
              ('CS-000008', 'Tanpa Telepon', 'Laki-laki', '', 'Jl. Sepi', 1, NULL),
              ('CS-000009', 'Hanya Email', 'Laki-laki', NULL, 'Jl. Surat', 2, 'surat@contoh.com');
            UPDATE kode_cs_counter SET last_number = 9;
            """)
        return database
    }

    static func sender(
        _ database: TestDatabase, log path: String = NSTemporaryDirectory() + "batch-\(UUID().uuidString).log"
    ) throws -> BookingSender {
        BookingSender(
            database: BookingSender.database(url: database.url), calendar: calendar, maxActive: 2,
            log: try EventLog(path: path))
    }

    static func state(_ database: TestDatabase) throws -> [[String?]] {
        try database.rows(
            """
            SELECT kode_cs, nama_cs, jenis_kelamin, telp, alamat, jenis_cs::text, tanggal_booking::text, email
            FROM customer ORDER BY kode_cs
            """)
            + database.rows(
                """
                SELECT ref, nama_customer, telp_customer, email_customer, studio_id::text, tanggal_booking::text,
                       jam_booking::text, kode_cs
                FROM booking_online ORDER BY ref
                """)
            + database.rows("SELECT last_number::text FROM kode_cs_counter")
    }

    /// Bookings that share phones (typed differently), emails, slots and customers with each other and
    /// with the legacy rows, and one over the per-phone limit (2).
    static let tangled: [BookingItem] = [
        item("r01", "Ani", telp: "0813 2222 2222", email: "ani@contoh.com"),           // new
        item("r02", "Ani", telp: "+62 813-2222-2222", jam: "11:00"),                    // same phone as r01
        item("r03", "Budi", telp: "0814 3333 3333", jam: "10:00"),                      // r01's slot: taken
        item("r04", "Cici", telp: "0815 4444 4444", email: "ANI@contoh.com", jam: "12:00"),  // r01's email
        item("r05", "Lama", telp: "62 812 1111 1111", studio: 2),                        // legacy phone, unnormalized
        item("r06", "tanpa  telepon", telp: "0816 5555 5555", day: 1),                  // legacy name, no phone
        item("r07", "Surat", telp: "0817 6666 6666", email: "Surat@Contoh.com", day: 2), // legacy email
        item("r08", "Ani", telp: "0813 2222 2222", jam: "13:00"),                       // third for Ani: over 2
        item("r09", "Dodi", telp: "0818 7777 7777", studio: 2, day: 3),                 // new
    ]

    @Test func aBatchComesToWhatOneAtATimeComesTo() throws {
        let together = try Self.database()
        let logPath = NSTemporaryDirectory() + "batch-\(UUID().uuidString).log"
        let outcomes = try Self.sender(together, log: logPath).send(Self.tangled).map { try $0.get() }
        // Decided as a batch (in rounds), not by falling back to one booking at a time.
        #expect(try String(contentsOfFile: logPath, encoding: .utf8).isEmpty)

        let alone = try Self.database()
        let sender = try Self.sender(alone)
        let outcomesAlone = try Self.tangled.map { item in try sender.send([item])[0].get() }

        #expect(outcomes == outcomesAlone)
        #expect(try Self.state(together) == Self.state(alone))

        func booked(_ index: Int) -> BookingStore.Outcome? {
            if case .booked(let outcome) = outcomes[index] { return outcome }
            return nil
        }
        #expect(booked(0)?.kodeCS == "CS-000010" && booked(0)?.customerCreated == true)
        #expect(booked(1)?.kodeCS == "CS-000010" && booked(1)?.customerCreated == false)
        #expect(outcomes[2] == .slotTaken)
        #expect(booked(3)?.kodeCS == "CS-000010", "matched by email, case-insensitively")
        #expect(booked(4)?.kodeCS == "CS-000007")
        #expect(booked(5)?.kodeCS == "CS-000008" && booked(5)?.telp == "081655555555", "the empty phone filled in")
        #expect(booked(6)?.kodeCS == "CS-000009")
        #expect(outcomes[7] == .tooManyActive)
        #expect(booked(8)?.kodeCS == "CS-000011" && booked(8)?.customerCreated == true)
        #expect(try together.count("customer") == 5)
        #expect(try together.count("booking_online") == 7)
        #expect(try together.scalar("SELECT last_number::text FROM kode_cs_counter") == "11")
    }

    /// One booking the database refuses (here a gender the column's check rejects, which the form
    /// never sends) fails the batch's transaction; the others then go alone and are booked, and
    /// the codes stay gapless.
    @Test func oneFaultyBookingFailsAloneAndTheOthersAreBooked() throws {
        let database = try Self.database()
        let batch = [
            Self.item("f1", "Eka", telp: "0821 1000 0001"),
            Self.item("f2", "Fajar", telp: "0821 1000 0002", jam: "11:00", gender: "X"),
            Self.item("f3", "Gita", telp: "0821 1000 0003", jam: "12:00"),
        ]
        let answers = try Self.sender(database).send(batch)

        guard case .success(.booked(let first)) = answers[0], case .success(.booked(let third)) = answers[2] else {
            Issue.record("the sound bookings were not booked: \(answers)")
            return
        }
        #expect(first.kodeCS == "CS-000010" && third.kodeCS == "CS-000011")
        guard case .failure(let error) = answers[1] else {
            Issue.record("the faulty booking was not refused: \(answers[1])")
            return
        }
        #expect(error.code == .checkViolation)
        #expect(try database.rows("SELECT ref FROM booking_online ORDER BY ref") == [["f1"], ["f3"]])
        #expect(try database.scalar("SELECT last_number::text FROM kode_cs_counter") == "11")
    }

    /// Each round is a transaction of its own: when a later round fails, what earlier rounds saved
    /// keeps its answer. Here the second booking shares the first's phone, so it goes in a second
    /// round, and the database refuses it (a gender the column's check rejects).
    @Test func aFailingLaterRoundLeavesEarlierRoundsBooked() throws {
        let database = try Self.database()
        let answers = try Self.sender(database).send([
            Self.item("g1", "Kiki", telp: "0823 1000 0001"),
            Self.item("g2", "Kiki", telp: "0823 1000 0001", jam: "11:00", gender: "X"),
        ])
        guard case .success(.booked(let first)) = answers[0] else {
            Issue.record("the first booking, saved in round one, was answered \(answers[0])")
            return
        }
        #expect(first.kodeCS == "CS-000010")
        guard case .failure(let error) = answers[1] else {
            Issue.record("the refused booking was answered \(answers[1])")
            return
        }
        #expect(error.code == .checkViolation)
        #expect(try database.rows("SELECT ref FROM booking_online ORDER BY ref") == [["g1"]])
    }

    /// A matched customer that disappears between the decision and the update (an older system
    /// deleting it; here a trigger that skips every customer update) must not leave a booking
    /// without its customer: the batch is undone and reported as a conflict to retry.
    @Test func aMatchedCustomerThatVanishesUndoesTheBatch() throws {
        let database = try Self.database()
        try database.connect().execute(
            """
            CREATE FUNCTION skip_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER skip_update BEFORE UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION skip_update();
            """)
        let answers = try Self.sender(database).send([
            Self.item("v1", "Lama", telp: "0812 1111 1111"),
            Self.item("v2", "Mira", telp: "0824 1000 0002", jam: "11:00"),
        ])
        for answer in answers {
            guard case .failure(let error) = answer else {
                Issue.record("answered \(answer) though the customer update did not happen")
                continue
            }
            #expect(error.code == .serializationFailure)
        }
        #expect(try database.count("booking_online") == 0)
        #expect(try database.scalar("SELECT last_number::text FROM kode_cs_counter") == "9")
    }

    /// The one-booking function the previous version's responders call: a batch of one, with the
    /// refusals as the errors they expect.
    @Test func theOneBookingFunctionOfThePreviousVersionStillBooks() throws {
        let database = try Self.database()
        let db = try database.connect()
        let sql = """
            SELECT r_kode_cs, r_created::text, r_nama_cs, r_telp
            FROM sb_book($1, $2, 'Perempuan', $3, $4, NULL, 'Jl. Lama', 1, $5::date, $6::time, $7::date, 1)
            """
        let tomorrow = Self.tomorrow, today = Self.calendar.localNow().day
        let booked = try db.query(sql, ["w1", "Nina", "0825 1000 0001", "082510000001", tomorrow, "10:00", today])
        #expect(booked.map(\.columns) == [["CS-000010", "true", "Nina", "082510000001"]])
        do {
            try db.query(sql, ["w2", "Oki", "0825 1000 0002", "082510000002", tomorrow, "10:00", today])
            Issue.record("a taken slot was booked")
        } catch {
            #expect(error.code == .uniqueViolation && error.constraint == "booking_online_slot_key")
        }
        do {
            try db.query(sql, ["w3", "Nina", "0825 1000 0001", "082510000001", tomorrow, "11:00", today])
            Issue.record("a second active booking passed a limit of one")
        } catch {
            #expect(error.code == .checkViolation && error.constraint == "booking_active_limit")
        }
    }

    /// A customer row another program keeps locked stalls its own booking only: the round gives up
    /// after the lock timeout, and the other bookings go again alone and are booked.
    @Test func aRowLockedElsewhereFailsOnlyTheBookingThatNeedsIt() throws {
        let database = try Self.database()
        let elsewhere = try database.connect()
        try elsewhere.execute("BEGIN")
        try elsewhere.query("SELECT 1 FROM customer WHERE kode_cs = 'CS-000007' FOR UPDATE")
        let answers = try Self.sender(database).send([
            Self.item("k1", "Lama", telp: "0812 1111 1111"),
            Self.item("k2", "Putri", telp: "0826 1000 0002", jam: "11:00"),
        ])
        try elsewhere.execute("ROLLBACK")
        guard case .failure(let error) = answers[0] else {
            Issue.record("the booking of the locked customer was answered \(answers[0])")
            return
        }
        #expect(error.code == .lockNotAvailable)
        guard case .success(.booked(let other)) = answers[1] else {
            Issue.record("the other booking was answered \(answers[1])")
            return
        }
        #expect(other.kodeCS == "CS-000010")
        #expect(try database.rows("SELECT ref FROM booking_online") == [["k2"]])
    }

    /// The committer's connections plan generically (BookingSender.swift), and the phone key is
    /// inlined into the queries that use it (migration 007): both are what the bench measured.
    @Test func connectionsPlanGenericallyAndThePhoneKeyIsInlined() throws {
        let database = try Self.database()
        let setting = try BookingSender.database(url: database.url).run { db throws(PostgresError) in
            try db.query("SHOW plan_cache_mode").decode(String.self)[0]
        }
        #expect(setting == "force_generic_plan")
        let plan = try database.rows("EXPLAIN (VERBOSE, COSTS OFF) SELECT sb_normalize_phone(telp) FROM customer")
            .compactMap { $0[0] }.joined(separator: "\n")
        #expect(plan.contains("regexp_replace"), "\(plan)")
        #expect(!plan.contains("sb_normalize_phone"), "\(plan)")
    }

    /// An answer the responder cannot read comes after the commit: the batch may be saved, so it is
    /// never sent again (one booking at a time would book twice). Here the function, as another
    /// version might, counts its calls and answers `booked` without the customer's code.
    @Test func anUnreadableAnswerIsNotSentAgain() throws {
        let database = try Self.database()
        try database.connect().execute(
            """
            CREATE TABLE calls (n serial);
            CREATE OR REPLACE FUNCTION sb_book_many(
              p_ref text[], p_nama text[], p_jenis_kelamin text[], p_telp_entered text[], p_telp text[],
              p_email text[], p_alamat text[], p_studio_id integer[], p_tanggal date[], p_jam time[],
              p_durasi smallint[], p_today date, p_max_active integer)
            RETURNS TABLE (r_outcome text, r_kode_cs text, r_created boolean, r_nama_cs text, r_telp text)
            LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO calls DEFAULT VALUES;
              RETURN QUERY SELECT 'booked', NULL::text, NULL::boolean, NULL::text, NULL::text
                           FROM unnest(p_ref);
            END $$;
            """)
        let batch = [
            Self.item("u1", "Hana", telp: "0822 1000 0001"),
            Self.item("u2", "Indra", telp: "0822 1000 0002", jam: "11:00"),
            Self.item("u3", "Joko", telp: "0822 1000 0003", jam: "12:00"),
        ]
        let answers = try Self.sender(database).send(batch)
        for answer in answers {
            guard case .failure(let error) = answer else {
                Issue.record("an unreadable answer was taken as a decision: \(answer)")
                continue
            }
            #expect(error.code == .unexpectedAnswer)
        }
        #expect(try database.count("calls") == 1, "the batch went to the database once")
    }

    /// The batch function itself: a booking that shares a key with an earlier one is left undecided
    /// and untouched, to be sent again.
    @Test func sharedKeysAreDeferredNotDecided() throws {
        let database = try Self.database()
        let rows = try database.connect().query(
            """
            SELECT r_outcome, r_kode_cs FROM sb_book_many(
              ARRAY['d1','d2','d3'], ARRAY['A','B','C'], ARRAY['Perempuan','Perempuan','Perempuan'],
              ARRAY['0831','0832','0833'], ARRAY['083100000001','083100000001','083100000003'],
              ARRAY[NULL,NULL,NULL]::text[], ARRAY['a','b','c'], ARRAY[1,1,1],
              ARRAY[$1,$1,$1]::date[], ARRAY['10:00','11:00','10:00']::time[], ARRAY[1,1,1]::smallint[], $2::date, 5)
            """, [Self.tomorrow, Self.calendar.localNow().day])
        #expect(rows.map(\.columns) == [["booked", "CS-000010"], ["deferred", nil], ["deferred", nil]])
        #expect(try database.count("booking_online") == 1)
    }
}
