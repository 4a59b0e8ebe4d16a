import Foundation

/// The messages' settings (README.md: Configuration; CONTRACT §10), read with the rest of `AppConfig`.
public struct MessageConfig: Sendable {
    /// `smtp://[user:pass@]host:port` (STARTTLS when the server offers it, required with a
    /// password) or `smtps://…`; nil: no e-mail.
    public var smtpURL: String?
    public var mailFrom = "studio-booking@localhost"
    /// nil: no webhook.
    public var webhookURL: String?
    /// nil: the webhook's body goes unsigned.
    public var webhookSecret: String?
    public var reminderHours = 24
    /// Where customers reach the site, without a trailing slash: the link in every message.
    public var publicURL = "http://127.0.0.1:8080"
    /// The first retry's pause; each later one doubles, up to an hour (`MessagePolicy`).
    public var retrySeconds = 30
    /// How long a claimed message is a sender's: longer than any one try takes (the webhook's
    /// 10 s, an SMTP session's 30 s), after which a sender that died mid-send leaves it due again.
    public var leaseSeconds = 120

    public init() {}

    /// The channels this responder delivers, and the settings rows are written with.
    var channels: [CustomerMessage.Channel] {
        (smtpURL == nil ? [] : [.email]) + (webhookURL == nil ? [] : [.webhook])
    }

    /// Reads `SMTP_URL`, `MAIL_FROM`, `NOTIFY_WEBHOOK_URL`, `NOTIFY_WEBHOOK_SECRET`,
    /// `BOOKING_REMINDER_HOURS`, `PUBLIC_URL` (default from `PORT`), and the tests' knobs
    /// `MESSAGE_RETRY_SECONDS` and `MESSAGE_LEASE_SECONDS`.
    static func fromEnvironment(_ environment: [String: String]) throws(ConfigError) -> MessageConfig {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func number(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(ConfigError) -> Int {
            guard let text = value(name) else { return fallback }
            guard let n = Int(text), range.contains(n) else {
                throw ConfigError("\(name): expected a whole number in \(range.lowerBound)...\(range.upperBound), got \(text)")
            }
            return n
        }
        var config = MessageConfig()
        if let url = value("SMTP_URL") {
            guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
                throw ConfigError("SMTP_URL: expected smtp://host:port or smtps://host:port")
            }
            config.smtpURL = url
        }
        if let from = value("MAIL_FROM") { config.mailFrom = from }
        if let url = value("NOTIFY_WEBHOOK_URL") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigError("NOTIFY_WEBHOOK_URL: expected an http:// or https:// address, got \(url)")
            }
            config.webhookURL = url
        }
        config.webhookSecret = value("NOTIFY_WEBHOOK_SECRET")
        config.reminderHours = try number("BOOKING_REMINDER_HOURS", 24, 1...720)
        let port = value("PORT") ?? "8080"
        var publicURL = value("PUBLIC_URL") ?? "http://127.0.0.1:\(port)"
        while publicURL.hasSuffix("/") { publicURL.removeLast() }
        config.publicURL = publicURL
        config.retrySeconds = try number("MESSAGE_RETRY_SECONDS", 30, 1...3600)
        config.leaseSeconds = try number("MESSAGE_LEASE_SECONDS", 120, 5...3600)
        return config
    }
}
