import Foundation
import Postgres
import Testing
import TestSupport
@testable import StudioBooking

/// A customer's cancel and move (issue 18) as PostgreSQL decides them: `sb_cancel_booking` and
/// `sb_reschedule_booking`, each one transaction, the cutoff measured from the `now` given.
@Suite(.needs(.database))
struct SelfServiceTests {
    typealias Item = BatchBookingTests

    /// Long before any booking: every cutoff is far ahead.
    static let longAgo = "2000-01-01 00:00:00"

    static func book(_ database: TestDatabase, _ item: BookingItem) throws {
        let outcome = try ScheduleTests.outcome(database, item)
        guard case .booked = outcome else { throw TestSetupError("\(item.ref) was not booked: \(outcome)") }
    }

    static func cancel(_ db: Connection, _ ref: String, now: String = longAgo, hours: Int = 24) throws -> SelfServiceStore.Outcome {
        try SelfServiceStore.cancel(db, ref: ref, now: now, cutoffHours: hours).outcome
    }

    static func move(
        _ db: Connection, _ ref: String, studio: Int = 1, day: Int = 0, _ jam: Int, hours: Int,
        now: String = longAgo, cutoff: Int = 24
    ) throws -> SelfServiceStore.Outcome {
        let choice = BookingController.ScheduleChoice(
            studio: BookingStore.Studio(id: studio, name: "Studio \(studio)"), day: Item.tomorrow.adding(days: day),
            durasi: hours)
        return try SelfServiceStore.reschedule(db, ref: ref, to: choice, hour: jam, now: now, cutoffHours: cutoff).outcome
    }

    /// `ref`'s studio, day, start, length, version, and whether it is cancelled.
    static func row(_ database: TestDatabase, _ ref: String) throws -> [String?] {
        try database.connect().query(
            """
            SELECT id_booking::text, studio_id::text, tanggal_booking::text, to_char(jam_booking, 'HH24:MI'),
                   durasi_jam::text, jadwal_versi::text, (dibatalkan_pada IS NOT NULL)::text
            FROM booking_online WHERE ref = $1
            """, [ref]
        ).first?.columns ?? []
    }

    /// The local time `hours` before `ref` starts, as the cutoff's `now`.
    static func before(_ database: TestDatabase, _ ref: String, hours: Int, seconds: Int = 0) throws -> String {
        try database.scalar(
            """
            SELECT to_char(tanggal_booking + jam_booking - make_interval(hours => $2::integer, secs => $3::integer),
                           'YYYY-MM-DD HH24:MI:SS')
            FROM booking_online WHERE ref = $1
            """, [ref, hours, seconds])!
    }

