import Foundation
import Postgres
import Testing
import TestSupport

/// Simultaneous bookings through nginx and two responders: PostgreSQL, not one process's memory,
/// keeps one customer per person, one booking per slot and gapless codes (issue 3).
@Suite(.serialized, .needs(.integrityStack))
struct IntegrityTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func db() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    func visitor() throws -> (cookies: [String], token: String) {
        let form = try http.get("/booking")
        return (form.cookies, BookingClient.csrfToken(in: form.body))
    }

    /// Slot `n` of a studio: twelve a day, from the day after tomorrow on.
    static func slot(_ n: Int) -> (date: String, jam: String) {
        (BookingClient.date(daysAhead: 2 + n / 12), String(format: "%02d:00", 9 + n % 12))
    }

    @Test func onePhoneInFourFormatsMakesOneCustomer() throws {
        let studio = try IntegrityStack.makeStudio("Uji Satu Telepon")
        let (cookies, token) = try visitor()
        let formats = ["0812 7000 1234", "+62 812-7000-1234", "6281270001234", "(0812) 7000.1234"]
        let http = self.http
        let statuses = concurrently(200) { i in
            let slot = Self.slot(i)
            let fields = BookingClient.fields([
                "csrf_token": token, "studio_id": studio, "tanggal_booking": slot.date, "jam_booking": slot.jam,
                "telp_customer": formats[i % 4], "nama_customer": "Sama Orangnya", "email_customer": "",
            ])
            return (try? http.post("/booking", form: BookingClient.urlEncode(fields), cookies: cookies).status) ?? -1
        }
        print("200 bookings, one phone in four formats: \(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
        #expect(statuses.allSatisfy { $0 == 303 })
        let customers = try db().query("SELECT kode_cs FROM customer WHERE telp = '081270001234'")
        #expect(customers.count == 1)
        let kode = try #require(try customers.decode(String.self).first)
        #expect(try db().query("SELECT count(*) FROM booking_online WHERE studio_id = $1::integer AND kode_cs = $2", [studio, kode]).decode(Int.self)[0] == 200)
        #expect(try IntegrityStack.integrityViolations() == [])
    }

    /// The race that matters happens before the customer exists: make it fifty times at once,
    /// four simultaneous first bookings for each new phone (one per format), and for email too.
    @Test func manySimultaneousFirstBookingsMakeOneCustomerEach() throws {
        let studio = try IntegrityStack.makeStudio("Uji Balapan")
        let (cookies, token) = try visitor()
        let http = self.http
        let statuses = concurrently(200) { i in
            let person = i / 4
            let digits = String(format: "%04d", person)
            let formats = ["0815 5000 \(digits)", "+62 815-5000-\(digits)", "62815 5000 \(digits)", "(0815) 5000.\(digits)"]
            // The second half: a new phone each time, one shared email per person.
            let phone = person < 25 ? formats[i % 4] : "0815 6\(String(format: "%03d", i)) \(digits)"
            let slot = Self.slot(i)
            let fields = BookingClient.fields([
                "csrf_token": token, "studio_id": studio, "tanggal_booking": slot.date, "jam_booking": slot.jam,
                "telp_customer": phone, "nama_customer": "Balapan \(person)",
                "email_customer": person < 25 ? "" : "balapan.\(person)@example.com",
            ])
            return (try? http.post("/booking", form: BookingClient.urlEncode(fields), cookies: cookies).status) ?? -1
        }
        #expect(statuses.allSatisfy { $0 == 303 })
        let perPerson = try db().query(
            """
            SELECT count(DISTINCT b.kode_cs) FROM booking_online b
            WHERE b.studio_id = $1::integer GROUP BY b.nama_customer
            """, [studio]).decode(Int.self)
        print("50 people, 4 simultaneous first bookings each: customers per person \(Dictionary(grouping: perPerson, by: { $0 }).mapValues(\.count))")
        #expect(perPerson.count == 50)
        #expect(perPerson.allSatisfy { $0 == 1 })
        #expect(try IntegrityStack.integrityViolations() == [])
    }

    @Test func oneSlotKeepsExactlyOneBooking() throws {
        let studio = try IntegrityStack.makeStudio("Uji Satu Slot")
        let (cookies, token) = try visitor()
        let date = BookingClient.date(daysAhead: 7)
        let http = self.http
        let replies = concurrently(100) { i in
            let fields = BookingClient.fields([
                "csrf_token": token, "studio_id": studio, "tanggal_booking": date, "jam_booking": "15:00",
                "telp_customer": "0813900\(String(format: "%05d", i))", "nama_customer": "Rebutan \(i)", "email_customer": "",
            ])
            return (try? http.post("/booking", form: BookingClient.urlEncode(fields), cookies: cookies)).map {
                ($0.status, $0.body.contains("value=\"Rebutan \(i)\""))
            } ?? (-1, false)
        }
        let statuses = replies.map(\.0)
        print("100 bookings of one slot: \(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
        #expect(statuses.filter { $0 == 303 }.count == 1)
        #expect(statuses.filter { $0 == 409 }.count == 99)
        let keptForms = replies.filter { $0.0 == 409 }.allSatisfy { $0.1 }
        #expect(keptForms, "every 409 keeps its form")
        #expect(try db().query("SELECT count(*) FROM booking_online WHERE studio_id = $1::integer", [studio]).decode(Int.self)[0] == 1)
        // The 99 that lost made no customer either.
        #expect(try db().query("SELECT count(*) FROM customer WHERE telp LIKE '0813900%'").decode(Int.self)[0] == 1)
        #expect(try IntegrityStack.integrityViolations() == [])
    }

    @Test func newCustomersGetDistinctConsecutiveCodes() throws {
        let studio = try IntegrityStack.makeStudio("Uji Kode")
        let (cookies, token) = try visitor()
        let http = self.http
        let statuses = concurrently(100) { i in
            let slot = Self.slot(i)
            let fields = BookingClient.fields([
                "csrf_token": token, "studio_id": studio, "tanggal_booking": slot.date, "jam_booking": slot.jam,
                "telp_customer": "0814800\(String(format: "%05d", i))", "nama_customer": "Baru \(i)", "email_customer": "",
            ])
            return (try? http.post("/booking", form: BookingClient.urlEncode(fields), cookies: cookies).status) ?? -1
        }
        #expect(statuses.allSatisfy { $0 == 303 })
        let numbers = try db().query("SELECT sb_kode_number(kode_cs) FROM customer WHERE telp LIKE '0814800%' ORDER BY 1")
            .decode(Int.self)
        print("100 new customers: codes CS-\(numbers.first.map { String(format: "%06d", $0) } ?? "?")…CS-\(numbers.last.map { String(format: "%06d", $0) } ?? "?"), \(Set(numbers).count) distinct")
        #expect(numbers.count == 100)
        #expect(Set(numbers).count == 100)
        #expect((numbers.last ?? 0) - (numbers.first ?? 0) == 99)
        #expect(try IntegrityStack.integrityViolations() == [])
    }
}
