import Foundation
import Postgres
import Synchronization
import Testing
import TestSupport
@testable import StudioBooking

/// The schedule as PostgreSQL decides it (issue 15): sessions of several hours never overlap a
/// booking that is not cancelled (this app's or a legacy one), lie within the studio's opening hours
/// of the day, not on a closed day, not in an inactive studio, not longer than its durasi_maks.
@Suite(.needs(.database))
struct ScheduleTests {
    typealias Item = BatchBookingTests

    /// Studio 1 open 09-21 every day (the migration's defaults), studio 2 likewise, no bookings.
    static func database() throws -> TestDatabase { try BatchBookingTests.database() }

    /// Books `item` alone and answers what became of it.
    static func outcome(_ database: TestDatabase, _ item: BookingItem) throws -> BookingStore.Decision {
        try Item.sender(database).send([item])[0].get()
    }

    static func booked(_ outcome: BookingStore.Decision) -> Bool {
        if case .booked = outcome { return true }
        return false
    }

    static let phones = Atomic<Int>(0)
    /// A booking of studio 1 tomorrow with a phone of its own (so no customer or limit is shared).
    static func session(_ ref: String, _ jam: String, hours: Int, studio: Int = 1, day: Int = 0) -> BookingItem {
        let phone = phones.add(1, ordering: .relaxed).newValue
        return Item.item(ref, "Orang \(ref)", telp: "0857" + String(format: "%08d", phone), studio: studio, day: day,
                         jam: jam, durasi: hours)
    }

    /// Every way a second session can meet a first one of 12:00-15:00.
    @Test(arguments: [
        ("contained", "13:00", 1, false),
        ("containing", "11:00", 4, false),
        ("same start", "12:00", 1, false),
        ("crossing the start", "10:00", 3, false),
        ("crossing the end", "14:00", 2, false),
        ("touching before", "10:00", 2, true),
        ("touching after", "15:00", 3, true),
        ("apart", "17:00", 1, true),
    ])
    func overlapAgainstAThreeHourSession(_ name: String, _ jam: String, _ hours: Int, _ allowed: Bool) throws {
        let database = try Self.database()
        #expect(Self.booked(try Self.outcome(database, Self.session("a", "12:00", hours: 3))))
        let second = try Self.outcome(database, Self.session("b", jam, hours: hours))
        #expect(allowed ? Self.booked(second) : second == .slotTaken, "\(name): \(second)")
        // The other studio is not affected.
        #expect(Self.booked(try Self.outcome(database, Self.session("c", jam, hours: hours, studio: 2))))
    }

    /// A legacy booking lasts one hour, even two of them in one hour, and one off the hour takes
    /// each hour it touches; a cancelled booking takes none.
    @Test func legacyAndCancelledBookings() throws {
        let database = try Self.database()
        let day = Item.tomorrow.iso
        try database.connect().execute(
            """
            INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking)
              VALUES ('Lama A', '0811', 1, '\(day)', '13:00'), ('Lama B', '0812', 1, '\(day)', '13:00'),
                     ('Lama C', '0813', 1, '\(day)', '16:30');
            INSERT INTO booking_online (ref, nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking,
                                        durasi_jam, dibatalkan_pada)
              VALUES ('batal', 'Batal', '0814', 1, '\(day)', '09:00', 3, now());
            """)
        #expect(try Self.outcome(database, Self.session("l1", "12:00", hours: 2)) == .slotTaken)
        #expect(try Self.outcome(database, Self.session("l2", "13:00", hours: 1)) == .slotTaken)
        #expect(Self.booked(try Self.outcome(database, Self.session("l3", "14:00", hours: 2))))
        #expect(try Self.outcome(database, Self.session("l4", "17:00", hours: 1)) == .slotTaken)  // 16:30-17:30
        #expect(try Self.outcome(database, Self.session("l5", "16:00", hours: 1)) == .slotTaken)
        #expect(Self.booked(try Self.outcome(database, Self.session("l6", "09:00", hours: 3))))  // the cancelled one's time
        #expect(Self.booked(try Self.outcome(database, Self.session("l7", "18:00", hours: 3))))
    }

