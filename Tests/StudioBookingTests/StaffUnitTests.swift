import Foundation
import HTTPMessages
import Postgres
import Testing
import _CryptoExtras
@testable import StudioBooking

@Suite struct CustomerSearchTests {
    @Test(arguments: [
        ("", "", ""),
        ("  Siti  ", "Siti", ""),
        ("+62 812-3450", "+62 812-3450", "08123450"),
        ("(0812) 3450.0008", "(0812) 3450.0008", "081234500008"),
        ("812345", "812345", "812345"),
        ("12", "12", ""),  // too few digits to be a phone search
        ("CS-000123", "CS-000123", ""),  // letters: a code, not a phone
        ("siti@example.com", "siti@example.com", ""),
    ])
    func reads(raw: String, text: String, phone: String) {
        let search = CustomerSearch(raw)
        #expect(search.text == text)
        #expect(search.phone == phone)
    }

    @Test(arguments: [
        ("+62 812-3456-789", CustomerSearch.Exact.phone("08123456789")),
        ("62 812 3456 789", .phone("08123456789")),
        ("(0812) 3456.789", .phone("08123456789")),
        ("0812-3456-7890-123", .phone("081234567890123")),
        ("cs-000123", .code("CS-000123")),
        (" CS-1234567 ", .code("CS-1234567")),
    ])
    func aWholePhoneOrCodeIsExact(raw: String, exact: CustomerSearch.Exact) {
        #expect(CustomerSearch(raw).exact == exact)
    }

    @Test(arguments: ["", "0812 3450", "812345678901", "0812345678901234", "CS-0001", "CS-000123x", "Siti 08123456789", "siti@example.com"])
    func aPartIsNotExact(raw: String) {
        #expect(CustomerSearch(raw).exact == nil)
    }

    @Test func longTextIsCut() {
        #expect(CustomerSearch(String(repeating: "a", count: 500)).text.count == CustomerSearch.maxLength)
    }

    @Test func patterns() {
        #expect(CustomerSearch("").patterns == [])
        #expect(CustomerSearch("Siti").patterns == ["%Siti%"])
        #expect(CustomerSearch("ab").patterns == ["ab%", "% ab%"])
        #expect(CustomerSearch("+62 812-3450").patterns == ["%+62 812-3450%", "%08123450%"])
        #expect(CustomerSearch("50%").patterns == ["%50\\%%"])
    }

    @Test func likePatternsEscapeTheirWildcards() {
        #expect("siti".likeContaining == "%siti%")
        #expect("100%_a\\b".likeContaining == "%100\\%\\_a\\\\b%")
    }
}

