import HTTPMessages
import HTTPTypes
import Foundation
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// What an attacker types to forge the log or fake an outage (issue 14), through the router against
/// a real PostgreSQL: the log keeps one event per line with every such character escaped, and a value
/// PostgreSQL cannot hold (a NUL) or a number its column cannot is bad input — 400 or 422, never a
/// 503, never an `error` line.
@Suite(.needs(.database))
struct HostileValueTests {
    /// The lines of the client's log.
    static func lines(_ client: BookingClient) -> [Substring] {
        client.log().split(separator: "\n")
    }

    /// No line of the log is an `error`, and every line is an event: a timestamp, a level, a message.
    static func expectOnlyEvents(_ client: BookingClient, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in lines(client) {
            #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info .*/) != nil, "\(line)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - The log cannot be forged

    @Test func aNameWithALineSeparatorAndAFakeEntryStaysOneEscapedLine() throws {
        let (_, client, _) = try StaffAreaTests.legacyStudio()
        var booking = client
        let forged = "Mallory\u{2028}2026-11-25T09:31:56.462Z info New customer auto-created from booking: Fake (0800)"
        let answer = booking.book(BookingClient.fields(["nama_customer": forged, "telp_customer": "0857 2222 0001"]))
        #expect(answer.status == 303)
        let entries = Self.lines(client).filter { $0.contains("auto-created") }
        #expect(entries.count == 1)
        #expect(entries.first?.hasSuffix(
            #" info New customer auto-created from booking: Mallory\u20282026-11-25T09:31:56.462Z info New customer auto-created from booking: Fake (0800) (085722220001)"#
        ) == true)
        #expect(!client.log().unicodeScalars.contains("\u{2028}"))
        Self.expectOnlyEvents(client)
    }

    @Test func aBidiOverrideInANameIsEscaped() throws {
        let (_, client, _) = try StaffAreaTests.legacyStudio()
        var booking = client
        // Shown reversed, "Budi\u{202E}0000 0858" would read as a different phone number.
        let answer = booking.book(BookingClient.fields([
            "nama_customer": "Budi\u{202E}\u{2066}Santoso\u{2069}\u{200B}", "telp_customer": "0857 2222 0002",
        ]))
        #expect(answer.status == 303)
        #expect(client.log().contains(#" info New customer auto-created from booking: Budi\u202e\u2066Santoso\u2069\u200b (085722220002)"#))
        #expect(!client.log().unicodeScalars.contains { [0x202E, 0x2066, 0x2069, 0x200B].contains($0.value) })
    }

    @Test func terminalEscapesInASignInNameAreWrittenAsEscapes() throws {
        var (_, client, staff) = try StaffAreaTests.legacyStudio()
        let answer = staff.signIn("\u{1B}[2J\u{1B}[1;1Hrina", "salah-sekali")
        #expect(answer.status == 401)
        #expect(client.log().contains(#" info Staff sign-in refused for \x1b[2J\x1b[1;1Hrina"# + "\n"))
        #expect(!client.log().utf8.contains(0x1B))
        Self.expectOnlyEvents(client)
    }

    // MARK: - Values PostgreSQL cannot hold are bad input

    @Test func aNULInTheSignInNameIs422WithTheFormBack() throws {
        var (_, client, staff) = try StaffAreaTests.legacyStudio()
        let form = staff.get("/staff/login")
        let answer = staff.send(
            Request(
                method: .post, path: "/staff/login",
                headerFields: [.contentType: "application/x-www-form-urlencoded", .cookie: staff.cookieHeader],
                body: .complete(Array("username=ri%00na&password=rahasia-staf-1&csrf_token=\(BookingClient.csrfToken(in: form.text))".utf8))))
        #expect(answer.status == 422)
        #expect(answer.text.contains("Nama pengguna mengandung karakter yang tidak diizinkan."))
        #expect(answer.text.contains("name=\"username\""))
        #expect(answer.text.contains("value=\"ri\u{FFFD}na\""))
        #expect(staff.cookies["sb_staff"] == nil)
        #expect(client.log().contains(" info Staff sign-in refused for ri\u{FFFD}na\n"))
        Self.expectOnlyEvents(client)
    }