    /// Opening hours, closed weekdays and closed days, inactive studios and the longest session.
    @Test func theStudiosHours() throws {
        let database = try Self.database()
        let tomorrow = Item.tomorrow
        let weekday = (tomorrow.ordinal + 3) % 7 + 1  // ISO weekday: 1970-01-01 was a Thursday (4)
        let db = try database.connect()
        var buka = Array(repeating: "9", count: 7), tutup = Array(repeating: "21", count: 7)
        (buka[weekday - 1], tutup[weekday - 1]) = ("10", "14")
        try db.query(
            "UPDATE studio SET jam_buka = $1::smallint[], jam_tutup = $2::smallint[], durasi_maks = 3 WHERE id_studio = 1",
            [buka, tutup])
        #expect(try Self.outcome(database, Self.session("h1", "09:00", hours: 1)) == .closed)
        #expect(Self.booked(try Self.outcome(database, Self.session("h2", "10:00", hours: 3))))
        #expect(try Self.outcome(database, Self.session("h3", "13:00", hours: 2)) == .closed)  // past 14:00
        #expect(Self.booked(try Self.outcome(database, Self.session("h4", "13:00", hours: 1))))
        #expect(try Self.outcome(database, Self.session("h5", "09:00", hours: 4, day: 1)) == .closed)  // durasi_maks 3
        #expect(Self.booked(try Self.outcome(database, Self.session("h6", "18:00", hours: 3, day: 1))))

        // A day closed for studio 2 only, then for every studio.
        try db.query("INSERT INTO hari_libur (tanggal, studio_id, keterangan) VALUES ($1::date, 2, 'Renovasi')", [tomorrow.adding(days: 2)])
        #expect(try Self.outcome(database, Self.session("c1", "10:00", hours: 1, studio: 2, day: 2)) == .closed)
        #expect(Self.booked(try Self.outcome(database, Self.session("c2", "10:00", hours: 1, studio: 1, day: 2))))
        try db.query("INSERT INTO hari_libur (tanggal, keterangan) VALUES ($1::date, 'Nyepi')", [tomorrow.adding(days: 3)])
        #expect(try Self.outcome(database, Self.session("c3", "12:00", hours: 1, studio: 1, day: 3)) == .closed)

        // A weekday closed altogether (both hours NULL), and an inactive studio.
        try db.query(
            "UPDATE studio SET jam_buka[$1::integer] = NULL, jam_tutup[$1::integer] = NULL WHERE id_studio = 2", [weekday])
        #expect(try Self.outcome(database, Self.session("w1", "12:00", hours: 1, studio: 2)) == .closed)
        try db.execute("UPDATE studio SET aktif = false WHERE id_studio = 2")
        #expect(try Self.outcome(database, Self.session("w2", "12:00", hours: 1, studio: 2, day: 4)) == .closed)
    }

    /// The free starts the form offers are the ones a booking would be accepted at.
    @Test func theFreeStartsAreWhatABookingWouldGet() throws {
        let database = try Self.database()
        #expect(Self.booked(try Self.outcome(database, Self.session("f1", "12:00", hours: 2))))
        let db = try database.connect()
        let day = try AvailabilityStore.studioDay(db, studio: 1, day: Item.tomorrow)
        #expect(day.freeStarts(hours: 1) == [9, 10, 11, 14, 15, 16, 17, 18, 19, 20])
        #expect(day.freeStarts(hours: 3) == [9, 14, 15, 16, 17, 18])
        #expect(day.freeStarts(hours: 3, from: 15) == [15, 16, 17, 18])
        for start in 8...21 {
            let offered = day.freeStarts(hours: 3).contains(start)
            let outcome = try Self.outcome(database, Self.session("t\(start)", StudioDay.label(start), hours: 3, day: 0))
            // Booking one changes the day: compare only the first that is offered, then stop.
            if offered {
                #expect(Self.booked(outcome), "\(start): offered but \(outcome)")
                break
            }
            #expect(!Self.booked(outcome), "\(start): not offered but booked")
        }
    }

