import Foundation
import HTTPMessages
import Postgres
import Testing
import TestSupport
@testable import StudioBooking

/// Bookings by staff (issue 16, docs/behaviour.md: Bookings by staff) through the router against a
/// real PostgreSQL, on the legacy installation: the desk's form and search, a booking's page, cancel
/// and move without a cutoff (legacy bookings too), attendance, and what the customer pages show.
@Suite(.needs(.database))
struct StaffDeskTests {
    /// The legacy installation, an account `rina` signed in, the clock at `hour`:`minute` today.
    static func desk(at hour: Int = 12, _ minute: Int = 0) throws -> (TestDatabase, BookingClient, StaffClient) {
        let database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        _ = try StaffStore.setPassword(
            try database.connect(), username: "rina", passwordHash: StaffAccount.hash(StaffAreaTests.password))
        let client = try BookingClient(database: database, calendar: BookingClient.calendar(todayAt: hour, minute))
        var staff = StaffClient(client.app.makeResponder())
        #expect(staff.signIn("rina", StaffAreaTests.password).status == 303)
        return (database, client, staff)
    }

    /// Posts a staff form with the token of the page at `from`.
    static func post(_ staff: inout StaffClient, _ path: String, from page: String, _ fields: [String: String]) -> Response {
        let token = BookingClient.csrfToken(in: staff.get(page).text)
        return staff.post(path, fields.merging(["csrf_token": token]) { $1 })
    }

    static func id(_ response: Response) -> Int? {
        response.header("Location").flatMap { $0.wholeMatch(of: /\/staff\/bookings\/([0-9]+)/) }.flatMap { Int($0.1) }
    }

    static func lines(_ client: BookingClient, _ text: String) -> Int {
        client.log().components(separatedBy: "\n").filter { $0.contains(text) }.count
    }

    // MARK: - The desk's form

