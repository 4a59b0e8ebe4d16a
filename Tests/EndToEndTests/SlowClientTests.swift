import Foundation
import Testing
import TestSupport

/// nginx in front of slow and many clients (issue 14): requests in progress per address are
/// limited, slow headers and stalled bodies are cut off while a slow phone still gets through,
/// and nginx's own error pages are the friendly Indonesian ones (nginx/studio-booking-locations.conf).
@Suite(.needs(.stack))
struct SlowClientTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")
    var port: UInt16 { http.port }
    /// nginx's limit_conn in the running stack (.ci/test sets it, as make run does).
    static let connectionLimit = Int(ProcessInfo.processInfo.environment["BOOKING_CONN_LIMIT"] ?? "") ?? 32

    /// A request whose body never comes: nginx holds it, as in progress, until client_body_timeout.
    static let stalledPost = "POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\nnama_customer="

    @Test func manyRequestsFromOneAddressAreLimitedWhileOthersAreServed() throws {
        let attacker = HTTPClient.randomLoopback()
        var held: [RawConnection] = []
        for _ in 0..<(Self.connectionLimit + 8) {
            let connection = try RawConnection(port: port, from: attacker)
            connection.send(Self.stalledPost)
            held.append(connection)
        }
        usleep(500_000)
        let answers = held.map { $0.read(within: 0.05) }
        let refused = answers.filter { !$0.text.isEmpty }
        let waiting = answers.filter { $0.text.isEmpty && !$0.closed }
        #expect(refused.count == 8, "refused \(refused.count) of \(held.count)")
        #expect(waiting.count == Self.connectionLimit)
        #expect(refused.allSatisfy { $0.text.hasPrefix("HTTP/1.1 429") && $0.text.contains("Terlalu banyak permintaan") })
        // Meanwhile everyone else is served, and the static files even for that address.
        #expect(try http.get("/booking").status == 200)
        #expect(try HTTPClient(baseURL: TestEnvironment.baseURL!, source: attacker).get("/static/style.css").status == 200)
        held.removeAll()
        // Closed, they no longer count: the address is served again.
        usleep(300_000)
        #expect(try HTTPClient(baseURL: TestEnvironment.baseURL!, source: attacker).get("/booking").status == 200)
    }

    /// Whole seconds, rounded: nginx's timer starts at its last read, a moment before the test's
    /// clock does, so a close at its 20 s can come 19.99 s after the send (truncated, "19").
    static func seconds(_ after: Double) -> Int { Int(after.rounded()) }

    /// A stalled body and a header trickled a byte a second are closed after 20 s (the timeouts);
    /// a phone that pauses 12 s between its header and its body is still answered by the app.
    @Test func slowClientsAreCutOffWhileASlowPhoneGetsThrough() throws {
        let port = self.port
        let results = concurrently(3) { which -> String in
            do {
                let connection = try RawConnection(port: port, from: HTTPClient.randomLoopback())
                switch which {
                case 0:
                    connection.send(Self.stalledPost.replacingOccurrences(of: "/healthz", with: "/booking"))
                    let closed = connection.closedWithin(30)
                    return closed.map { "stalled body closed after \(Self.seconds($0.after)) s, answer '\($0.text.prefix(12))'" } ?? "stalled body still open"
                case 1:
                    connection.send("GET /booking HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                    let trickle = Thread {
                        for _ in 0..<30 where connection.send("a") { sleep(1) }
                    }
                    trickle.start()
                    let closed = connection.closedWithin(30)
                    return closed.map { "trickled header closed after \(Self.seconds($0.after)) s, answer '\($0.text.prefix(12))'" } ?? "trickled header still open"
                default:
                    let body = "nama_customer=Sinyal+Lemah"
                    connection.send("POST /booking HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
                    sleep(12)
                    connection.send(body)
                    return "slow phone answered '\(connection.read(within: 10).text.prefix(12))'"
                }
            } catch {
                return "\(error)"
            }
        }
        print("slow clients: \(results)")
        // nginx answers no timed-out request (it only logs 408) and resets the connection.
        let cutOff = (20...24).map { "closed after \($0) s, answer ''" }
        #expect(cutOff.contains { results[0].hasSuffix($0) }, "\(results[0])")
        #expect(cutOff.contains { results[1].hasSuffix($0) }, "\(results[1])")
        // Through to the app, which refuses a form without its token (403): nginx did not cut it off.
        #expect(results[2] == "slow phone answered 'HTTP/1.1 403'")
    }

    /// Requests nginx refuses itself, by name (the requests are long: they stay out of the test's name).
    static let refusals: [String: (request: String, status: Int, title: String)] = [
        "no Host header": ("GET /booking HTTP/1.1\r\n\r\n", 400, "Permintaan tidak valid"),
        "no HTTP at all": ("\u{16}\u{03}\u{01} hello\r\n\r\n", 400, "Permintaan tidak valid"),
        "a URI of 10,000 bytes":
            ("GET /\(String(repeating: "a", count: 10_000)) HTTP/1.1\r\nHost: localhost\r\n\r\n", 414, "Alamat halaman terlalu panjang"),
        "a cookie of 9,000 bytes":
            ("GET /booking HTTP/1.1\r\nHost: localhost\r\nCookie: a=\(String(repeating: "b", count: 9_000))\r\n\r\n", 431, "Data browser terlalu besar"),
    ]

    @Test(arguments: ["no Host header", "no HTTP at all", "a URI of 10,000 bytes", "a cookie of 9,000 bytes"])
    func nginxsOwnErrorsAreTheFriendlyPages(_ what: String) throws {
        let (request, status, title) = try #require(Self.refusals[what])
        let connection = try RawConnection(port: port, from: HTTPClient.randomLoopback())
        connection.send(request)
        let answer = connection.read(within: 5).text
        #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "\(what): \(answer.prefix(40))")
        #expect(answer.contains("<title>\(title) — Studio Booking</title>"), "\(what)")
        #expect(!answer.contains("<center>nginx</center>"), "\(what): nginx's own page")
    }

    /// 408 and 500 cannot be caused from outside: nginx closes a timed-out request without an
    /// answer, and its own 500 means a fault inside nginx. Their pages are set and served all the same.
    @Test func thePagesForNginxsOwn408And500AreSetAndServed() throws {
        let runDirectory = try #require(ProcessInfo.processInfo.environment["TEST_RUN_DIR"])
        let dump = try Subprocess.run(["/usr/sbin/nginx", "-T", "-q", "-p", runDirectory + "/nginx", "-c", runDirectory + "/nginx/nginx.conf"])
        #expect(dump.status == 0, "\(dump.stderr)")
        for (status, page, title) in [(408, "waktu-habis", "Waktu habis"), (500, "kesalahan", "Terjadi kesalahan")] {
            #expect(dump.stdout.contains("error_page \(status) /static/errors/\(page).html;"))
            let served = try http.get("/static/errors/\(page).html")
            #expect(served.status == 200)
            #expect(served.body.contains("<html lang=\"id\">") && served.body.contains("<title>\(title) — Studio Booking</title>"))
        }
    }
}
