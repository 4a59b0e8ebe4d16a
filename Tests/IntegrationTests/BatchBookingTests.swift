import Foundation
import Postgres
import Testing
import TestSupport
@testable import StudioBooking

/// Bookings sent together (`sb_book_many` through `BookingSender`) against a real PostgreSQL: a
/// batch must come to exactly what the same bookings sent one at a time come to.
@Suite(.enabled(if: TestEnvironment.hasDatabase, "needs TEST_ADMIN_URL: run through `make test`"))
struct BatchBookingTests {
    static let calendar = BookingCalendar(timeZone: TimeZone(identifier: "Asia/Jakarta")!)
    static let tomorrow = calendar.localNow().day.adding(days: 1)

    static func item(
        _ ref: String, _ nama: String, telp telpEntered: String, email: String? = nil, studio: Int = 1,
        day: Int = 0, jam: String = "10:00", gender: String = "Perempuan"
    ) -> BookingItem {
        let booking = ValidBooking(
            nama: nama, jenisKelamin: gender, telpEntered: telpEntered, telp: Phone.normalize(telpEntered)!,
            email: email, alamat: "Jl. \(nama)", studioID: studio, tanggal: tomorrow.adding(days: day), jam: jam)
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

    static func sender(_ database: TestDatabase) throws -> BookingSender {
        let log = try EventLog(path: NSTemporaryDirectory() + "batch-\(UUID().uuidString).log")
        return BookingSender(database: Database(url: database.url), calendar: calendar, maxActive: 2, log: log)
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
        let outcomes = try Self.sender(together).send(Self.tangled).map { try $0.get() }

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
              ARRAY[$1,$1,$1]::date[], ARRAY['10:00','11:00','10:00']::time[], $2::date, 5)
            """, [Self.tomorrow.iso, Self.calendar.localNow().day.iso])
        #expect(rows.map(\.columns) == [["booked", "CS-000010"], ["deferred", nil], ["deferred", nil]])
        #expect(try database.count("booking_online") == 1)
    }
}
