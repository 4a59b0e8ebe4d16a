import Testing
import TestSupport

/// Every rule of docs/behaviour.md: The public pages at its boundaries, through the router against a real database
/// (issue 4): a refused booking is 422 with the message beside its field, every other value kept,
/// and not one row written. The clock stands at 12:30 in Jakarta, today.
@Suite(.needs(.database))
final class ValidationTableTests {
    let database: TestDatabase
    var client: BookingClient

    init() throws {
        database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        client = try BookingClient(database: database, calendar: BookingClient.calendar(todayAt: 12, 30))
    }

    static let refused: [(String, [String: String], String)] = [
        ("a 101-character name", ["nama_customer": String(repeating: "n", count: 101)], "nama_customer"),
        ("a name of spaces", ["nama_customer": " \t "], "nama_customer"),
        ("a 501-character address", ["alamat_customer": String(repeating: "a", count: 501)], "alamat_customer"),
        ("an address of spaces", ["alamat_customer": " \r\n "], "alamat_customer"),
        ("a 101-character email", ["email_customer": String(repeating: "e", count: 89) + "@example.com"], "email_customer"),
        ("an email without domain", ["email_customer": "nama@"], "email_customer"),
        ("a phone of 9 digits", ["telp_customer": "081234567"], "telp_customer"),
        ("a phone of 16 digits", ["telp_customer": "0812345678901234"], "telp_customer"),
        ("a phone of spaces", ["telp_customer": "   "], "telp_customer"),
        ("a phone with letters", ["telp_customer": "0812 ABCD 5678"], "telp_customer"),
        ("no gender", ["jenis_kelamin": ""], "jenis_kelamin"),
        ("an unknown gender", ["jenis_kelamin": "L"], "jenis_kelamin"),
        ("an unknown studio", ["studio_id": "999"], "studio_id"),
        ("yesterday", ["tanggal_booking": BookingClient.date(daysAhead: -1)], "tanggal_booking"),
        ("181 days ahead", ["tanggal_booking": BookingClient.date(daysAhead: 181)], "tanggal_booking"),
        ("a date that does not exist", ["tanggal_booking": "2027-02-30"], "tanggal_booking"),
        ("a slot already begun today", ["tanggal_booking": BookingClient.date(daysAhead: 0), "jam_booking": "12:00"], "jam_booking"),
        ("a slot off the hour", ["jam_booking": "14:30"], "jam_booking"),
        ("a slot after closing", ["jam_booking": "21:00"], "jam_booking"),
        ("a NUL in the name", ["nama_customer": "Nama\u{0}Palsu"], "nama_customer"),
        ("a control character in the address", ["alamat_customer": "Jl. \u{1b}[31mMerah"], "alamat_customer"),
    ]

