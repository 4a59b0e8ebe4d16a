import CLibCurl
import Crypto
import Foundation

/// The webhook for a WhatsApp gateway (NOTIFY_WEBHOOK_URL, CONTRACT §10): a POST of JSON, the
/// message's key as `Idempotency-Key`, the body signed with NOTIFY_WEBHOOK_SECRET; any 2xx within
/// 10 s is delivered.
struct Webhook: Sendable {
    let url: String
    let secret: String?

    /// The JSON of §10, keys sorted so that the same message is the same bytes every try.
    struct Body: Encodable {
        let event, ref, kode_cs, nama, telp, studio, mulai, selesai, pesan: String
    }

    /// The studios' times with their offset (`2026-12-07T10:00:00+07:00`). Made once per sender
    /// thread and kept: making one (ICU's formatter behind it) was half a sender's time per message.
    static func timeFormatter(_ calendar: BookingCalendar) -> ISO8601DateFormatter {
        let iso = ISO8601DateFormatter()
        iso.timeZone = calendar.timeZone
        iso.formatOptions = [.withInternetDateTime]
        return iso
    }

    /// `iso`: `timeFormatter(calendar)`, the caller's to keep.
    static func body(_ message: CustomerMessage, text: String, calendar: BookingCalendar, iso: ISO8601DateFormatter) -> [UInt8] {
        let body = Body(
            event: message.event.rawValue, ref: message.ref, kode_cs: message.kodeCS, nama: message.nama,
            telp: Phone.international(message.telp) ?? message.telp.filter(\.isASCIIDigit),
            studio: message.studio, mulai: iso.string(from: message.start(calendar)),
            selesai: iso.string(from: message.end(calendar)), pesan: text)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings only: encoding cannot fail.
        return Array((try? encoder.encode(body)) ?? Data())
    }

    /// `sha256=` and the hex HMAC-SHA256 of `body` with `secret`.
    static func signature(_ body: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Sends on `curl` (reset first: its connection to the gateway is kept from the last message).
    func send(_ body: [UInt8], key: String, on curl: Curl) throws(CurlError) {
        try curl.reset()
        try curl.set(CURLOPT_URL, url)
        try curl.set(CURLOPT_CONNECTTIMEOUT, 10)
        try curl.set(CURLOPT_TIMEOUT, 10)
        var headers = ["Content-Type: application/json", "Idempotency-Key: \(key)", "Expect:"]
        if let secret { headers.append("X-Signature: \(Self.signature(body, secret: secret))") }
        try curl.set(CURLOPT_HTTPHEADER, list: headers)
        try curl.post(body)
        try curl.perform()
        let status = try curl.responseCode()
        guard (200...299).contains(status) else { throw CurlError("webhook menjawab HTTP \(status)") }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