    @Test func aNULInTheSearchIs400WithTheSearchBack() throws {
        var (_, client, staff) = try StaffAreaTests.signedIn()
        for q in ["%00", "Siti%00", "0812%00"] {
            let page = staff.get("/staff/customers?q=\(q)")
            #expect(page.status == 400, "\(q)")
            #expect(page.text.contains("Pencarian mengandung karakter yang tidak diizinkan."), "\(q)")
            #expect(page.text.contains("name=\"q\""), "\(q)")
            #expect(StaffAreaTests.codes(page) == [], "\(q)")
            let csv = staff.get("/staff/customers.csv?q=\(q)")
            #expect(csv.status == 400, "\(q)")
            #expect(csv.text.contains("Pencarian mengandung karakter yang tidak diizinkan."), "\(q)")
        }
        #expect(staff.get("/staff/customers?q=Siti%00&after=5").status == 400)
        Self.expectOnlyEvents(client)
    }

    @Test func aPageBeyondAnIntegerColumnIs400() throws {
        var (_, client, staff) = try StaffAreaTests.signedIn()
        for after in ["9999999999", "2147483648", "-2147483649", "99999999999999999999", "abc", "1e3", "%00"] {
            let page = staff.get("/staff/customers?after=\(after)")
            #expect(page.status == 400, "after=\(after)")
            #expect(page.text.contains("Alamat halaman tidak valid."), "after=\(after)")
        }
        // The largest id an integer holds is a page like any other; an empty one is the first page.
        #expect(staff.get("/staff/customers?after=2147483647").status == 200)
        #expect(StaffAreaTests.codes(staff.get("/staff/customers?after=")) == StaffAreaTests.codes(staff.get("/staff/customers")))
        Self.expectOnlyEvents(client)
    }

    @Test func aNULInACustomerCodeIsNoCustomer() throws {
        var (_, client, staff) = try StaffAreaTests.signedIn()
        for code in ["CS-000011%00", "%00", "CS-%0000011"] {
            #expect(staff.get("/staff/customers/\(code)").status == 404, "\(code)")
        }
        Self.expectOnlyEvents(client)
    }

    @Test func aDateWithoutAYearIsRefusedAsADate() throws {
        var (_, client, staff) = try StaffAreaTests.signedIn()
        for tanggal in ["0000-01-01", "0000-02-29", "2026-01-01%00"] {
            let page = staff.get("/staff/bookings?tanggal=\(tanggal)")
            #expect(page.status == 422, "\(tanggal)")
            #expect(page.text.contains("Tanggal harus berformat YYYY-MM-DD."), "\(tanggal)")
        }
        Self.expectOnlyEvents(client)
    }

    @Test(arguments: BookingForm.Field.allCases)
    func aNULInAnyBookingFieldIs422WithTheFormBack(field: BookingForm.Field) throws {
        let (database, client, _) = try StaffAreaTests.legacyStudio()
        var booking = client
        let counts = (try database.count("customer"), try database.count("booking_online"))
        let fields = BookingClient.urlEncode(BookingClient.fields(days: 4, ["telp_customer": "0857 2222 0003"]).filter { $0.key != field.rawValue })
        let value = BookingClient.urlEncode(["x": BookingClient.fields(days: 4)[field.rawValue]!]).dropFirst(2)
        let answer = booking.bookRaw(Array("\(field.rawValue)=\(value)%00&".utf8) + Array(fields.utf8))
        #expect(answer.status == 422)
        #expect(answer.text.contains("id=\"\(field.rawValue)-error\""))
        #expect(answer.text.contains("name=\"nama_customer\""))
        #expect((try database.count("customer"), try database.count("booking_online")) == counts)
        Self.expectOnlyEvents(client)
    }
}