    @Test(arguments: refused.indices)
    func refusedWith422(_ index: Int) throws {
        let (name, change, field) = Self.refused[index]
        var fields = BookingClient.fields(days: 4, jam: "15:00", [
            "nama_customer": "Tabel Validasi", "telp_customer": "0821 0000 0000",
            "alamat_customer": "Jl. Tabel No. 1", "email_customer": "tabel@example.com",
        ])
        fields.merge(change) { $1 }
        let counts = (try database.count("customer"), try database.count("booking_online"))
        let response = client.book(fields)
        #expect(response.status == 422, "\(name)")
        let html = response.text
        // The message stands beside its own field, and only there.
        #expect(html.contains("<p class=\"error\" id=\"\(field)-error\">"), "\(name)")
        #expect(html.components(separatedBy: "<p class=\"error\"").count == 2, "\(name): one message")
        // (The start's list also points at its note: `jam_booking-note jam_booking-error`.)
        #expect(html.contains("aria-describedby=\"\(field)-error\"") || html.contains(" \(field)-error\""), "\(name)")
        // Every other value comes back as typed.
        for key in ["nama_customer", "telp_customer", "email_customer", "tanggal_booking"] where key != field {
            let value = fields[key]!.replacingOccurrences(of: "&", with: "&amp;")
            #expect(html.contains("name=\"\(key)\"") && html.contains("value=\"\(value)\""), "\(name): \(key)")
        }
        if field != "alamat_customer" { #expect(html.contains(">Jl. Tabel No. 1</textarea>"), "\(name)") }
        if field != "studio_id" { #expect(html.contains("<option value=\"\(fields["studio_id"]!)\" selected>"), "\(name)") }
        if field != "jam_booking" { #expect(html.contains("<option value=\"\(fields["jam_booking"]!)\" selected>"), "\(name)") }
        if field != "jenis_kelamin" { #expect(html.contains("<option value=\"Laki-laki\" selected>"), "\(name)") }
        #expect((try database.count("customer"), try database.count("booking_online")) == counts, "\(name)")
    }

    static let acceptedCases: [(String, [String: String])] = [
        ("a 100-character name", ["nama_customer": String(repeating: "n", count: 100)]),
        ("a 500-character address", ["alamat_customer": String(repeating: "a", count: 500)]),
        ("a 100-character email", ["email_customer": String(repeating: "e", count: 88) + "@example.com"]),
        ("a phone of 10 digits", ["telp_customer": "0812345678"]),
        ("a phone of 15 digits", ["telp_customer": "+62 812 3456 7890 12"]),
        ("no email", ["email_customer": ""]),
        ("today, a later slot", ["tanggal_booking": BookingClient.date(daysAhead: 0), "jam_booking": "13:00"]),
        ("180 days ahead", ["tanggal_booking": BookingClient.date(daysAhead: 180)]),
    ]

    @Test(arguments: acceptedCases.indices)
    func acceptedAtTheBoundary(_ index: Int) throws {
        let (name, change) = Self.acceptedCases[index]
        var fields = BookingClient.fields(days: 10 + index, jam: "16:00", [
            "nama_customer": "Batas \(index)", "telp_customer": "0823 1000 000\(index)", "email_customer": "",
        ])
        fields.merge(change) { $1 }
        let response = client.book(fields)
        #expect(response.status == 303, "\(name): \(response.text.components(separatedBy: "class=\"error\"").dropFirst().first ?? "")")
    }

    @Test func invalidUTF8IsRefusedAndNeverStored() throws {
        let counts = (try database.count("customer"), try database.count("booking_online"))
        let fields = BookingClient.urlEncode(BookingClient.fields(days: 5).filter { $0.key != "nama_customer" })
        let response = client.bookRaw(Array("nama_customer=Bad%C3%28Name&".utf8) + Array(fields.utf8))
        #expect(response.status == 422)
        #expect(response.text.contains("id=\"nama_customer-error\">Nama mengandung karakter yang tidak diizinkan."))
        // Raw bytes, not percent-encoded: an invalid sequence and a NUL.
        let raw = client.bookRaw(Array("nama_customer=Bad".utf8) + [0xff, 0xfe, 0x00] + Array("Name&".utf8) + Array(fields.utf8))
        #expect(raw.status == 422)
        #expect((try database.count("customer"), try database.count("booking_online")) == counts)
    }

    @Test func repeatedFieldsKeepTheFirstAndUnknownFieldsAreIgnored() throws {
        let fields = BookingClient.urlEncode(BookingClient.fields(days: 30, ["telp_customer": "0824 0000 0001", "email_customer": ""])
            .filter { $0.key != "nama_customer" })
        let response = client.bookRaw(Array("nama_customer=Pertama&nama_customer=Kedua&favourite_colour=blue&".utf8) + Array(fields.utf8))
        #expect(response.status == 303)
        #expect(try database.scalar("SELECT nama_customer FROM booking_online WHERE telp_customer = '0824 0000 0001'") == "Pertama")
    }

    @Test func aFilledHoneypotIsSilentlyRefused() throws {
        let counts = (try database.count("customer"), try database.count("booking_online"))
        let response = client.book(BookingClient.fields(days: 6, ["website": "http://spam.example", "telp_customer": "0825 0000 0001"]))
        #expect(response.status == 303)
        #expect(response.header("Location") == "/booking")
        #expect((try database.count("customer"), try database.count("booking_online")) == counts)
        #expect(client.log().contains(" info Booking refused: the hidden honeypot field was filled in\n"))
    }

    @Test func atMostFiveActiveBookingsPerPhone() throws {
        let formats = ["0826 1111 2222", "+62 826-1111-2222", "6282611112222", "(0826) 1111.2222", "082611112222"]
        for (n, phone) in formats.enumerated() {
            let response = client.book(BookingClient.fields(days: 40 + n, ["telp_customer": phone, "email_customer": ""]))
            #expect(response.status == 303, "booking \(n + 1)")
        }
        let counts = (try database.count("customer"), try database.count("booking_online"))
        let sixth = client.book(BookingClient.fields(days: 50, ["telp_customer": "0826-1111-2222", "nama_customer": "Keenam"]))
        #expect(sixth.status == 422)
        #expect(sixth.text.contains("id=\"telp_customer-error\">Nomor telepon ini sudah punya 5 booking aktif."))
        #expect(sixth.text.contains("value=\"Keenam\""))
        #expect((try database.count("customer"), try database.count("booking_online")) == counts)
        // Past bookings do not count: move one into the past, and the next is accepted.
        try database.connect().execute(
            "UPDATE booking_online SET tanggal_booking = current_date - 3 WHERE id_booking = (SELECT min(id_booking) FROM booking_online WHERE telp_customer = '0826 1111 2222')")
        #expect(client.book(BookingClient.fields(days: 50, ["telp_customer": "0826-1111-2222"])).status == 303)
    }
}
