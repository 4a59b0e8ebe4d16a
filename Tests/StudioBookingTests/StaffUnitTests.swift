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

    static func hours(_ id: Int, _ name: String, _ opens: Int?, _ closes: Int?, closedDay: String? = nil) -> ScheduleStore.DayHours {
        ScheduleStore.DayHours(studioID: id, name: name, opens: opens, closes: closes, closedDay: closedDay)
    }

    /// What a timeline shows, line by line: `waktu name` for a session, `waktu -` for a free stretch.
    static func lines(_ items: [TimelineItem]) -> [String] {
        items.map { "\($0.waktu) \($0.session?.nama ?? "-")\($0.doubleBooked ? " !" : "")" }
    }

    @Test func sessionsAsBlocksAndTheFreeStretchesBetweenThemCollapsed() throws {
        let studios = [Self.hours(1, "Satu", 9, 21), Self.hours(2, "Dua", 9, 21)]
        let bookings = [
            try Self.booking(studio: 1, "A", jam: "10:00", kode: "CS-000001", hours: 3),
            try Self.booking(studio: 1, "B", jam: "14:00"),
            try Self.booking(studio: 1, "C", jam: "15:00", hours: 2),
            try Self.booking(studio: 7, "D", jam: "09:00"),  // a studio no longer active
        ]
        let days = StudioTimeline.day(bookings, studios: studios)
        #expect(days.map(\.name) == ["Satu", "Dua", "Studio 7"])
        #expect(Self.lines(days[0].items) == [
            "09.00–10.00 -", "10.00–13.00 A", "13.00–14.00 -", "14.00–15.00 B", "15.00–17.00 C", "17.00–21.00 -",
        ])
        #expect(days[0].items[1].spanClass == "span-3")
        #expect(days[0].items[1].session?.customerURL == "/staff/customers/CS-000001")
        #expect(days[0].items[1].session?.durasi == "3 jam")
        #expect(Self.lines(days[1].items) == ["09.00–21.00 -"])
        // No hours known for it: only its booking, no free stretch.
        #expect(Self.lines(days[2].items) == ["09.00–10.00 D"])
        #expect(days.allSatisfy { $0.note == nil })
    }

    /// Legacy rows can share an hour or sit under a session: both shown, both marked; a session
    /// past closing or a start off the hour shown where it falls.
    @Test func overlapsAndOddTimesAreShownAndMarked() throws {
        let studios = [Self.hours(1, "Satu", 9, 21)]
        let bookings = [
            try Self.booking(studio: 1, "Rekaman", jam: "10:00", hours: 3),
            try Self.booking(studio: 1, "Lama", jam: "11:00"),
            try Self.booking(studio: 1, "Ganjil", jam: "13:30"),
            try Self.booking(studio: 1, "Larut", jam: "20:00", hours: 3),
        ]
        let day = StudioTimeline.day(bookings, studios: studios)[0]
        #expect(Self.lines(day.items) == [
            "09.00–10.00 -", "10.00–13.00 Rekaman !", "11.00–12.00 Lama !", "13.00–13.30 -", "13.30–14.30 Ganjil",
            "14.30–20.00 -", "20.00–23.00 Larut",
        ])
    }

    /// A cancelled booking takes no time: listed apart, its hours free.
    @Test func aCancelledBookingIsListedApartAndFreesItsHours() throws {
        let studios = [Self.hours(1, "Satu", 9, 12)]
        let bookings = [
            try Self.booking(studio: 1, "Batal", jam: "10:00", hours: 2, cancelled: true),
            try Self.booking(studio: 1, "Baru", jam: "11:00"),
            try Self.booking(studio: 9, "Batal juga", jam: "09:00", cancelled: true),
        ]
        let days = StudioTimeline.day(bookings, studios: studios)
        #expect(days.map(\.name) == ["Satu"])
        #expect(Self.lines(days[0].items) == ["09.00–11.00 -", "11.00–12.00 Baru"])
        #expect(Self.lines(days[0].cancelled) == ["10.00–12.00 Batal"])
    }

    /// A weekday the studio is closed, or a closed day: said so, nothing free.
    @Test func aClosedStudioSaysWhy() throws {
        let studios = [Self.hours(1, "Satu", nil, nil), Self.hours(2, "Dua", nil, nil, closedDay: "Nyepi")]
        let days = StudioTimeline.day([try Self.booking(studio: 2, "Lama", jam: "10:00")], studios: studios)
        #expect(days.map(\.note) == ["Tutup hari ini", "Libur: Nyepi"])
        #expect(days[0].items.isEmpty)
        #expect(Self.lines(days[1].items) == ["10.00–11.00 Lama"])
    }
}
