import Foundation
import Testing
import TestSupport

/// Issue 14 as it was found, through nginx and both responders into the real `LOG_FILE`: a name
/// that carries a fake entry stays on its own line, escaped, and a NUL in the sign-in name is
/// refused as bad input, without the outage page or an `error` line.
@Suite(.needs(.stack))
struct ForgedLogThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    @Test func aForgedEntryAndANULReachTheLogOnlyAsEscapedInfoLines() throws {
        let marker = "Forged\(UInt32.random(in: 100_000...999_999))"
        let phone = "0879" + String(UInt32.random(in: 10_000_000...99_999_999))
        let form = try http.get("/booking")
        let fields = BookingClient.fields(days: Int.random(in: 2...170), jam: String(format: "%02d:00", Int.random(in: 9...20)), [
            // No e-mail: the default one would match another test's customer, and the log names that one.
            "csrf_token": BookingClient.csrfToken(in: form.body), "telp_customer": phone, "email_customer": "",
            "studio_id": String(Int.random(in: 1...3)),
            // A name may hold no control character (ESC comes with the sign-in name below).
            "nama_customer": "\(marker)\u{2028}2026-01-01T00:00:00.000Z error Booking failed\u{202E}",
        ])
        #expect(try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: form.cookies).status == 303)

        let login = try http.get("/staff/login")
        let refused = try http.post(
            "/staff/login",
            form: "username=\(marker)%1B[2J%00&password=rahasia-staf-1&csrf_token=\(BookingClient.csrfToken(in: login.body))",
            cookies: login.cookies)
        #expect(refused.status == 422)
        #expect(refused.body.contains("Nama pengguna mengandung karakter yang tidak diizinkan."))

        let log = try String(contentsOfFile: TestEnvironment.appLogFile!, encoding: .utf8)
        let lines = log.split(separator: "\n").filter { $0.contains(marker) }
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.contains {
            $0.hasSuffix(#" info New customer auto-created from booking: \#(marker)\u20282026-01-01T00:00:00.000Z error Booking failed\u202e (\#(phone))"#)
        }, "\(lines)")
        #expect(lines.contains { $0.hasSuffix(#" info Staff sign-in refused for \#(marker)\x1b[2J"# + "\u{FFFD}") }, "\(lines)")
        #expect(!log.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{1B}" || $0 == "\u{202E}" })
    }
}