    /// Overlapping sessions of different starts and lengths from two committers at once, as two
    /// responders would send them: exactly one of each overlapping group is booked.
    @Test func simultaneousOverlappingSessionsFromTwoSenders() throws {
        let database = try Self.database()
        let groups = 20
        let outcomes = concurrently(2) { side -> [BookingAnswer] in
            let sender = try! Item.sender(database)
            let items = (0..<groups).map { g in
                side == 0
                    ? Self.session("s\(side)-\(g)", "10:00", hours: 3, day: g)   // 10-13
                    : Self.session("s\(side)-\(g)", "12:00", hours: 2, day: g)   // 12-14
            }
            return items.map { sender.send([$0])[0] }
        }
        for g in 0..<groups {
            let pair = [outcomes[0][g], outcomes[1][g]].map { try? $0.get() }
            #expect(pair.filter { $0.map(Self.booked) == true }.count == 1, "day \(g): \(pair)")
            #expect(pair.contains(.slotTaken), "day \(g): \(pair)")
        }
        #expect(try database.scalar(
            """
            SELECT count(*) FROM booking_online a JOIN booking_online b
              ON a.id_booking < b.id_booking AND a.studio_id = b.studio_id AND a.tanggal_booking = b.tanggal_booking
             AND a.jam_booking < b.jam_booking + make_interval(hours => b.durasi_jam::integer)
             AND b.jam_booking < a.jam_booking + make_interval(hours => a.durasi_jam::integer)
            """) == "0")
    }

    /// The exclusion constraint holds whoever writes: a row written past sb_book_many is refused.
    @Test func theDatabaseRefusesAnOverlapWrittenDirectly() throws {
        let database = try Self.database()
        #expect(Self.booked(try Self.outcome(database, Self.session("d1", "12:00", hours: 3))))
        let db = try database.connect()
        do throws(PostgresError) {
            try db.query(
                """
                INSERT INTO booking_online (ref, nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking, durasi_jam)
                VALUES ('d2', 'Langsung', '0899', 1, $1::date, '14:00', 2)
                """, [Item.tomorrow])
            Issue.record("an overlapping booking was written")
        } catch {
            #expect(error.code == .exclusionViolation && error.constraint == "booking_online_no_overlap")
        }
    }
}

/// The free times cache stays in step with the database through `LISTEN sb_schedule`: a booking
/// by any connection, a studio's hours or a closed day drop the days they change.
@Suite(.needs(.database))
struct ScheduleListenerTests {
    static func waitUntil(_ condition: () -> Bool) -> Bool {
        for _ in 0..<100 {
            if condition() { return true }
            usleep(20_000)
        }
        return false
    }

