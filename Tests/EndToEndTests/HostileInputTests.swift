import Foundation
import Postgres
import Testing
import TestSupport

/// What the open internet sends (issue 4): malformed bodies through nginx and straight to the
/// responder's FastCGI socket, forged tokens, guessed refs, markup in every field, floods.
@Suite(.needs(.stack, .fastCGISocket))
struct HostileInputTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    func openForm(_ client: HTTPClient? = nil) throws -> (cookies: [String], token: String) {
        let form = try (client ?? http).get("/booking")
        return (form.cookies, BookingClient.csrfToken(in: form.body))
    }

    static func uniquePhone() -> String { "0878" + String(UInt32.random(in: 10_000_000...99_999_999)) }

    static func uniqueFields(_ token: String, _ changes: [String: String] = [:]) -> [String: String] {
        var fields = BookingClient.fields([
            "csrf_token": token, "telp_customer": uniquePhone(), "email_customer": "",
            "studio_id": String(Int.random(in: 1...3)), "tanggal_booking": BookingClient.date(daysAhead: Int.random(in: 2...170)),
            "jam_booking": String(format: "%02d:00", Int.random(in: 9...20)),
        ])
        fields.merge(changes) { $1 }
        return fields
    }

    func rows(phone: String) throws -> Int {
        try appDatabase().query("SELECT count(*) FROM booking_online WHERE telp_customer = $1", [phone]).decode(Int.self)[0]
    }

    // MARK: - Bodies through nginx

    @Test func aBodyOfExactly64KiBIsReadAndOneByteMoreIs413() throws {
        let (cookies, token) = try openForm()
        let fields = Self.uniqueFields(token)
        let encoded = BookingClient.urlEncode(fields) + "&pad="
        let exact = encoded + String(repeating: "x", count: 65536 - encoded.utf8.count)
        #expect(exact.utf8.count == 65536)
        let accepted = try http.post("/booking", form: exact, cookies: cookies)
        #expect(accepted.status == 303)
        #expect(try rows(phone: fields["telp_customer"]!) == 1)
        let over = try http.post("/booking", form: exact + "x", cookies: cookies)
        #expect(over.status == 413)
        #expect(over.body.contains("Data terlalu besar"))
    }

    @Test func aChunkedBodyIsBooked() throws {
        let (cookies, token) = try openForm()
        let fields = Self.uniqueFields(token)
        let body = Array(BookingClient.urlEncode(fields).utf8)
        var chunked: [UInt8] = []
        for start in stride(from: 0, to: body.count, by: 40) {
            let chunk = body[start..<min(start + 40, body.count)]
            chunked += Array(String(chunk.count, radix: 16).utf8) + Array("\r\n".utf8) + chunk + Array("\r\n".utf8)
        }
        chunked += Array("0\r\n\r\n".utf8)
        let request = http.request(
            method: "POST", path: "/booking",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookies.joined(separator: "; ")),
                      ("Transfer-Encoding", "chunked")],
            body: chunked)
        #expect(try http.send(request).status == 303)
        #expect(try rows(phone: fields["telp_customer"]!) == 1)
    }

    @Test func wrongMissingOrEmptyBodies() throws {
        let (cookies, token) = try openForm()
        let fields = BookingClient.urlEncode(Self.uniqueFields(token))
        #expect(try http.post("/booking", form: fields, cookies: cookies, contentType: "text/plain").status == 415)
        #expect(try http.post("/booking", form: fields, cookies: cookies, contentType: "multipart/form-data; boundary=x").status == 415)
        let empty = try http.post("/booking", form: "", cookies: cookies)
        #expect(empty.status == 403)
        #expect(empty.body.contains("name=\"nama_customer\""))
        let noType = http.request(method: "POST", path: "/booking", headers: [("Cookie", cookies.joined(separator: "; "))], body: Array(fields.utf8))
        #expect(try http.send(noType).status == 415)
    }

    @Test func controlCharactersAndBadUTF8AreNeverStored() throws {
        let (cookies, token) = try openForm()
        for value in ["Nama%00Nul", "Bad%C3%28Name", "Tab%09Name", "Esc%1BName"] {
            let fields = Self.uniqueFields(token).filter { $0.key != "nama_customer" }
            let phone = fields["telp_customer"]!
            let body = "nama_customer=\(value)&" + BookingClient.urlEncode(fields)
            let reply = try http.post("/booking", form: body, cookies: cookies)
            #expect(reply.status == 422, "\(value)")
            #expect(reply.body.contains("id=\"nama_customer-error\""), "\(value)")
            #expect(try rows(phone: phone) == 0, "\(value)")
        }
    }

    // MARK: - Straight to the FastCGI socket

    func fastCGI(contentLength: String?, body: [UInt8], endStdin: Bool = true, timeout: Int = 30) throws -> FastCGIClient.Reply {
        var params = [
            "REQUEST_METHOD": "POST", "REQUEST_URI": "/booking", "DOCUMENT_URI": "/booking",
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "SERVER_PROTOCOL": "HTTP/1.1",
        ]
        params["CONTENT_LENGTH"] = contentLength
        return try FastCGIClient(socketPath: TestEnvironment.fastCGISocket!).send(params: params, body: body, endStdin: endStdin, timeout: timeout)
    }

    @Test func lyingContentLengthsNeverCrashHangOrLeak() throws {
        let body = Array("nama_customer=x&telp_customer=0812".utf8)
        // Longer than what arrives: the body is incomplete.
        #expect(try fastCGI(contentLength: "100", body: body).status == 400)
        // Shorter than what arrives: only that much is read (and the token is missing).
        #expect(try fastCGI(contentLength: "10", body: body).status == 403)
        #expect(try fastCGI(contentLength: "abc", body: body).status == 400)
        #expect(try fastCGI(contentLength: "-5", body: body).status == 400)
        // The responder's own limit, without nginx in front.
        #expect(try fastCGI(contentLength: "65537", body: [UInt8](repeating: 0x61, count: 65537)).status == 413)
        #expect(try fastCGI(contentLength: "99999999999999999999", body: body).status == 400)
        // A peer that stalls mid-body is cut off after the read timeout, not waited for forever.
        let started = Date()
        #expect(try fastCGI(contentLength: "100", body: body, endStdin: false, timeout: 20).status == 400)
        #expect(Date().timeIntervalSince(started) < 15)

        // Every worker of both responders still answers, each with a working connection.
        let http = self.http
        let statuses = concurrently(16) { _ in (try? http.get("/healthz").status) ?? -1 }
        #expect(statuses.allSatisfy { $0 == 200 })
        let connections = try appDatabase().query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'").decode(Int.self)[0]
        // Per responder: its 4 workers, its booking committer, its search refresher, its schedule
        // listener and its message sender; then this query's own connection, and one another test may hold.
        #expect(connections <= 2 * (4 + 4) + 2, "responder connections: \(connections)")
    }

    /// nginx keeps its FastCGI connections open between requests (`fastcgi_keep_conn on`): one
    /// connection carries several requests, whatever each one's answer, and is closed after the
    /// first request that does not ask to keep it.
    @Test func aKeptConnectionCarriesSeveralRequestsAndClosesWhenNotKept() throws {
        let get = ["REQUEST_METHOD": "GET", "REQUEST_URI": "/healthz", "DOCUMENT_URI": "/healthz", "SERVER_PROTOCOL": "HTTP/1.1"]
        let notFound = get.merging(["REQUEST_URI": "/nowhere", "DOCUMENT_URI": "/nowhere"]) { $1 }
        var badPost = get.merging(["REQUEST_METHOD": "POST", "REQUEST_URI": "/booking", "DOCUMENT_URI": "/booking"]) { $1 }
        badPost["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        badPost["CONTENT_LENGTH"] = "11"
        let client = FastCGIClient(socketPath: TestEnvironment.fastCGISocket!)
        let (replies, closed) = try client.sendOnOneConnection([
            (get, []), (notFound, []), (badPost, Array("nama=Kosong".utf8)), (get, []),
        ])
        #expect(replies.map(\.status) == [200, 404, 403, 200])
        #expect(closed, "the responder closes the connection after a request that does not ask to keep it")
    }

    // MARK: - Forgery and guessing

    @Test func unknownAndMalformedRefsLookTheSame() throws {
        let unknown = try http.get("/booking/" + String(repeating: "0", count: 32))
        let malformed = try http.get("/booking/%3Cscript%3E")
        let short = try http.get("/booking/abc")
        #expect(unknown.status == 404)
        #expect(malformed.status == 404)
        #expect(short.status == 404)
        #expect(unknown.body == malformed.body)
        #expect(unknown.body == short.body)
    }

    // MARK: - Output

    @Test func markupInEveryFieldIsShownAsText() throws {
        let (cookies, token) = try openForm()
        let hostile = "<script>alert(\"x\")</script> O'Brien & \"Co\""
        let fields = Self.uniqueFields(token, [
            "nama_customer": hostile, "alamat_customer": hostile + "\n<img src=x onerror=alert(1)>",
            "email_customer": "o'brien@example.com",
        ])
        // First refused (bad phone), so the form comes back with the values; then booked.
        var refused = fields
        refused["telp_customer"] = "12<b>3"
        let form = try http.post("/booking", form: BookingClient.urlEncode(refused), cookies: cookies)
        #expect(form.status == 422)
        let booked = try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: cookies)
        #expect(booked.status == 303)
        let confirmation = try http.get("/booking/" + String(try #require(booked.header("Location")).suffix(32)))
        #expect(confirmation.status == 200)
        for page in [form.body, confirmation.body] {
            #expect(!page.contains("<script>alert"))
            #expect(!page.contains("<img src=x"))
            #expect(!page.contains("<b>"))
            #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;"))
            #expect(page.contains("o&#39;brien@example.com"))
        }
    }

    @Test func nginxSendsTheSecurityHeadersEverywhere() throws {
        let (cookies, _) = try openForm()
        let pages = [
            try http.get("/booking"), try http.get("/static/style.css"), try http.get("/nope"),
            try http.post("/booking", form: String(repeating: "x", count: 70_000), cookies: cookies),
        ]
        for reply in pages {
            let csp = reply.header("Content-Security-Policy") ?? ""
            #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(reply.status)")
            #expect(csp.contains("frame-ancestors 'none'"), "\(reply.status)")
            #expect(reply.header("X-Content-Type-Options") == "nosniff", "\(reply.status)")
            #expect(reply.header("Referrer-Policy") == "strict-origin-when-cross-origin", "\(reply.status)")
            #expect(reply.header("Server") == "nginx", "\(reply.status): no version")
        }
        // No page carries an inline script for the policy to have to allow: the form's one script
        // is a file of its own.
        let scripts = pages[0].body.components(separatedBy: "<script").dropFirst()
        #expect(!scripts.isEmpty && scripts.allSatisfy { tag in
            let opening = tag.components(separatedBy: "</script>")[0]
            return tag.hasPrefix(" src=\"/static/") && opening.hasSuffix(">") && opening.filter { $0 == ">" }.count == 1
        })
    }

    // MARK: - Spam

    @Test func aFloodOfBookingsFromOneAddressGetsTheFriendly429() throws {
        let client = HTTPClient(baseURL: TestEnvironment.baseURL!, source: HTTPClient.randomLoopback())
        let (cookies, _) = try openForm(client)
        var statuses: [Int] = []
        for _ in 0..<8 {
            let reply = try client.post("/booking", form: "nama_customer=Banjir", cookies: cookies)
            statuses.append(reply.status)
            if reply.status == 429 { #expect(reply.body.contains("Terlalu banyak permintaan")) }
        }
        // nginx: 10 a minute with a burst of 5 — the first six pass (and are refused by the app
        // for their missing token), the rest wait a minute.
        #expect(statuses == [403, 403, 403, 403, 403, 403, 429, 429])
        // Reading pages is never limited.
        #expect(try client.get("/booking").status == 200)
    }
}