@Suite struct CSVTests {
    @Test func quotesWhatNeedsQuotingAndDefusesFormulas() {
        var csv = CSV(header: ["a", "b"])
        csv.append(["plain", nil])
        csv.append(["with, comma", "with \"quote\""])
        csv.append(["line\nbreak", "=HYPERLINK(\"x\")"])
        csv.append(["+62 812", "-5"])
        csv.append(["@sum", "Jl. Ä, Bandung"])
        let lines = [
            "a,b", "plain,", #""with, comma","with ""quote""""#, "\"line\nbreak\",\"'=HYPERLINK(\"\"x\"\")\"",
            "'+62 812,'-5", #"'@sum,"Jl. Ä, Bandung""#,
        ]
        #expect(String(decoding: csv.bytes, as: UTF8.self) == "\u{FEFF}" + lines.map { $0 + "\r\n" }.joined())
        #expect(Array(csv.bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    /// Taken in pieces, the document is the same bytes, the byte order mark once at its start.
    @Test func piecesTakenMakeTheWholeDocument() {
        var csv = CSV(header: ["a"])
        var pieces = csv.take()
        csv.append(["x"])
        pieces += csv.take()
        #expect(csv.take() == [])
        csv.append(["y"])
        pieces += csv.take()
        #expect(String(decoding: pieces, as: UTF8.self) == "\u{FEFF}a\r\nx\r\ny\r\n")
    }

    @Test(arguments: [
        "=1+1", "+62 812", "-5", "@sum", "\t=1", "\r=1",
        // Full-width and small forms.
        "\u{FF1D}1+1", "\u{FF0B}1", "\u{FF0D}1", "\u{FF20}sum", "\u{FE66}1",
        // After what does not show: white space, zero-width space and joiners, a BOM, direction marks, a Hangul filler.
        " =1+1", "\u{200B}=HYPERLINK(\"x\")", "\u{200C}\u{200D}+1", "\u{FEFF}@sum", "\u{200E}\u{202E}-1", "\u{2060}=1",
        "\u{00A0}\u{3000}=1", "\u{3164}=1", "\u{00AD}=1",
    ])
    func formulasAreDefused(cell: String) {
        #expect(CSV.readsAsFormula(cell))
        var csv = CSV(header: [])
        _ = csv.take()
        csv.append([cell])
        // Bytes, not characters: a joiner after the apostrophe joins it into one character.
        #expect(csv.bytes.starts(with: Array("'".utf8)) || csv.bytes.starts(with: Array("\"'".utf8)))
    }

    @Test(arguments: ["", "Siti", "08123456789", "a=b", "x-1", "\u{200B}", "\u{200B}Siti", "Jl. @Bandung", "ＡＢ"])
    func textStaysAsItIs(cell: String) {
        #expect(!CSV.readsAsFormula(cell))
    }
}

@Suite struct PasswordTests {
    @Test func anArgon2idHashVerifiesItsPasswordOnly() throws {
        let stored = try Password.hash("rahasia-staf")
        #expect(Password.verify("rahasia-staf", against: stored))
        #expect(!Password.verify("rahasia-stag", against: stored))
        #expect(!Password.verify("", against: stored))
        // Salted: the same password never hashes the same way twice.
        #expect(try Password.hash("rahasia-staf") != stored)
        #expect(!Password.needsRehash(stored))
    }

    /// What an account stores is libsodium's argon2id string with the INTERACTIVE limits
    /// (64 MiB, 2 passes), read back from the string itself rather than trusted.
    @Test func theStoredFormIsArgon2idInteractive() throws {
        let stored = try StaffAccount.hash("rahasia-staf")
        #expect(stored.hasPrefix("$argon2id$v=19$m=65536,t=2,p=1$"))
        #expect(!stored.contains("rahasia"))
    }

    @Test func aPBKDF2HashStillVerifiesAndAsksToBeReplaced() {
        let stored = PBKDF2.hash("rahasia-staf", rounds: 1000)
        #expect(stored.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(Password.verify("rahasia-staf", against: stored))
        #expect(!Password.verify("rahasia-stag", against: stored))
        #expect(Password.needsRehash(stored))
    }

    /// Weaker argon2id limits than today's (an older setting) are replaced too.
    @Test func argon2idWithOtherLimitsAsksToBeReplaced() {
        let weaker = "$argon2id$v=19$m=8192,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$qj3T0nQ0p0bd2cGYd8pW8f2nB0gI2p1Q3VZ8g4QyqWk"
        #expect(Password.needsRehash(weaker))
    }

    @Test(arguments: [
        "", "plain", "pbkdf2-sha256$x$AAAA$AAAA", "md5$1000$AAAA$AAAA", "pbkdf2-sha256$1000$!!$!!", "$argon2id$",
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$AAAA", "$argon2id$v=19$m=65536,t=2,p=1$!!$!!",
    ])
    func unreadableStoredValuesMatchNothing(stored: String) {
        #expect(!Password.verify("anything", against: stored))
        #expect(!Password.verify("", against: stored))
    }

