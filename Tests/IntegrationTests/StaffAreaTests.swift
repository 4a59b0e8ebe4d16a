import HTTPMessages
import HTTPTypes
import Foundation
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// The staff area (docs/behaviour.md: The staff area) through the router, against a real PostgreSQL: sign-in and
/// sessions, the customer master and its search, a customer's history, a day's bookings, the CSV.
@Suite(.needs(.database))
struct StaffAreaTests {
    static let password = "rahasia-staf-1"

    /// The legacy installation, a staff account, and a browser-like client on it (not signed in).
    static func legacyStudio() throws -> (TestDatabase, BookingClient, StaffClient) {
        let database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        _ = try StaffStore.setPassword(
            try database.connect(), username: "rina", passwordHash: try StaffAccount.hash(password))
        let client = try BookingClient(database: database)
        return (database, client, StaffClient(client.app.makeResponder()))
    }

    static func signedIn() throws -> (TestDatabase, BookingClient, StaffClient) {
        var (database, client, staff) = try legacyStudio()
        let answer = staff.signIn("rina", password)
        #expect(answer.status == 303)
        return (database, client, staff)
    }

    /// The customer codes in a list page, in order.
    static func codes(_ page: Response) -> [String] {
        page.text.matches(of: /<td class="kode-cs"[^>]*><a href="[^"]*">([^<]*)<\/a>/).map { String($0.1) }
    }

    // MARK: - Sign-in and sessions

    @Test func signInSignOut() throws {
        var (_, client, staff) = try Self.legacyStudio()
        let answer = staff.signIn("rina", Self.password)
        #expect(answer.status == 303)
        #expect(answer.header("Location") == "/staff/customers")
        let cookie = try #require(answer.headerFields[values: .setCookie].first { $0.hasPrefix("sb_staff=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
        #expect(staff.get("/staff/customers").status == 200)
        #expect(staff.get("/staff/login").header("Location") == "/staff/customers")
        #expect(client.log().contains(" info Staff signed in: rina\n"))

        let session = try #require(staff.cookies["sb_staff"])
        let out = staff.signOut()
        #expect(out.status == 303)
        #expect(out.header("Location") == "/staff/login")
        #expect(staff.get("/staff/customers").status == 303)
        // The old cookie, replayed, is worth nothing once signed out.
        var replay = StaffClient(client.app.makeResponder())
        let replayed = replay.send(
            Request(method: .get, path: "/staff/customers", headerFields: [.cookie: "sb_staff=\(session)"]))
        #expect(replayed.status == 303)
    }

    @Test func wrongCredentialsAre401WithTheNameKeptAndThePasswordNot() throws {
        var (_, client, staff) = try Self.legacyStudio()
        for (username, password) in [("rina", "salah-sekali"), ("nobody", Self.password), ("rina", "")] {
            let answer = staff.signIn(username, password)
            #expect(answer.status == 401, "\(username)")
            #expect(answer.text.contains("Nama pengguna atau kata sandi salah."))
            #expect(answer.text.contains("value=\"\(username)\""))
            #expect(password.isEmpty || !answer.text.contains(password))
            #expect(staff.cookies["sb_staff"] == nil)
        }
        #expect(!client.log().contains("salah-sekali"))
        #expect(!client.log().contains(Self.password))
    }

    @Test func signInWithoutTheFormsTokenIs403() throws {
        var (_, _, staff) = try Self.legacyStudio()
        _ = staff.get("/staff/login")
        let answer = staff.post("/staff/login", ["username": "rina", "password": Self.password, "csrf_token": "00"])
        #expect(answer.status == 403)
        #expect(staff.cookies["sb_staff"] == nil)
    }

    @Test func signOutNeedsTheFormsToken() throws {
        var (_, _, staff) = try Self.signedIn()
        #expect(staff.post("/staff/logout", ["csrf_token": "00"]).status == 403)
        #expect(staff.get("/staff/customers").status == 200)
    }

