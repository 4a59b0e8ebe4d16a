import HTTPMessages
import HTTPTypes
import Foundation
import Testing
@testable import StudioBooking

/// The router called directly with `Request` values, against a database that is not there:
/// every page must still answer, and answer well.
@Suite struct RouterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    let app: App
    var responder: AppResponder

    init() throws {
        var config = AppConfig(
            databaseURL: "host=/nonexistent-studio-booking dbname=none connect_timeout=2",
            logFile: NSTemporaryDirectory() + "studio-booking-router-tests-\(getpid()).log",
            timeZone: TimeZone(identifier: "Asia/Jakarta")!, templatesDirectory: Self.root + "/templates")
        config.daysAhead = 180
        app = try App(config: config)
        responder = app.makeResponder()
    }

    static func post(_ body: String, contentType: String? = "application/x-www-form-urlencoded") -> Request {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        return Request(method: .post, path: "/booking", headerFields: fields, body: .complete(Array(body.utf8)))
    }

    @Test mutating func rootRedirectsToTheForm() {
        let response = responder.respond(to: Request(method: .get, path: "/"))
        #expect(response.status == 303)
        #expect(response.header("Location") == "/booking")
    }

    /// A booking's own addresses with a ref that is not one: 404, the database never asked (it is
    /// away here, so asking would be a 503).
    @Test mutating func aBookingsAddressesWithAMalformedRef() {
        let ref = String(repeating: "c", count: 32)
        for (method, path) in [
            (HTTPRequest.Method.get, "/booking/\(ref)x.ics"), (.get, "/booking/\(ref.uppercased()).ics"), (.get, "/booking/.ics"),
            (.get, "/booking/\(ref).ics.ics"), (.get, "/booking/\(ref).ical"), (.get, "/booking/\(ref)%00.ics"),
            (.post, "/booking/\(ref.dropLast())/batal"), (.get, "/booking/nope/ubah"), (.post, "/booking/nope/ubah"),
            (.get, "/booking/nope/jam"), (.get, "/booking/\(ref)/batal/x"),
        ] {
            let response = responder.respond(to: Request(method: method, path: path, headerFields: [.contentType: "application/x-www-form-urlencoded"]))
            #expect(response.status == 404, "\(method) \(path)")
        }
        // A well-formed one does ask: the database is away.
        #expect(responder.respond(to: Request(method: .get, path: "/booking/\(ref).ics")).status == 503)
        #expect(responder.respond(to: Request(method: .get, path: "/booking/\(ref)")).status == 503)
    }

    @Test mutating func malformedAndUnknownPaths() {
        #expect(responder.respond(to: Request(method: .get, path: "/booking/not-a-ref")).status == 404)
        #expect(responder.respond(to: Request(method: .get, path: "/booking/x/y")).status == 404)
        #expect(responder.respond(to: Request(method: .get, path: "/nope")).status == 404)
        let notFound = responder.respond(to: Request(method: .get, path: "/booking/zz"))
        #expect(notFound.text.contains("Halaman tidak ditemukan"))
    }

    @Test mutating func wrongMethod() {
        let response = responder.respond(to: Request(method: .put, path: "/booking"))
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, POST")
    }

    @Test mutating func healthzWithoutDatabase() {
        #expect(responder.respond(to: Request(method: .get, path: "/healthz")).status == 503)
    }

    @Test mutating func formWithoutDatabaseSays503() {
        let response = responder.respond(to: Request(method: .get, path: "/booking"))
        #expect(response.status == 503)
        #expect(response.text.contains("Layanan sedang terganggu"))
        #expect(response.text.contains("name=\"nama_customer\""))
        #expect(response.header("Set-Cookie")?.contains("HttpOnly") == true)
    }

    @Test mutating func theVisitorCookieIsSecureBehindHTTPS() {
        let plain = responder.respond(to: Request(method: .get, path: "/booking"))
        #expect(plain.header("Set-Cookie")?.contains("Secure") == false)
        let https = responder.respond(to: Request(method: .get, path: "/booking", isHTTPS: true))
        #expect(https.header("Set-Cookie")?.hasSuffix("; Secure") == true)
    }

    @Test mutating func bodyProblems() {
        var big = Self.post("")
        big.body = .tooLarge
        #expect(responder.respond(to: big).status == 413)
        var short = Self.post("")
        short.body = .malformed
        #expect(responder.respond(to: short).status == 400)
        #expect(responder.respond(to: Self.post("a=b", contentType: "text/plain")).status == 415)
        #expect(responder.respond(to: Self.post("a=b", contentType: nil)).status == 415)
    }

    /// Database away mid-booking: 503 and every value back, studio and slot included, escaped.
    @Test mutating func bookingWithoutDatabaseKeepsEveryValueEscaped() {
        let hostile = "<script>alert(\"x\")</script>'&"
        let encoded = hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let body = "nama_customer=\(encoded)&jenis_kelamin=Perempuan&telp_customer=\(encoded)"
            + "&email_customer=\(encoded)&alamat_customer=\(encoded)&studio_id=2&tanggal_booking=2026-12-01"
            + "&jam_booking=14%3A00&csrf_token=abc"
        let response = responder.respond(to: Self.post(body, contentType: "application/x-www-form-urlencoded; charset=UTF-8"))
        #expect(response.status == 503)
        let html = response.text
        #expect(!html.contains("<script>"))
        #expect(!html.contains(hostile))
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;"
        #expect(html.components(separatedBy: escaped).count - 1 == 4)
        #expect(html.contains("<option value=\"Perempuan\" selected>"))
        #expect(html.contains("<option value=\"2\" selected>"))
        #expect(html.contains("<option value=\"14:00\" selected>"))
        #expect(html.contains("value=\"2026-12-01\""))
    }

    /// The studio list still fresh in the cache, but this worker has not read the CSRF key yet and
    /// the database is away: that is an outage (503, "try again"), not a forged form (403).
    @Test mutating func aWorkerWithoutTheKeyDuringAnOutageSays503NotForged() {
        app.booking.studios.cache.withLock { $0 = StudioCache(studios: [.init(id: 2, name: "Studio Dua")], readAt: Date()) }
        let body = "nama_customer=Ani&jenis_kelamin=Perempuan&telp_customer=081234567890&studio_id=2"
            + "&tanggal_booking=2026-12-01&jam_booking=14%3A00&csrf_token=abc"
        let response = responder.respond(to: Self.post(body))
        #expect(response.status == 503)
        #expect(response.text.contains("booking belum disimpan"))
        #expect(!response.text.contains("kedaluwarsa"))
        #expect(response.text.contains("value=\"Ani\""))
    }

    // MARK: - Staff area, database away

    @Test mutating func staffPagesWithoutASessionGoToSignIn() {
        for path in ["/staff", "/staff/customers", "/staff/customers/CS-000001", "/staff/customers.csv", "/staff/bookings", "/staff/elsewhere"] {
            let response = responder.respond(to: Request(method: .get, path: path))
            #expect(response.status == 303, "\(path)")
            #expect(response.header("Location") == "/staff/login", "\(path)")
        }
        // A cookie that is not even well formed asks nothing of the database.
        let forged = Request(method: .get, path: "/staff/customers", headerFields: [.cookie: "sb_staff=' OR 1=1 --"])
        #expect(responder.respond(to: forged).status == 303)
    }

    @Test mutating func aSessionTheDatabaseCannotCheckIsAnOutageNotASignOut() {
        let request = Request(
            method: .get, path: "/staff/customers", headerFields: [.cookie: "sb_staff=\(String(repeating: "ab", count: 16))"])
        let response = responder.respond(to: request)
        #expect(response.status == 503)
        #expect(response.text.contains("Layanan sedang terganggu"))
    }

    @Test mutating func signInDuringAnOutage() {
        let form = responder.respond(to: Request(method: .get, path: "/staff/login"))
        #expect(form.status == 503)
        #expect(form.text.contains("name=\"password\""))
        let post = Request(
            method: .post, path: "/staff/login", headerFields: [.contentType: "application/x-www-form-urlencoded"],
            body: .complete(Array("username=rina&password=rahasia-123&csrf_token=x".utf8)))
        let answer = responder.respond(to: post)
        #expect(answer.status == 503)
        #expect(answer.text.contains("value=\"rina\""))
        #expect(!answer.text.contains("rahasia-123"))
        #expect(responder.respond(to: Request(method: .delete, path: "/staff/login")).status == 405)
    }

    /// One worker has read the CSRF key; another, which never has, serves a form while the
    /// database is away: the form must carry a valid token, or its booking is refused as forged
    /// once the database is back (the fault test's PostgreSQL restart met exactly this).
    @Test func everyWorkerSignsFormsOnceAnyHasTheKey() {
        let other = app.makeResponder()
        app.booking.studios.cache.withLock { $0 = StudioCache(studios: [.init(id: 2, name: "Studio Dua")], readAt: Date()) }
        app.keyring.set(CSRFGuard(secret: "kunci-uji"))
        let form = other.respond(to: Request(method: .get, path: "/booking"))
        #expect(form.status == 200)
        let visitor = (form.header("Set-Cookie") ?? "").split(separator: ";")[0].dropFirst("sb_visitor=".count)
        let token = form.text.firstMatch(of: /name="csrf_token" value="([0-9a-f]*)"/).map { String($0.1) } ?? ""
        #expect(CSRFGuard(secret: "kunci-uji").isValid(token: token, for: String(visitor)))
    }
}

