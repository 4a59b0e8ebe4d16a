import CLibCurl
import Foundation

/// E-mail over SMTP through libcurl (SMTP_URL): `smtp://` upgrades with STARTTLS when the server
/// offers it (and insists on it when the URL carries a password), `smtps://` is TLS from the start.
/// One text/plain part in UTF-8, and the calendar file attached to booking and change messages.
struct Mailer: Sendable {
    let url: String
    let from: String

    /// Sends `message` to its customer's address; a refusal or a failure throws with libcurl's words.
    /// On `curl`, reset first: libcurl keeps the SMTP connection of the last message open for this
    /// one. `dates`: `dateFormatter()`, the caller's to keep.
    func send(_ message: CustomerMessage, text: String, calendarFile: [UInt8]?, on curl: Curl, dates: DateFormatter) throws(CurlError) {
        guard let address = message.email, !address.isEmpty else { throw CurlError("tidak ada alamat e-mail") }
        try curl.reset()
        try curl.set(CURLOPT_URL, url)
        // RFC 3207 STARTTLS: required when a password would otherwise cross in the clear.
        let password = url.hasPrefix("smtp://") && (url.split(separator: "@").count > 1)
        try curl.set(CURLOPT_USE_SSL, Int((password ? CURLUSESSL_ALL : CURLUSESSL_TRY).rawValue))
        try curl.set(CURLOPT_MAIL_FROM, "<\(Self.envelope(from))>")
        try curl.set(CURLOPT_MAIL_RCPT, list: ["<\(address)>"])
        try curl.set(CURLOPT_CONNECTTIMEOUT, 10)
        try curl.set(CURLOPT_TIMEOUT, 30)
        try curl.set(
            CURLOPT_HTTPHEADER,
            list: [
                "From: \(from)",
                "To: <\(address)>",
                "Subject: \(Self.encodedWord(message.subject))",
                "Message-ID: \(Self.messageID(message.key))",
                "Date: \(dates.string(from: Date()))",
            ])
        var parts = [Curl.Part(data: Array(text.utf8), type: "text/plain; charset=utf-8", encoder: "quoted-printable")]
        if let calendarFile {
            parts.append(
                Curl.Part(
                    data: calendarFile, type: "text/calendar; charset=utf-8; method=PUBLISH", encoder: "base64",
                    filename: "studio-booking.ics"))
        }
        try curl.mime(parts)
        try curl.perform()
    }

    /// `<{key}@studio-booking>`: the same on every try, so a mailbox that got it twice keeps one.
    static func messageID(_ key: String) -> String { "<\(key)@studio-booking>" }

    /// The address inside `Name <address>`, or the whole value.
    static func envelope(_ from: String) -> String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }

    /// RFC 2047: a header text in UTF-8 as one base64 encoded word (ASCII stays as it is).
    static func encodedWord(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) else { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    /// RFC 5322 §3.3: `Sat, 05 Dec 2026 12:00:00 +0000`. Made once per sender thread and kept
    /// (making one costs more than a message's other work).
    static func dateFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }
}