    /// Two responders: this test's committer is the first's, whose cache drops the day at once and
    /// whose listener tells the second's.
    @Test func aBookingIsAnnouncedToEveryResponder() throws {
        let database = try ScheduleTests.database()
        let (mine, theirs) = (FreeTimesCache(), FreeTimesCache())
        let announcements = ScheduleAnnouncements(cache: mine)
        let listeners = [
            try ScheduleListener(databaseURL: database.url, cache: mine, announcements: announcements),
            try ScheduleListener(databaseURL: database.url, cache: theirs),
        ]
        for listener in listeners { try listener.start() }
        defer { for listener in listeners { listener.stop() } }
        let day = BatchBookingTests.tomorrow
        let key = FreeTimesCache.Key(studio: 1, day: day)
        let db = try database.connect()
        let studioDay = try AvailabilityStore.studioDay(db, studio: 1, day: day)
        for cache in [mine, theirs] {
            #expect(Self.waitUntil {
                cache.store(studioDay, for: key, readAt: cache.lookup(key).generation)
                return cache.lookup(key).day != nil
            })
        }
        // The message senders hear of the batch from the same announcement (sb_pesan_tulis: not from the batch).
        let senders = try database.connect()
        try senders.execute("LISTEN sb_pesan")
        var sender = try BatchBookingTests.sender(database)
        sender.announce = announcements.booked
        let outcome = try sender.send([ScheduleTests.session("a1", "12:00", hours: 2)])[0].get()
        #expect(ScheduleTests.booked(outcome))
        #expect(mine.lookup(key).day == nil, "its own responder dropped it before answering")
        #expect(Self.waitUntil { theirs.lookup(key).day == nil }, "the other responder heard of it")
        _ = senders.waitForNotifications(orReadable: -1, timeoutMS: 2_000)
        #expect(try senders.notifications().map(\.channel) == ["sb_pesan"])
        // A refused booking changes nothing and is told to nobody.
        let refreshed = try AvailabilityStore.studioDay(db, studio: 1, day: day)
        theirs.store(refreshed, for: key, readAt: theirs.lookup(key).generation)
        #expect(try sender.send([ScheduleTests.session("a2", "13:00", hours: 1)])[0].get() == .slotTaken)
        usleep(200_000)
        #expect(theirs.lookup(key).day == refreshed)
    }

    /// Writes by anyone but the committers (staff, another program): the trigger tells every responder.
    @Test func aCommittedChangeDropsTheDayFromTheCache() throws {
        let database = try ScheduleTests.database()
        let cache = FreeTimesCache()
        let listener = try ScheduleListener(databaseURL: database.url, cache: cache)
        try listener.start()
        defer { listener.stop() }
        let day = BatchBookingTests.tomorrow
        let key = FreeTimesCache.Key(studio: 1, day: day)
        let db = try database.connect()
        func keep() throws {
            let generation = cache.lookup(key).generation
            cache.store(try AvailabilityStore.studioDay(db, studio: 1, day: day), for: key, readAt: generation)
        }
        #expect(Self.waitUntil { (try? keep()) != nil && cache.lookup(key).day != nil }, "the listener went live")
        #expect(cache.lookup(key).day?.busy == 0)

        // A booking written by another program (the committers announce theirs: the test above).
        try db.query(
            """
            INSERT INTO booking_online (ref, nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking, durasi_jam)
            VALUES ('n1', 'Program Lain', '0899', 1, $1::date, '12:00', 2)
            """, [day])
        #expect(Self.waitUntil { cache.lookup(key).day == nil }, "the booking's day was dropped")
        try keep()
        #expect(cache.lookup(key).day?.busy == 0b11 << 12)

        // A booking of another day leaves this one; a closed day drops every day.
        try db.query(
            """
            INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking)
            VALUES ('Program Lain', '0898', 1, $1::date, '12:00')
            """, [day.adding(days: 5)])
        usleep(200_000)
        #expect(cache.lookup(key).day != nil)
        try db.query("INSERT INTO hari_libur (tanggal, keterangan) VALUES ($1::date, 'Libur')", [day])
        #expect(Self.waitUntil { cache.lookup(key).day == nil }, "the closed day dropped it")
        try keep()
        #expect(cache.lookup(key).day?.open == 0)

        // A cancellation written by another program.
        try db.execute("DELETE FROM hari_libur")
        #expect(Self.waitUntil { cache.lookup(key).day == nil })
        try keep()
        try db.query("UPDATE booking_online SET dibatalkan_pada = now() WHERE ref = 'n1'")
        #expect(Self.waitUntil { cache.lookup(key).day == nil }, "the cancellation dropped it")
        try keep()
        #expect(cache.lookup(key).day?.busy == 0)
    }

    @Test func aStoppedListenerKeepsNothing() throws {
        let database = try ScheduleTests.database()
        let cache = FreeTimesCache()
        let listener = try ScheduleListener(databaseURL: database.url, cache: cache)
        try listener.start()
        let key = FreeTimesCache.Key(studio: 1, day: BatchBookingTests.tomorrow)
        let day = StudioDay(open: 1, busy: 0)
        #expect(Self.waitUntil {
            cache.store(day, for: key, readAt: cache.lookup(key).generation)
            return cache.lookup(key).day != nil
        })
        listener.stop()
        #expect(cache.lookup(key).day == nil)
    }
}