extension RouterTests {
    /// The app's own table: 405s and their Allow lists come from it, for any path it knows.
    @Test mutating func allowComesFromTheRouteTable() {
        let login = responder.respond(to: Request(method: .put, path: "/staff/login"))
        #expect(login.status == 405)
        #expect(login.header("Allow") == "GET, POST")
        let confirmation = responder.respond(to: Request(method: .post, path: "/booking/\(String(repeating: "a", count: 32))"))
        #expect(confirmation.status == 405)
        #expect(confirmation.header("Allow") == "GET")
        // Cancel and change are POSTs: a GET of the cancel address (a link preview, a crawler) cancels nothing.
        let ref = String(repeating: "b", count: 32)
        let cancel = responder.respond(to: Request(method: .get, path: "/booking/\(ref)/batal"))
        #expect(cancel.status == 405)
        #expect(cancel.header("Allow") == "POST")
        #expect(responder.respond(to: Request(method: .put, path: "/booking/\(ref)/ubah")).header("Allow") == "GET, POST")
        #expect(responder.respond(to: Request(method: .post, path: "/booking/\(ref).ics")).header("Allow") == "GET")
        // Inside the staff area, signing in comes first: a stranger learns nothing of its pages.
        #expect(responder.respond(to: Request(method: .put, path: "/staff/customers")).header("Location") == "/staff/login")
    }
}