    /// Six bookings of one phone: the public form's limit is 5, the desk has none. Each is the
    /// public form's booking: a ref, the customer matched or made, the §6 line.
    @Test func theDeskBooksWithoutThePerPhoneLimit() throws {
        var (database, client, staff) = try Self.desk()
        for day in 1...6 {
            let answer = Self.post(&staff, "/staff/bookings/baru", from: "/staff/bookings/baru",
                BookingClient.fields(days: day, jam: "10:00", ["telp_customer": "0877 1234 5678", "nama_customer": "Meja Depan"]))
            #expect(answer.status == 303, "day \(day): \(answer.text)")
            let id = try #require(Self.id(answer))
            #expect(try database.scalar("SELECT kode_cs || ' ' || (ref IS NOT NULL) FROM booking_online WHERE id_booking = $1::integer", [id])
                == "CS-000064 true")
        }
        #expect(Self.lines(client, "New customer auto-created from booking: Meja Depan (087712345678)") == 1)
        #expect(Self.lines(client, "Existing customer booking date updated: Meja Depan (087712345678)") == 5)
        // The public form, for the same phone: the limit stands there.
        #expect(client.book(BookingClient.fields(days: 7, ["telp_customer": "0877 1234 5678"])).status == 422)
    }

    @Test func aRefusedDeskBookingKeepsEveryValue() throws {
        var (database, _, staff) = try Self.desk()
        let fields = BookingClient.fields(days: 2, jam: "11:00", ["nama_customer": "Tetap Ada", "telp_customer": "0812"])
        let invalid = Self.post(&staff, "/staff/bookings/baru", from: "/staff/bookings/baru", fields)
        #expect(invalid.status == 422)
        #expect(invalid.text.contains("value=\"Tetap Ada\"") && invalid.text.contains("value=\"0812\""))
        #expect(invalid.text.contains("Nomor telepon tidak valid"))

        let first = Self.post(&staff, "/staff/bookings/baru", from: "/staff/bookings/baru",
            BookingClient.fields(days: 2, jam: "11:00", ["telp_customer": "0877 0000 0001"]))
        #expect(first.status == 303)
        let taken = Self.post(&staff, "/staff/bookings/baru", from: "/staff/bookings/baru",
            BookingClient.fields(days: 2, jam: "11:00", ["nama_customer": "Kedua", "telp_customer": "0877 0000 0002"]))
        #expect(taken.status == 409)
        #expect(taken.text.contains("value=\"Kedua\"") && taken.text.contains("Waktu ini sudah dipesan"))

        let forged = staff.post("/staff/bookings/baru", BookingClient.fields(days: 3, ["csrf_token": "palsu"]))
        #expect(forged.status == 403)
        #expect(try database.scalar("SELECT count(*) FROM booking_online WHERE ref IS NOT NULL") == "1")
    }

    /// The search fills the form: as JSON for the script, and without it as links that prefill.
    @Test func theCustomerSearchFillsTheForm() throws {
        var (_, _, staff) = try Self.desk()
        let json = staff.get("/staff/customers.json?q=%2B62%20857-1111-0002")
        #expect(json.status == 200)
        let found = try #require(try JSONSerialization.jsonObject(with: Data(json.body)) as? [[String: String]])
        #expect(found.map { $0["kode_cs"] } == ["CS-000002"])
        #expect(found.first?["nama_customer"] == "Joko Susilo" && found.first?["alamat_customer"] == "Gg. Mawar 12, Solo")

        let list = staff.get("/staff/bookings/baru?cari=Larasati")
        #expect(list.status == 200)
        #expect(list.text.contains("href=\"/staff/bookings/baru?kode_cs=CS-000011\""))
        let filled = staff.get("/staff/bookings/baru?kode_cs=CS-000011")
        #expect(filled.text.contains("value=\"Larasati Wibowo\"") && filled.text.contains("value=\"085711110011\""))
        #expect(filled.text.contains("Jl. Cempaka Putih 3, Malang</textarea>"))
        #expect(staff.get("/staff/bookings/baru?cari=tidak-ada-siapa-siapa").text.contains(Copy.deskSearchNone))
    }

    // MARK: - A booking's page and its actions

    /// A legacy booking (no ref, no code, in the past): its page names the customer its phone
    /// matches; staff cancel it, whenever it was, once.
    @Test func staffCancelALegacyBookingOnce() throws {
        var (database, client, staff) = try Self.desk()
        let id = try #require(try database.scalar("SELECT id_booking FROM booking_online WHERE nama_customer = 'Joko Susilo'"))
        let page = staff.get("/staff/bookings/\(id)")
        #expect(page.status == 200)
        #expect(page.text.contains("href=\"/staff/customers/CS-000002\""))
        #expect(page.text.contains("https://wa.me/6285711110002?text="))
        #expect(page.text.contains("<dd class=\"status\">Aktif</dd>"))
        for _ in 0..<2 {
            let answer = Self.post(&staff, "/staff/bookings/\(id)/batal", from: "/staff/bookings/\(id)", [:])
            #expect(answer.status == 303 && answer.header("Location") == "/staff/bookings/\(id)")
        }
        #expect(try database.scalar("SELECT (dibatalkan_pada IS NOT NULL)::text FROM booking_online WHERE id_booking = $1::integer", [Int(id)!]) == "true")
        #expect(Self.lines(client, "Booking cancelled by staff rina: Joko Susilo (0857-1111-0002)") == 1)
        #expect(staff.get("/staff/bookings/\(id)").text.contains("<dd class=\"status cancelled\">Dibatalkan</dd>"))
        // No customer has Sekar Ayu's phone: the page says so, the log line is the booking's own.
        let sekar = try #require(try database.scalar("SELECT id_booking FROM booking_online WHERE nama_customer = 'Sekar Ayu'"))
        #expect(staff.get("/staff/bookings/\(sekar)").text.contains("Tidak ada customer dengan telepon ini"))
        #expect(Self.post(&staff, "/staff/bookings/\(sekar)/batal", from: "/staff/bookings/\(sekar)", [:]).status == 303)
        #expect(Self.lines(client, "Booking cancelled by staff rina: Sekar Ayu (0813 2222 0099)") == 1)
    }

    /// Staff move a legacy booking and one of the app's that starts within the customers' cutoff:
    /// the same row, the §3 rules, 409 and 422 with the values kept.
    @Test func staffMoveWithoutACutoffLegacyBookingsToo() throws {
        var (database, client, staff) = try Self.desk(at: 8, 0)
        let legacy = try #require(try database.scalar("SELECT id_booking FROM booking_online WHERE nama_customer = 'Maya Anggraini'"))
        let tomorrow = BookingClient.date(daysAhead: 1)
        func move(_ id: String, _ studio: String, _ day: String, _ jam: String, hours: String = "1") -> Response {
            Self.post(&staff, "/staff/bookings/\(id)/ubah", from: "/staff/bookings/\(id)",
                ["studio_id": studio, "tanggal_booking": day, "jam_booking": jam, "durasi_jam": hours])
        }
        let moved = move(legacy, "2", tomorrow, "10:00", hours: "2")
        #expect(moved.status == 303, "\(moved.text)")
        #expect(try database.scalar(
            "SELECT studio_id || ' ' || tanggal_booking || ' ' || jam_booking || ' ' || durasi_jam || ' ' || (ref IS NULL) FROM booking_online WHERE id_booking = $1::integer",
            [Int(legacy)!]) == "2 \(tomorrow) 10:00:00 2 true")
        #expect(Self.lines(client, "Booking rescheduled by staff rina: Maya Anggraini (+62 857 1111 0003)") == 1)
        // The customer its phone matches now has it as their latest booking.
        #expect(try database.scalar("SELECT to_char(tanggal_booking, 'YYYY-MM-DD HH24:MI') FROM customer WHERE kode_cs = 'CS-000003'")
            == "\(tomorrow) 10:00")

        // Today at 10:00, two hours away: too late for a customer (24 h), not for staff.
        let today = BookingClient.date(daysAhead: 0)
        let booked = Self.post(&staff, "/staff/bookings/baru", from: "/staff/bookings/baru",
            BookingClient.fields(days: 0, jam: "10:00", ["telp_customer": "0877 5555 0001", "nama_customer": "Hari Ini"]))
        let app = try #require(Self.id(booked))
        #expect(move(String(app), "1", today, "11:00").status == 303)
        let taken = move(String(app), "2", tomorrow, "11:00")
        #expect(taken.status == 409)
        #expect(taken.text.contains("Waktu ini sudah dipesan"))
        #expect(taken.text.contains("<option value=\"2\" selected>"), "the values kept")
        let past = move(String(app), "1", today, "07:00")
        #expect(past.status == 422, "a start already begun")
        #expect(move(String(app), "1", today, "20:00", hours: "3").status == 422, "past closing")
        #expect(move(String(app), "1", "2020-01-01", "10:00").status == 422)
        #expect(try database.scalar("SELECT jam_booking::text FROM booking_online WHERE id_booking = $1::integer", [app]) == "11:00:00")
        #expect(move("999999", "1", tomorrow, "12:00").status == 404)
    }

    /// Attendance once the session has begun, never before nor of a cancelled booking; the
    /// customer's page and the list count the no-shows, the customer page marks cancelled bookings.
    @Test func attendanceOnceBegunAndTheNoShowCount() throws {
        var (database, _, staff) = try Self.desk(at: 10, 30)
        let booked = Self.post(&staff, "/staff/bookings/baru", from: "/staff/bookings/baru",
            BookingClient.fields(days: 0, jam: "11:00", ["telp_customer": "0857-1111-0063", "nama_customer": "Intan Permata"]))
        let later = try #require(Self.id(booked))
        func attend(_ id: Int, _ hadir: String) -> Response {
            Self.post(&staff, "/staff/bookings/\(id)/kehadiran", from: "/staff/bookings/\(id)", ["hadir": hadir])
        }
        let early = attend(later, "tidak")
        #expect(early.status == 422 && early.text.contains(Copy.deskAttendanceNotBegun))
        // Intan's legacy booking of 2025-07-12 has begun long ago.
        let past = try #require(Int(try database.scalar("SELECT id_booking FROM booking_online WHERE nama_customer = 'Intan Permata' AND ref IS NULL") ?? ""))
        #expect(attend(past, "mungkin").status == 422)
        #expect(attend(past, "tidak").status == 303)
        #expect(try database.scalar("SELECT hadir::text FROM booking_online WHERE id_booking = $1::integer", [past]) == "false")
        #expect(staff.get("/staff/bookings/\(past)").text.contains("<dd class=\"kehadiran\">Tidak datang</dd>"))
        #expect(Self.post(&staff, "/staff/bookings/\(later)/batal", from: "/staff/bookings/\(later)", [:]).status == 303)
        #expect(attend(later, "ya").status == 422, "a cancelled booking has no attendance")
        #expect(attend(424242, "ya").status == 404)

        let customer = staff.get("/staff/customers/CS-000063").text
        #expect(customer.contains("Tidak datang: 1") && customer.contains("<dd class=\"cancelled-count\">1</dd>"))
        #expect(customer.contains("href=\"/staff/bookings/\(past)\"") && customer.contains("href=\"/staff/bookings/\(later)\""))
        #expect(customer.contains("<tr class=\"cancelled\">"))
        let list = staff.get("/staff/customers?q=CS-000063").text
        #expect(list.contains("(1 dibatalkan)") && list.contains("<td class=\"num no-show\" data-label=\"Tidak datang\">1</td>"))
        // The day view: the cancelled booking listed apart, its hour free.
        let day = staff.get("/staff/bookings?tanggal=\(BookingClient.date(daysAhead: 0))").text
        let cancelled = try #require(day.components(separatedBy: "<details class=\"cancelled\">").dropFirst().first)
        #expect(cancelled.contains("href=\"/staff/bookings/\(later)\""))
    }

    @Test func unknownAndMalformedIdsAre404AndBaruIsTheForm() throws {
        var (_, _, staff) = try Self.desk()
        #expect(staff.get("/staff/bookings/baru").status == 200)
        for path in ["/staff/bookings/999999", "/staff/bookings/abc", "/staff/bookings/0", "/staff/bookings/99999999999"] {
            #expect(staff.get(path).status == 404, "\(path)")
        }
        var visitor = StaffClient(staff.responder)
        #expect(visitor.get("/staff/bookings/1").status == 303, "not signed in: to the sign-in page")
    }

    // MARK: - Races

    /// A staff move and a new booking for the same hours from two connections at once: exactly one
    /// gets them (the move takes sb_book_many's studio-day locks), legacy bookings as well.
    @Test func aStaffMoveRacingANewBookingOneWins() throws {
        typealias Item = BatchBookingTests
        let database = try ScheduleTests.database()
        let rounds = 12
        var ids: [Int] = []
        for round in 0..<rounds {
            // Odd rounds move a legacy booking (no ref), even ones the app's.
            if round % 2 == 0 {
                try SelfServiceTests.book(database, Item.item("s\(round)", "Staf", telp: "0852 1000 \(1000 + round)", day: round, jam: "09:00"))
                ids.append(Int(try database.scalar("SELECT id_booking FROM booking_online WHERE ref = $1", ["s\(round)"])!)!)
            } else {
                ids.append(Int(try database.scalar(
                    "INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking) VALUES ('Lama', '0811', 1, $1::date, '09:00') RETURNING id_booking",
                    [Item.tomorrow.adding(days: round)])!)!)
            }
        }
        let moving = ids
        let results = concurrently(2) { side -> [String] in
            let db = try! database.connect()
            let sender = try! Item.sender(database)
            return (0..<rounds).map { round in
                if side == 0 {
                    let choice = BookingController.ScheduleChoice(
                        studio: BookingStore.Studio(id: 1, name: "Studio 1"), day: Item.tomorrow.adding(days: round), durasi: 2)
                    let outcome = try? SelfServiceStore.reschedule(
                        db, ref: nil, id: moving[round], to: choice, hour: 12, now: SelfServiceTests.longAgo, cutoffHours: nil).outcome
                    if case .done = outcome { return "won" }
                    return outcome == .slotTaken ? "lost" : "\(String(describing: outcome))"
                }
                switch sender.send([ScheduleTests.session("n\(round)", "13:00", hours: 1, day: round)])[0] {
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
             AND a.jam_booking < b.jam_booking + make_interval(hours => coalesce(b.durasi_jam, 1)::integer)
             AND b.jam_booking < a.jam_booking + make_interval(hours => coalesce(a.durasi_jam, 1)::integer)
            """) == "0")
    }

    /// The customers' cutoff stays theirs: the same function with a cutoff refuses what staff may do.
    @Test func theCutoffIsOnlyTheCustomers() throws {
        typealias Item = BatchBookingTests
        let database = try ScheduleTests.database()
        let db = try database.connect()
        try SelfServiceTests.book(database, Item.item("c1", "Batas", telp: "0852 2000 0001", day: 1, jam: "10:00"))
        let now = try SelfServiceTests.before(database, "c1", hours: 2)
        #expect(try SelfServiceStore.cancel(db, ref: "c1", now: now, cutoffHours: 24).outcome == .tooLate)
        let id = Int(try database.scalar("SELECT id_booking FROM booking_online WHERE ref = 'c1'")!)!
        #expect(try SelfServiceStore.cancel(db, ref: nil, id: id, now: now, cutoffHours: nil).outcome
            == .done(namaCS: "Batas", telp: "085220000001"))
    }
}
