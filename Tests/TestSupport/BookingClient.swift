import HTTPMessages
import Foundation
import StudioBooking

/// Books through the router the way a browser does: GET the form for the visitor cookie and the
/// CSRF token, then POST. No socket involved.
public struct BookingClient {
    public let app: App
    public var responder: AppResponder
    public let logFile: String

    /// An app on `database`, logging to a file of its own, with the real templates; `configure`
    /// sets what else a test needs (`STUDIO_WHATSAPP`, …).
    public init(
        database: TestDatabase, calendar: BookingCalendar? = nil, configure: (inout AppConfig) -> Void = { _ in }
    ) throws {
        logFile = NSTemporaryDirectory() + "studio-booking-test-\(UUID().uuidString).log"
        var config = AppConfig(
            databaseURL: database.url, logFile: logFile, timeZone: TimeZone(identifier: "Asia/Jakarta")!,
            templatesDirectory: TestEnvironment.root + "/templates")
        configure(&config)
        app = try App(config: config, calendar: calendar)
        responder = app.makeResponder()
    }

    /// The fields of a valid booking (Skenario 1), `days` ahead, with `changes` applied.
    public static func fields(days: Int = 3, jam: String = "10:00", _ changes: [String: String] = [:]) -> [String: String] {
        var fields = [
            "nama_customer": "John Doe", "jenis_kelamin": "Laki-laki", "telp_customer": "08123456789",
            "email_customer": "john@email.com", "alamat_customer": "Jl. Contoh No. 123, Jakarta",
            "studio_id": "1", "tanggal_booking": BookingClient.date(daysAhead: days), "jam_booking": jam,
            "durasi_jam": "1",
        ]
        fields.merge(changes) { $1 }
        return fields
    }

    /// A date `days` from today in Jakarta, as the form sends it.
    public static func date(daysAhead days: Int) -> String {
        let calendar = BookingCalendar(timeZone: TimeZone(identifier: "Asia/Jakarta")!)
        return calendar.localNow().day.adding(days: days).iso
    }

    /// `YYYY-MM-DD` as the pages show it (`Sab, 5 Des 2026`), from ICU's Indonesian calendar: an
    /// oracle of its own, not the app's formatter.
    public static func shown(_ iso: String) -> String {
        let parse = DateFormatter()
        parse.locale = Locale(identifier: "en_US_POSIX")
        parse.timeZone = TimeZone(identifier: "UTC")
        parse.dateFormat = "yyyy-MM-dd"
        let show = DateFormatter()
        show.locale = Locale(identifier: "id_ID")
        show.timeZone = TimeZone(identifier: "UTC")
        show.dateFormat = "EEE, d MMM yyyy"
        return parse.date(from: iso).map(show.string) ?? iso
    }

    /// The studios' calendar with the clock at `hour:minute` today in Jakarta.
    public static func calendar(todayAt hour: Int, _ minute: Int) -> BookingCalendar {
        let zone = TimeZone(identifier: "Asia/Jakarta")!
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = zone
        let moment = gregorian.date(bySettingHour: hour, minute: minute, second: 0, of: Date())!
        return BookingCalendar(timeZone: zone, now: { moment })
    }

    public mutating func book(_ fields: [String: String]) -> Response {
        let (cookie, token) = visit()
        var fields = fields
        fields["csrf_token"] = fields["csrf_token"] ?? token
        return post(Array(Self.urlEncode(fields).utf8), cookie: cookie)
    }

    /// Posts `body` exactly as given, with a valid visitor cookie and `csrf_token=` prepended.
    public mutating func bookRaw(_ body: [UInt8]) -> Response {
        let (cookie, token) = visit()
        return post(Array("csrf_token=\(token)&".utf8) + body, cookie: cookie)
    }

    /// GET /booking: the visitor cookie and the CSRF token a browser would have.
    public mutating func visit() -> (cookie: String, token: String) {
        let form = responder.respond(to: Request(method: .get, path: "/booking"))
        let cookie = (form.header("Set-Cookie") ?? "").split(separator: ";").first.map(String.init) ?? ""
        return (cookie, Self.csrfToken(in: form.text))
    }

    private mutating func post(_ body: [UInt8], cookie: String) -> Response {
        responder.respond(
            to: Request(
                method: .post, path: "/booking",
                headerFields: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: .complete(body)))
    }

    public mutating func get(_ path: String) -> Response {
        responder.respond(to: Request(method: .get, path: path))
    }

    public func log() -> String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    public static func csrfToken(in html: String) -> String {
        guard let range = html.range(of: #"name="csrf_token" value="([0-9a-f]*)""#, options: .regularExpression) else {
            return ""
        }
        return String(html[range].dropFirst(#"name="csrf_token" value=""#.count).dropLast())
    }

    public static func urlEncode(_ fields: [String: String]) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return fields.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}
