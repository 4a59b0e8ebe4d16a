import Testing
@testable import StudioBooking

@Suite struct FormDataTests {
    func decode(_ body: String) -> FormData { FormData(urlEncoded: Array(body.utf8)) }

    @Test func percentEncodingAndPlus() {
        let form = decode("nama_customer=John+Doe&alamat_customer=Jl.%20Contoh%20No.%20123%2C%20Jakarta&x=%E2%9C%93")
        #expect(form["nama_customer"] == "John Doe")
        #expect(form["alamat_customer"] == "Jl. Contoh No. 123, Jakarta")
        #expect(form["x"] == "✓")
    }

    @Test func encodedPlusStaysAPlus() {
        #expect(decode("telp_customer=%2B62+812")["telp_customer"] == "+62 812")
    }

    @Test func repeatedKeysKeepTheFirstValue() {
        #expect(decode("jam_booking=10:00&jam_booking=11:00")["jam_booking"] == "10:00")
    }

    @Test func emptyAndMissingValues() {
        let form = decode("a=&b&&=orphan&c=1")
        #expect(form["a"] == "")
        #expect(form["b"] == "")
        #expect(form["c"] == "1")
        #expect(form.values.count == 3)
    }

    @Test func malformedEscapesAreKeptAsTyped() {
        #expect(decode("a=100%&b=%zz&c=%4")["a"] == "100%")
        #expect(decode("b=%zz")["b"] == "%zz")
        #expect(decode("c=%4")["c"] == "%4")
    }

    @Test func invalidUTF8IsFlaggedNotStored() {
        let form = decode("nama_customer=%C3%28&telp_customer=0812")
        #expect(form.malformed == ["nama_customer"])
        #expect(BookingForm(form).malformed == [.nama])
    }

    /// PostgreSQL cannot hold a NUL (libpq would cut the value short, `text` refuses U+0000): the
    /// field is flagged, and its value never carries one, raw or `%00`, whoever reads it.
    @Test func aNULIsFlaggedAndNeverHandedOut() throws {
        let form = FormData(urlEncoded: Array("username=ri%00na&q=a".utf8) + [0] + Array("b&ok=x".utf8))
        #expect(form.malformed == ["username", "q"])
        #expect(form["username"] == "ri\u{FFFD}na")
        #expect(form["q"] == "a\u{FFFD}b")
        #expect(form["ok"] == "x")
        #expect(form.values.values.allSatisfy { !$0.unicodeScalars.contains("\0") })
        #expect(throws: RefusedValue(field: "q")) { try form.text("q") }
        #expect(try form.text("ok") == "x")
        #expect(try form.text("absent") == nil)
    }

    /// Numbers for an `integer` column: beyond its range PostgreSQL answers 22003, so they are
    /// refused here; absent or empty is no value.
    @Test func integersOutsideAnIntegerColumnsRangeAreRefused() throws {
        let form = decode("a=42&b=-7&c=&d=2147483647&e=2147483648&f=9999999999&g=abc&h=-2147483649&i=%00&j=99999999999999999999")
        #expect(try form.integer("a") == 42)
        #expect(try form.integer("b") == -7)
        #expect(try form.integer("c") == nil)
        #expect(try form.integer("absent") == nil)
        #expect(try form.integer("d") == 2_147_483_647)
        for name in ["e", "f", "g", "h", "i", "j"] {
            #expect(throws: RefusedValue(field: name), "\(name)") { try form.integer(name) }
        }
    }

    @Test func emptyBody() {
        #expect(decode("").values.isEmpty)
    }
}
