import Testing
@testable import StudioBooking

@Suite struct PhoneTests {
    @Test(arguments: [
        ("+62 812-3456-789", "08123456789"),
        ("62 812 3456 789", "08123456789"),
        ("(0812) 3456.789", "08123456789"),
        ("08123456789", "08123456789"),
        ("+6281234500005", "081234500005"),
        ("0812-3450-0002", "081234500002"),
        (" 021 555 1234 ", "0215551234"),
        ("812345678", "812345678"),
    ])
    func normalizes(raw: String, expected: String) {
        #expect(Phone.normalize(raw) == expected)
    }

    @Test(arguments: ["", "   ", "-", "abc", "+()"])
    func noDigitsIsNoPhone(raw: String) {
        #expect(Phone.normalize(raw) == nil)
    }

    @Test func nonASCIIDigitsAreNotDigits() {
        #expect(Phone.normalize("٠٨١٢٣٤٥٦٧٨٩") == nil)
    }

    /// `wa.me` and gateways want the country code first (STUDIO_WHATSAPP).
    @Test(arguments: [
        ("0812-3456-7890", "6281234567890"), ("+62 812 3456 7890", "6281234567890"), ("62812345678", "62812345678"),
        ("(021) 555 1234", "62215551234"),
    ])
    func international(raw: String, expected: String) {
        #expect(Phone.international(raw) == expected)
    }

    @Test(arguments: ["", "0812", "812345678901", "0812 3456 7890 1234 5", "0812-3456-7890 ext 2", "wa.me/62812"])
    func notANumberAPersonCouldBeReachedAt(raw: String) {
        #expect(Phone.international(raw) == nil)
    }
}