    @Test func aCancelIsDoneOnceAndOnlyBeforeTheCutoff() throws {
        let database = try ScheduleTests.database()
        let db = try database.connect()
        try Self.book(database, Item.item("c1", "Cutoff", telp: "0851 0000 0001", day: 3, jam: "10:00", durasi: 2))
        // Exactly 24 hours before is too late: the start must be more than that away.
        #expect(try Self.cancel(db, "c1", now: Self.before(database, "c1", hours: 24)) == .tooLate)
        #expect(try Self.row(database, "c1")[5...] == ["0", "false"])
        #expect(try Self.cancel(db, "c1", now: Self.before(database, "c1", hours: 3), hours: 3) == .tooLate)
        #expect(try Self.cancel(db, "c1", now: Self.before(database, "c1", hours: 24, seconds: 1))
            == .done(namaCS: "Cutoff", telp: "085100000001"))
        #expect(try Self.row(database, "c1")[5...] == ["1", "true"])
        // Again: nothing changes, not even the version.
        #expect(try Self.cancel(db, "c1") == .unchanged)
        #expect(try Self.row(database, "c1")[5...] == ["1", "true"])
        #expect(try Self.cancel(db, "no-such-ref") == .notFound)
        #expect(try database.count("booking_online") == 1, "the row stays")
    }

    /// A double press, from two connections at once: one cancellation, one version more.
    @Test func twoCancelsAtOnceCancelOnce() throws {
        let database = try ScheduleTests.database()
        for round in 0..<10 {
            try Self.book(database, Item.item("d\(round)", "Dua Kali", telp: "0851 0000 0002", day: round, jam: "10:00"))
            let outcomes = concurrently(2) { _ in Result { try Self.cancel(try database.connect(), "d\(round)") } }
            let done = outcomes.filter { if case .success(.done) = $0 { true } else { false } }
            #expect(done.count == 1, "\(outcomes)")
            #expect(outcomes.contains { if case .success(.unchanged) = $0 { true } else { false } }, "\(outcomes)")
            #expect(try Self.row(database, "d\(round)")[5...] == ["1", "true"])
        }
    }

    /// A cancelled booking frees its hours and its place under the per-phone limit (2 here) at once.
    @Test func aCancelledBookingFreesItsTimeAndItsPlace() throws {
        let database = try ScheduleTests.database()
        let phone = "0851 0000 0003"
        try Self.book(database, Item.item("p1", "Batas", telp: phone, day: 1, jam: "10:00", durasi: 2))
        try Self.book(database, Item.item("p2", "Batas", telp: phone, day: 2))
        #expect(try ScheduleTests.outcome(database, Item.item("p3", "Batas", telp: phone, day: 3)) == .tooManyActive)
        #expect(try ScheduleTests.outcome(database, Item.item("o1", "Lain", telp: "0851 0000 0004", day: 1, jam: "11:00"))
            == .slotTaken)
        #expect(try Self.cancel(try database.connect(), "p1") == .done(namaCS: "Batas", telp: "085100000003"))
        #expect(ScheduleTests.booked(try ScheduleTests.outcome(database, Item.item("p3", "Batas", telp: phone, day: 3))))
        #expect(ScheduleTests.booked(try ScheduleTests.outcome(
            database, Item.item("o1", "Lain", telp: "0851 0000 0004", day: 1, jam: "11:00"))))
    }

    /// A move keeps the row and its ref, may overlap only the booking itself, and is held to the
    /// rules of a new booking: hours, closed days, the longest session, other bookings (legacy ones too).
    @Test func aMoveKeepsItsRowAndOverlapsOnlyItself() throws {
        let database = try ScheduleTests.database()
        let db = try database.connect()
        try Self.book(database, Item.item("m1", "Pindah", telp: "0851 0000 0005", jam: "12:00", durasi: 2))  // 12-14
        try Self.book(database, Item.item("m2", "Tetangga", telp: "0851 0000 0006", jam: "15:00"))            // 15-16
        try db.query(
            "INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking) VALUES ('Lama', '0811', 1, $1::date, '17:00')",
            [Item.tomorrow])
        let id = try Self.row(database, "m1")[0]

        #expect(try Self.move(db, "m1", 13, hours: 2) == .done(namaCS: "Pindah", telp: "085100000005"))  // 13-15
        #expect(try Self.row(database, "m1") == [id, "1", Item.tomorrow.iso, "13:00", "2", "1", "false"])
        #expect(try Self.move(db, "m1", 14, hours: 2) == .slotTaken)      // 14-16: m2
        #expect(try Self.move(db, "m1", 16, hours: 2) == .slotTaken)      // 16-18: the legacy one
        #expect(try Self.move(db, "m1", 20, hours: 2) == .closed)         // past 21:00
        #expect(try Self.move(db, "m1", 9, hours: 5) == .closed)          // longer than durasi_maks 4
        #expect(try Self.move(db, "m1", 13, hours: 2) == .unchanged)
        #expect(try Self.row(database, "m1") == [id, "1", Item.tomorrow.iso, "13:00", "2", "1", "false"])
        try db.query("INSERT INTO hari_libur (tanggal, studio_id) VALUES ($1::date, 2)", [Item.tomorrow.adding(days: 1)])
        #expect(try Self.move(db, "m1", studio: 2, day: 1, 10, hours: 1) == .closed)
        #expect(try Self.move(db, "m1", studio: 2, day: 2, 10, hours: 3) == .done(namaCS: "Pindah", telp: "085100000005"))
        #expect(try Self.row(database, "m1") == [id, "2", Item.tomorrow.adding(days: 2).iso, "10:00", "3", "2", "false"])
        // The studio and day it had, for the responder's cache.
        let cancelled = try SelfServiceStore.cancel(db, ref: "m1", now: Self.longAgo, cutoffHours: 24)
        #expect(cancelled == .init(outcome: .done(namaCS: "Pindah", telp: "085100000005"), studio: 2, day: Item.tomorrow.adding(days: 2)))
        // Its old hours are free again.
        #expect(ScheduleTests.booked(try ScheduleTests.outcome(
            database, Item.item("m3", "Baru", telp: "0851 0000 0007", jam: "13:00", durasi: 2))))
        #expect(try database.count("booking_online") == 4)
        #expect(try SelfServiceStore.cancel(db, ref: "gone", now: Self.longAgo, cutoffHours: 24) == .init(outcome: .notFound, studio: nil, day: nil))
    }

    @Test func aMoveNeedsBothStartsAfterTheCutoffAndABookingNotCancelled() throws {
        let database = try ScheduleTests.database()
        let db = try database.connect()
        try Self.book(database, Item.item("k1", "Batas Waktu", telp: "0851 0000 0008", day: 3, jam: "10:00"))
        let now = try Self.before(database, "k1", hours: 30)  // the start is 30 hours away
        // The new start 29 hours away: too soon with a cutoff of 29 hours, in time with 28.
        #expect(try Self.move(db, "k1", day: 3, 9, hours: 1, now: now, cutoff: 29) == .tooSoon)
        #expect(try Self.move(db, "k1", day: 3, 9, hours: 1, now: now, cutoff: 28) == .done(namaCS: "Batas Waktu", telp: "085100000008"))
        // Now it starts 29 hours away: with a cutoff of 29 it can no longer move, wherever to.
        #expect(try Self.move(db, "k1", day: 5, 10, hours: 1, now: now, cutoff: 29) == .tooLate)
        #expect(try Self.cancel(db, "k1") == .done(namaCS: "Batas Waktu", telp: "085100000008"))
        #expect(try Self.move(db, "k1", day: 3, 10, hours: 1) == .cancelled)
        #expect(try Self.move(db, "nope", day: 3, 10, hours: 1) == .notFound)
        #expect(try Self.row(database, "k1")[2...] == [Item.tomorrow.adding(days: 3).iso, "09:00", "1", "2", "true"])
    }

    /// The customer's tanggal_booking: the start of their latest booking not cancelled (a legacy one
    /// by their phone too), and as it was when none is left.
    @Test func theCustomersDateFollowsTheirLatestStandingBooking() throws {
        let database = try ScheduleTests.database()
        let db = try database.connect()
        let phone = "0851 0000 0009"
        func tanggal() throws -> String? {
            try database.scalar("SELECT to_char(tanggal_booking, 'YYYY-MM-DD HH24:MI') FROM customer WHERE telp = '085100000009'")
        }
        func start(_ day: Int, _ jam: String) -> String { "\(Item.tomorrow.adding(days: day).iso) \(jam)" }
        try Self.book(database, Item.item("t1", "Tanggal", telp: phone, day: 10, jam: "10:00"))
        try Self.book(database, Item.item("t2", "Tanggal", telp: phone, day: 5, jam: "12:00"))
        #expect(try tanggal() == start(5, "12:00"), "a booking sets it, whatever its date")
        try db.query(
            "INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking) VALUES ('Tanggal', '+62 851-0000-0009', 2, $1::date, '09:00')",
            [Item.tomorrow.adding(days: 7)])
        #expect(try Self.cancel(db, "t2") == .done(namaCS: "Tanggal", telp: "085100000009"))
        #expect(try tanggal() == start(10, "10:00"))
        #expect(try Self.move(db, "t1", day: 2, 11, hours: 1) == .done(namaCS: "Tanggal", telp: "085100000009"))
        #expect(try tanggal() == start(7, "09:00"), "the legacy booking by the customer's phone")
        try db.execute("DELETE FROM booking_online WHERE ref IS NULL")
        #expect(try Self.move(db, "t1", day: 3, 11, hours: 1) == .done(namaCS: "Tanggal", telp: "085100000009"))
        #expect(try tanggal() == start(3, "11:00"))
        #expect(try Self.cancel(db, "t1") == .done(namaCS: "Tanggal", telp: "085100000009"))
        #expect(try tanggal() == start(3, "11:00"), "none left: as it was")
    }

    /// A move and a new booking for the same hours, from two connections at once as two responders
    /// would send them: exactly one gets them, and no two bookings overlap.
    @Test func aMoveRacingANewBookingForTheSameTimeOneWins() throws {
        let database = try ScheduleTests.database()
        let rounds = 15
        for round in 0..<rounds {
            try Self.book(database, Item.item("r\(round)", "Balapan", telp: "0852 0000 \(1000 + round)", day: round, jam: "09:00"))
        }
        let results = concurrently(2) { side -> [String] in
            let db = try! database.connect()
            let sender = try! Item.sender(database)
            return (0..<rounds).map { round in
                if side == 0 {
                    let outcome = try? Self.move(db, "r\(round)", day: round, 12, hours: 2)  // 12-14
                    if case .done = outcome { return "won" }
                    return outcome == .slotTaken ? "lost" : "\(String(describing: outcome))"
                }
                let item = ScheduleTests.session("n\(round)", "13:00", hours: 1, day: round)  // 13-14
                switch sender.send([item])[0] {
                case .success(.booked): return "won"
                case .success(.slotTaken): return "lost"
                case let other: return "\(other)"
                }
            }
        }
        for round in 0..<rounds {
            #expect([results[0][round], results[1][round]].sorted() == ["lost", "won"], "day \(round): \(results[0][round]), \(results[1][round])")
        }
        #expect(try database.scalar(
            """
            SELECT count(*) FROM booking_online a JOIN booking_online b
              ON a.id_booking < b.id_booking AND a.studio_id = b.studio_id AND a.tanggal_booking = b.tanggal_booking
             AND a.dibatalkan_pada IS NULL AND b.dibatalkan_pada IS NULL
             AND a.jam_booking < b.jam_booking + make_interval(hours => b.durasi_jam::integer)
             AND b.jam_booking < a.jam_booking + make_interval(hours => a.durasi_jam::integer)
            """) == "0")
    }
}
