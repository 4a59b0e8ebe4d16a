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
        #expect(form.invalidUTF8 == ["nama_customer"])
        #expect(BookingForm(form).invalidUTF8 == [.nama])
    }

    @Test func emptyBody() {
        #expect(decode("").values.isEmpty)
    }
}
