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
}