    /// A PBKDF2 hash made before argon2id, derived again here from its stored salt: the format
    /// the old accounts hold is the one still read.
    @Test func theOldFormatIsOWASPsPBKDF2() throws {
        let stored = PBKDF2.hash("rahasia-staf", rounds: 600_000)
        let parts = stored.split(separator: "$").map(String.init)
        try #require(parts.count == 4)
        #expect(parts[0] == "pbkdf2-sha256")
        #expect(parts[1] == "600000")
        let salt = try #require(Data(base64Encoded: parts[2]))
        #expect(salt.count == 16)
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array("rahasia-staf".utf8), salt: salt, using: .sha256, outputByteCount: 32,
            unsafeUncheckedRounds: 600_000)
        #expect(key.withUnsafeBytes { Data($0) } == Data(base64Encoded: parts[3]))
    }
}

@Suite struct StaffAccountTests {
    @Test func usernames() {
        #expect(StaffAccount.isValid(username: "admin"))
        #expect(StaffAccount.isValid(username: "rina.s@studio-1"))
        #expect(!StaffAccount.isValid(username: ""))
        #expect(!StaffAccount.isValid(username: "two words"))
        #expect(!StaffAccount.isValid(username: String(repeating: "a", count: 51)))
    }

    @Test func passwords() {
        #expect(StaffAccount.problem(password: "rahasia1") == nil)
        #expect(StaffAccount.problem(password: "short") != nil)
        #expect(StaffAccount.problem(password: "tab\tin-the-middle") != nil)
    }
}

@Suite struct StaffSessionTests {
    @Test func readsOnlyAWellFormedToken() {
        let token = RandomID.make()
        let request = Request(method: .get, path: "/staff/customers", headerFields: [.cookie: "sb_visitor=x; sb_staff=\(token)"])
        #expect(StaffSession(request)?.token == token)
        #expect(StaffSession(Request(method: .get, path: "/", headerFields: [.cookie: "sb_staff=abc"])) == nil)
        #expect(StaffSession(Request(method: .get, path: "/")) == nil)
    }

    @Test func theCookieIsHttpOnlyAndLax() {
        let cookie = StaffSession.new().setCookie(overHTTPS: false)
        #expect(cookie.contains("; HttpOnly"))
        #expect(cookie.contains("; SameSite=Lax"))
        #expect(cookie.contains("; Path=/staff"))
        #expect(!cookie.contains("Secure"))
        #expect(StaffSession.new().setCookie(overHTTPS: true).hasSuffix("; Secure"))
    }

    /// The database's key is the token's SHA-256 in lower-case hex, checked against digests made
    /// elsewhere: FIPS 180-2's example for "abc", and `sha256sum` for a token of the real shape.
    @Test func theStoredKeyIsAHashNotTheToken() {
        #expect(StaffSession(token: "abc").tokenHash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let token = "0123456789abcdef0123456789abcdef"
        #expect(StaffSession(token: token).tokenHash == "3eb1bd439947eb762998e566ccc2e099c791118b2f40579cc4f7da2b5061b7f9")
        let session = StaffSession.new()
        #expect(session.tokenHash.count == 64)
        #expect(!session.tokenHash.contains(session.token))
        #expect(session.tokenHash != StaffSession.new().tokenHash)
    }
}

@Suite struct DayScheduleTests {
    static func booking(
        studio: Int, _ name: String, jam: String, kode: String? = nil, hours: Int = 1, cancelled: Bool = false
    ) throws -> CustomerMasterStore.Booking {
        try CustomerMasterStore.Booking(
            Postgres.Row(columns: [
                String(studio), "Studio \(studio)", "2026-12-01", jam, name, "0812", nil, kode, nil, "2026-11-30 10:00",
                String(hours), cancelled ? "t" : "f", "1", nil,
            ]))
    }