    @Test func aNewPasswordEndsEverySessionAndAnExpiredOneIsRefused() throws {
        let (database, client, first) = try Self.signedIn()
        var staff = first
        _ = try StaffStore.setPassword(try database.connect(), username: "rina", passwordHash: try StaffAccount.hash("baru-lagi-123"))
        #expect(staff.get("/staff/customers").status == 303)
        #expect(staff.signIn("rina", Self.password).status == 401)
        #expect(staff.signIn("rina", "baru-lagi-123").status == 303)
        #expect(staff.get("/staff/customers").status == 200)
        try database.connect().execute("UPDATE staff_session SET expires_at = now() - interval '1 second'")
        #expect(staff.get("/staff/customers").status == 303)
        _ = client
    }

    @Test func theDatabaseKeepsNoPasswordAndNoToken() throws {
        let (database, _, staff) = try Self.signedIn()
        let stored = try #require(try database.scalar("SELECT password_hash FROM staff_account WHERE username = 'rina'"))
        #expect(stored.hasPrefix("$argon2id$v=19$"))
        #expect(!stored.contains(Self.password))
        let token = try #require(staff.cookies["sb_staff"])
        #expect(try database.count("staff_session") == 1)
        #expect(try database.scalar("SELECT count(*) FROM staff_session WHERE token_hash = $1", [token]) == "0")
        // What it keeps is the token's SHA-256, as PostgreSQL computes it.
        #expect(try database.scalar(
            "SELECT count(*) FROM staff_session WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')", [token]) == "1")
    }

    // MARK: - The customer master

    @Test func theListShowsEveryColumnNewestFirst() throws {
        var (_, client, staff) = try Self.signedIn()
        #expect(client.book(BookingClient.fields(["email_customer": "JOHN@Email.com"])).status == 303)
        let page = staff.get("/staff/customers")
        #expect(page.status == 200)
        // Newest first is by id, not by code: the fixture's codes are out of order.
        #expect(Self.codes(page) == [
            "CS-000064", "CS-000018", "CS-000021", "CS-000017", "CS-000004", "CS-000008", "CS-000014", "CS-000063",
            "CS-000006", "CS-000005", "CS-000003", "CS-000002", "CS-000011",
        ])
        let row = try #require(page.text.firstMatch(of: /<tr><td class="kode-cs" data-label="Kode"><a href="\/staff\/customers\/CS-000064">.*<\/tr>/))
        let cells = row.0.matches(of: /<td[^>]*>(.*?)<\/td>/).map { String($0.1) }
        #expect(cells.dropFirst() == [
            "John Doe", "Laki-laki", "08123456789", "john@email.com", "Jl. Contoh No. 123, Jakarta", "Studio Anggrek",
            "\(BookingClient.shown(BookingClient.date(daysAhead: 3))) 10.00", "1", "0",
        ])
    }

    @Test(arguments: [
        ("Larasati", ["CS-000004", "CS-000011"]),
        ("larasati wib", ["CS-000004", "CS-000011"]),
        ("+62 857-1111-0002", ["CS-000002"]),  // stored as 0857-1111-0002
        ("0857 1111 0003", ["CS-000003"]),  // stored as +62 857 1111 0003
        ("6285711110006", ["CS-000006"]),
        ("1111.0008", ["CS-000008"]),  // stored as (0857) 1111.0008
        ("CS-000063", ["CS-000063"]),
        ("cs-00000", ["CS-000004", "CS-000008", "CS-000006", "CS-000005", "CS-000003", "CS-000002"]),
        ("%", []),  // a wildcard typed is a character searched for
        ("tidak ada", []),
    ])
    func search(q: String, expected: [String]) throws {
        var (_, _, staff) = try Self.signedIn()
        let page = staff.get("/staff/customers?q=\(q.urlEncodedForTest)")
        #expect(page.status == 200)
        #expect(Self.codes(page) == expected, "q=\(q)")
        if expected.isEmpty { #expect(page.text.contains("Tidak ada customer yang cocok")) }
    }

    @Test func searchFindsAnEmailTheBookingAdded() throws {
        var (_, client, staff) = try Self.signedIn()
        let fields = BookingClient.fields(["telp_customer": "0857-1111-0063", "email_customer": "Intan.Permata@Contoh.co.id"])
        #expect(client.book(fields).status == 303)
        #expect(Self.codes(staff.get("/staff/customers?q=permata%40contoh")) == ["CS-000063"])
    }

    @Test func legacyBookingsCountForTheCustomerMatchingWouldPick() throws {
        var (_, _, staff) = try Self.signedIn()
        // Larasati's legacy booking (no kode_cs) has the phone of CS-000011 (id 1) and CS-000004
        // (id 9): it is the smaller id's, as the matching would decide, though its code is larger.
        let first = staff.get("/staff/customers/CS-000011")
        #expect(first.status == 200)
        #expect(first.text.contains("<dt>Jumlah booking</dt><dd>1</dd>"))
        #expect(first.text.contains(
            /<td class="when" data-label="Tanggal"><a href="\/staff\/bookings\/[0-9]+">Jum, 14 Feb 2025<\/a><\/td><td data-label="Jam">10.00<\/td><td data-label="Studio">Studio Anggrek<\/td><td data-label="Nama saat booking">Larasati Wibowo<\/td>/))
        let duplicate = staff.get("/staff/customers/CS-000004")
        #expect(duplicate.text.contains("<dt>Jumlah booking</dt><dd>0</dd>"))
        #expect(duplicate.text.contains("Belum ada booking."))
    }

    @Test func aCustomersHistoryHasEveryBookingNewestFirst() throws {
        var (_, client, staff) = try Self.signedIn()
        for days in [5, 2, 9] {
            #expect(client.book(BookingClient.fields(days: days, ["telp_customer": "+62 857 1111 0003"])).status == 303)
        }
        let page = staff.get("/staff/customers/CS-000003")
        #expect(page.text.contains("<dt>Jumlah booking</dt><dd>4</dd>"))
        let dates = page.text.matches(of: /<tr><td class="when" data-label="Tanggal">(?:<a href="[^"]*">)?([^<]+)</).map { String($0.1) }
        #expect(dates == ([9, 5, 2].map { BookingClient.date(daysAhead: $0) } + ["2025-04-19"]).map(BookingClient.shown))
        // When a booking was made, in the studios' time (Asia/Jakarta), not the database's.
        let made = try #require(page.text.firstMatch(of: /data-label="Dibuat">([^<]+)</).map { String($0.1) })
        let jakarta = DateFormatter()
        jakarta.locale = Locale(identifier: "en_US_POSIX")
        jakarta.timeZone = TimeZone(identifier: "Asia/Jakarta")
        jakarta.dateFormat = "HH.mm"
        let now = Date()
        #expect([now, now.addingTimeInterval(-60)].map { jakarta.string(from: $0) }.contains { made.hasSuffix(" " + $0) }, "\(made)")
        #expect(staff.get("/staff/customers/CS-999999").status == 404)
        #expect(staff.get("/staff/customers/%E2%80%AE").status == 404)
    }

    @Test func keysetPagesCoverEveryCustomerOnce() throws {
        var (database, _, staff) = try Self.signedIn()
        try database.connect().execute(
            """
            INSERT INTO customer (kode_cs, nama_cs, telp)
            SELECT 'CS-' || lpad((100 + n)::text, 6, '0'), 'Paged ' || n, '0899' || lpad(n::text, 7, '0')
            FROM generate_series(1, 120) n
            """)
        var seen: [String] = []
        var path: String? = "/staff/customers"
        var pages = 0
        while let next = path {
            let page = staff.get(next)
            #expect(page.status == 200)
            seen += Self.codes(page)
            path = page.text.firstMatch(of: /<a href="([^"]*)" rel="next">/).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
            pages += 1
        }
        // The fixture's 12 customers and the 120 paged ones.
        #expect(pages == 3)
        #expect(seen.count == 132)
        #expect(Set(seen).count == 132)
        // Searching pages the same way, keeping the search.
        let searched = staff.get("/staff/customers?q=paged")
        #expect(Self.codes(searched).count == 50)
        #expect(searched.text.contains("q=paged&amp;after="))
    }

    @Test func theCSVHasTheListsRowsAndHeader() throws {
        var (_, client, staff) = try Self.signedIn()
        #expect(client.book(BookingClient.fields(["nama_customer": "=cmd|' /C calc'!A0, \"Tuan\""])).status == 303)
        let all = staff.get("/staff/customers.csv")
        #expect(all.status == 200)
        #expect(all.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(all.header("Content-Disposition")?.contains("attachment") == true)
        let lines = all.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        // Sent in pieces (a keyset page each), after a byte order mark.
        #expect(all.stream != nil)
        #expect(lines.first == "\u{FEFF}kode_cs,nama_cs,jenis_kelamin,telp,email,alamat,studio,tanggal_booking,jumlah_booking")
        #expect(lines.count == 14)
        #expect(lines[1].hasPrefix(#"CS-000064,"'=cmd|' /C calc'!A0, ""Tuan""",Laki-laki,08123456789,john@email.com,"#))
        #expect(lines.contains("CS-000011,Larasati Wibowo,Perempuan,085711110011,,\"Jl. Cempaka Putih 3, Malang\",Studio Anggrek,2025-02-14 10:00,1"))
        let searched = staff.get("/staff/customers.csv?q=joko")
        #expect(searched.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
    }

    @Test func userTextIsEscapedOnEveryPage() throws {
        var (_, client, staff) = try Self.signedIn()
        let hostile = "<script>alert(1)</script>"
        #expect(client.book(BookingClient.fields(["nama_customer": hostile, "alamat_customer": hostile])).status == 303)
        for path in ["/staff/customers", "/staff/customers/CS-000064", "/staff/bookings?tanggal=\(BookingClient.date(daysAhead: 3))",
                     "/staff/customers?q=%3Cscript%3E"] {
            let page = staff.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(!page.text.contains(hostile), "\(path)")
            #expect(page.text.contains("&lt;script&gt;"), "\(path)")
        }
    }

    // MARK: - The search index (migration 011)

    /// The trigram index a search reads, for one customer: nil when it has no row there.
    static func indexed(_ database: TestDatabase, _ kodeCS: String) throws -> String? {
        try database.scalar(
            "SELECT f.search_text FROM customer_search f JOIN customer c USING (id_customer) WHERE c.kode_cs = $1", [kodeCS])
    }

    @Test func aBookingOnlyNotesItsCustomerAndTheSearchTakesTheNoteIn() throws {
        var (database, client, staff) = try Self.signedIn()
        // The migration indexed every customer the older system had.
        #expect(try database.count("customer_search") == (try database.count("customer")))
        #expect(try database.count("customer_search_stale") == 0)
        let fields = BookingClient.fields(
            ["nama_customer": "Wulan Sari", "telp_customer": "+62 813-7777-0001", "email_customer": "Wulan@Contoh.id"])
        #expect(client.book(fields).status == 303)
        // Inside the booking's transaction: one note, no trigram.
        #expect(try Self.indexed(database, "CS-000064") == nil)
        #expect(try database.count("customer_search_stale") == 1)
        #expect(Self.codes(staff.get("/staff/customers?q=wulan")) == ["CS-000064"])
        #expect(try Self.indexed(database, "CS-000064") == "cs-000064 wulan sari wulan@contoh.id 081377770001")
        #expect(try database.count("customer_search_stale") == 0)
        // A returning customer's booking that changes nothing searched notes nothing.
        #expect(client.book(BookingClient.fields(
            days: 4, ["nama_customer": "Wulan Sari", "telp_customer": "081377770001", "email_customer": "wulan@contoh.id"])).status == 303)
        #expect(try database.count("customer_search_stale") == 0)
    }

    @Test func whatAnOlderSystemWritesIsSearchedAsItIsNow() throws {
        var (database, _, staff) = try Self.signedIn()
        let db = try database.connect()
        try db.execute("INSERT INTO customer (kode_cs, nama_cs, telp) VALUES ('LG-77', 'Ratna Kartika', '0815 1234 9999')")
        try db.execute("UPDATE customer SET nama_cs = 'Puspitasari' WHERE kode_cs = 'CS-000004'")
        try db.execute("UPDATE customer SET alamat = 'Jl. Baru' WHERE kode_cs = 'CS-000014'")
        try db.execute("DELETE FROM customer WHERE kode_cs = 'CS-000008'")
        // Three notes: the address is not searched, so its change notes nothing.
        #expect(try database.count("customer_search_stale") == 3)
        #expect(Self.codes(staff.get("/staff/customers?q=kartika")) == ["LG-77"])
        #expect(Self.codes(staff.get("/staff/customers?q=%2B62%20815-1234-9999")) == ["LG-77"])
        #expect(Self.codes(staff.get("/staff/customers?q=puspitasari")) == ["CS-000004"])
        #expect(Self.codes(staff.get("/staff/customers?q=wibowo")) == ["CS-000011"])
        #expect(Self.codes(staff.get("/staff/customers?q=fajar")) == [])
        #expect(try Self.indexed(database, "CS-000004") == "cs-000004 puspitasari  085711110011")
        #expect(try database.count("customer_search") == (try database.count("customer")))
        #expect(try database.count("customer_search_stale") == 0)
        // Emptied, the customer master empties its index too.
        try db.execute("TRUNCATE customer")
        #expect(try database.count("customer_search") == 0)
    }

    /// A name many share fills its page from the newest customers' stored search texts alone,
    /// without the trigram index: those texts are brought up to date before they are read, so a
    /// change an older system made a moment ago decides there too, both ways.
    @Test func aPageFilledByTheNewestCustomersSeesAChangeNotYetTakenIn() throws {
        var (database, _, staff) = try Self.signedIn()
        let db = try database.connect()
        try db.execute(
            """
            INSERT INTO customer (kode_cs, nama_cs, telp)
            SELECT 'CS-' || lpad((100 + n)::text, 6, '0'), 'Sari ' || n, '0899' || lpad(n::text, 7, '0')
            FROM generate_series(1, 60) n
            """)
        try db.execute("INSERT INTO customer (kode_cs, nama_cs, telp) VALUES ('CS-000200', 'Tono', '0899 9999 000')")
        #expect(Self.codes(staff.get("/staff/customers?q=sari")).first == "CS-000160")
        #expect(try database.count("customer_search_stale") == 0)

        try db.execute("UPDATE customer SET nama_cs = 'Sari Baru' WHERE kode_cs = 'CS-000200'")
        #expect(try database.count("customer_search_stale") == 1)
        let renamed = Self.codes(staff.get("/staff/customers?q=sari"))
        #expect(renamed.count == 50)
        #expect(renamed.first == "CS-000200")

        try db.execute("UPDATE customer SET nama_cs = 'Tono' WHERE kode_cs = 'CS-000200'")
        let back = Self.codes(staff.get("/staff/customers?q=sari"))
        #expect(back.count == 50)
        #expect(back.first == "CS-000160")
    }

    @Test func aRefreshThatFindsAnotherRunningSkipsItsTurn() throws {
        let (database, _, _) = try Self.legacyStudio()
        try database.connect().execute("UPDATE customer SET nama_cs = 'Nama Baru' WHERE kode_cs = 'CS-000002'")
        let holder = try database.connect()
        try holder.execute("BEGIN")
        #expect(try holder.query("SELECT sb_customer_search_refresh(true, NULL)").decode(Int?.self) == [1])
        let other = try database.connect()
        #expect(try other.query("SELECT sb_customer_search_refresh(false, NULL)").decode(Int?.self) == [nil])
        try holder.execute("COMMIT")
        #expect(try other.query("SELECT sb_customer_search_refresh(false, NULL)").decode(Int?.self) == [0])
        #expect(try Self.indexed(database, "CS-000002") == "cs-000002 nama baru  085711110002")
    }

    @Test func aRefreshTakesAtMostItsLimitOfNotes() throws {
        let (database, _, _) = try Self.legacyStudio()
        let db = try database.connect()
        try db.execute("UPDATE customer SET nama_cs = nama_cs || ' X'")
        let notes = try database.count("customer_search_stale")
        #expect(notes == (try database.count("customer")))
        #expect(try db.query("SELECT sb_customer_search_refresh(false, 4)").decode(Int?.self) == [4])
        #expect(try database.count("customer_search_stale") == notes - 4)
        #expect(try database.scalar("SELECT count(*) FROM customer_search WHERE search_text LIKE '% x %'") == "4")
        #expect(try db.query("SELECT sb_customer_search_refresh(false, NULL)").decode(Int?.self) == [notes - 4])
        #expect(try database.scalar("SELECT count(*) FROM customer_search WHERE search_text LIKE '% x %'") == String(notes))
    }

    @Test func aRefresherTurnTakesInTheWholeBacklogAChunkAtATime() throws {
        let (database, _, _) = try Self.legacyStudio()
        let before = try database.count("customer_search_stale")
        let added = SearchRefresher.chunk * 2 + 50
        try database.connect().execute(
            "INSERT INTO customer (kode_cs, nama_cs) SELECT 'LG-' || i, 'Lama ' || i FROM generate_series(1, \(added)) AS i")
        #expect(SearchRefresher.turn(Database(url: database.url)) == before + added)
        #expect(try database.count("customer_search_stale") == 0)
        #expect(try database.scalar("SELECT count(*) FROM customer_search WHERE search_text LIKE 'lg-%'") == String(added))
    }

    @Test func emptyingTheNotesLeavesTheirPagesForTheNextOnes() throws {
        // A vacuum that cut the empty pages off would lock the notes table, and so every booking's
        // note, while it did (migration 011: vacuum_truncate off).
        let (database, _, _) = try Self.legacyStudio()
        let db = try database.connect()
        try db.execute("UPDATE customer SET nama_cs = nama_cs || ' X'")
        try CustomerMasterStore.refreshSearch(db, wait: true)
        let size = try database.scalar("SELECT pg_relation_size('customer_search_stale')")
        #expect(size != "0")
        try db.execute("VACUUM customer_search_stale")
        #expect(try database.count("customer_search_stale") == 0)
        #expect(try database.scalar("SELECT pg_relation_size('customer_search_stale')") == size)
    }

    // MARK: - A day's bookings

    @Test func aDaysBookingsByStudioAndSlot() throws {
        var (_, _, staff) = try Self.signedIn()
        let page = staff.get("/staff/bookings?tanggal=2025-07-12")
        #expect(page.status == 200)
        #expect(page.text.contains("<p class=\"count\">2 booking.</p>"))
        let sections = page.text.components(separatedBy: "<section class=\"studio-day\">").dropFirst()
        #expect(sections.count == 3)
        let second = try #require(sections.dropFirst().first)
        #expect(second.contains("<h2>Studio Bougenvil - Keluarga</h2>"))
        // The legacy double booking of 14:00 shows both sessions, marked.
        #expect(second.matches(of: /<li class="session span-1 double"><a class="time" href="\/staff\/bookings\/[0-9]+">14.00–15.00<\/a>/).count == 2)
        #expect(second.contains("<span class=\"who\">Intan Permata</span>") && second.contains("<span class=\"who\">Sekar Ayu</span>"))
        #expect(second.components(separatedBy: "Bertabrakan dengan booking lain").count == 3)
        // A studio without bookings that day: its hours as one free stretch.
        #expect(sections.first!.contains("<ol class=\"timeline\">\n<li class=\"free\"><span class=\"time\">09.00–21.00</span>"))

        #expect(staff.get("/staff/bookings?tanggal=2025-02-30").status == 422)
        let today = staff.get("/staff/bookings")
        #expect(today.status == 200)
        let shown = IndonesianDate.day(try #require(Day(iso: BookingClient.date(daysAhead: 0))))
        #expect(today.text.contains("<h1>Booking <span class=\"date\">\(shown)</span></h1>"))
    }
}

extension String {
    var urlEncodedForTest: String {
        addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"))!
    }
}