    @Test func everySlotOfEveryStudioWithItsBookings() throws {
        let studios = [BookingStore.Studio(id: 1, name: "Satu"), BookingStore.Studio(id: 2, name: "Dua")]
        let bookings = [
            try Self.booking(studio: 1, "A", jam: "10:00", kode: "CS-000001"),
            try Self.booking(studio: 1, "B", jam: "10:00"),  // a legacy double booking
            try Self.booking(studio: 1, "C", jam: "13:30"),  // outside today's slots
            try Self.booking(studio: 7, "D", jam: "09:00"),  // a studio no longer listed
        ]
        let days = StudioDayView.schedule(bookings, studios: studios, slots: ["09:00", "10:00", "11:00"])
        #expect(days.map(\.name) == ["Satu", "Dua", "Studio 7"])
        #expect(days[0].slots.map(\.jam) == ["09:00", "10:00", "11:00", "13:30"])
        #expect(days[0].slots[1].bookings.map(\.nama) == ["A", "B"])
        #expect(days[0].slots[1].doubleBooked)
        #expect(days[0].slots[1].bookings[0].customerURL == "/staff/customers/CS-000001")
        #expect(days[0].slots[0].bookings.isEmpty)
        #expect(days[1].slots.allSatisfy { $0.bookings.isEmpty })
        #expect(days[2].slots[0].bookings.map(\.nama) == ["D"])
    }

    /// A session of several hours fills each of its rows, the later ones marked as continuing; a
    /// session past the last row of the day adds rows of its own.
    @Test func aLongSessionFillsEveryHourItCovers() throws {
        let studios = [BookingStore.Studio(id: 1, name: "Satu")]
        let bookings = [
            try Self.booking(studio: 1, "Rekaman", jam: "10:00", kode: "CS-000001", hours: 3),
            try Self.booking(studio: 1, "Lama", jam: "11:00"),  // a legacy row under the session: both shown, marked
            try Self.booking(studio: 1, "Larut", jam: "20:00", hours: 3),
        ]
        let day = StudioDayView.schedule(bookings, studios: studios, slots: (9...20).map(StudioDay.label))[0]
        let rows = Dictionary(uniqueKeysWithValues: day.slots.map { ($0.jam, $0) })
        #expect(day.slots.map(\.jam) == (9...22).map(StudioDay.label))
        #expect(rows["09:00"]!.bookings.isEmpty)
        #expect(rows["10:00"]!.bookings.map(\.nama) == ["Rekaman"])
        #expect(rows["10:00"]!.bookings[0].continuing == false)
        #expect(rows["10:00"]!.bookings[0].sesi == "10:00–13:00 (3 jam)")
        #expect(rows["11:00"]!.bookings.map(\.nama) == ["Rekaman", "Lama"])
        #expect(rows["11:00"]!.bookings.map(\.continuing) == [true, false])
        #expect(rows["11:00"]!.doubleBooked)
        #expect(rows["12:00"]!.bookings.map(\.continuing) == [true])
        #expect(!rows["12:00"]!.doubleBooked)
        #expect(rows["12:00"]!.bookings[0].customerURL == "/staff/customers/CS-000001")
        #expect(rows["13:00"]!.bookings.isEmpty)
        #expect(rows["21:00"]!.bookings.map(\.nama) == ["Larut"])
        #expect(rows["22:00"]!.bookings[0].sesi == "20:00–23:00 (3 jam)")
        #expect(rows["23:00"] == nil)
    }

    /// A cancelled booking frees its hours: neither its rows nor its studio show it.
    @Test func aCancelledBookingTakesNoRow() throws {
        let studios = [BookingStore.Studio(id: 1, name: "Satu")]
        let bookings = [
            try Self.booking(studio: 1, "Batal", jam: "10:00", hours: 2, cancelled: true),
            try Self.booking(studio: 1, "Baru", jam: "11:00"),
            try Self.booking(studio: 9, "Batal juga", jam: "09:00", cancelled: true),
        ]
        let days = StudioDayView.schedule(bookings, studios: studios, slots: ["09:00", "10:00", "11:00"])
        #expect(days.map(\.name) == ["Satu"])
        #expect(days[0].slots.map { $0.bookings.map(\.nama) } == [[], [], ["Baru"]])
        #expect(days[0].slots.allSatisfy { !$0.doubleBooked })
    }
}
