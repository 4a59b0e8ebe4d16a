import Foundation

/// Everything the app reads from its environment (README.md: Configuration), with the defaults.
public struct AppConfig: Sendable {
    /// A libpq connection string or URI, passed to libpq untouched. Empty: libpq's own defaults.
    public var databaseURL: String
    public var logFile: String
    public var timeZone: TimeZone
    public var templatesDirectory: String
    public var firstHour = 9
    public var lastHour = 20
    public var daysAhead = 180
    /// Active (today or later) bookings one phone number may hold; 0 means no limit.
    public var maxActiveBookingsPerPhone = 5
    /// Committer threads per responder, each sending one batch of bookings at a time (`Batcher`).
    /// One keeps batches largest; measured, two were slower on two cores (bench/README.md).
    public var batchCommitters = 1
    /// Bookings in one batch at most.
    public var maxBatchSize = 32
    /// Larger bodies are refused with 413 before they are read.
    public var maxBodySize = 64 * 1024
    /// A customer may cancel or move a booking until this many hours before its start.
    public var cancelHours = 24
    /// The studio's WhatsApp number as `wa.me` takes it (`62812…`), or nil: no link.
    public var studioWhatsApp: String?
    /// The messages to customers: e-mail, webhook, reminder, links (MessageConfig).
    public var messages = MessageConfig()

    public init(databaseURL: String, logFile: String, timeZone: TimeZone, templatesDirectory: String) {
        self.databaseURL = databaseURL
        self.logFile = logFile
        self.timeZone = timeZone
        self.templatesDirectory = templatesDirectory
    }

    /// Reads `DATABASE_URL`, `LOG_FILE`, `BOOKING_TIMEZONE`, `TEMPLATES_DIR`,
    /// `BOOKING_FIRST_HOUR`, `BOOKING_LAST_HOUR`, `BOOKING_DAYS_AHEAD`, `BOOKING_MAX_ACTIVE_PER_PHONE`,
    /// `BOOKING_BATCH_COMMITTERS`, `BOOKING_MAX_BATCH`, `BOOKING_CANCEL_HOURS` and `STUDIO_WHATSAPP`.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigError) -> AppConfig {
        let zoneName = environment["BOOKING_TIMEZONE"] ?? "Asia/Jakarta"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw ConfigError("BOOKING_TIMEZONE: unknown time zone \(zoneName)")
        }
        var config = AppConfig(
            databaseURL: environment["DATABASE_URL"] ?? "",
            logFile: environment["LOG_FILE"] ?? "logs/studio-booking.log",
            timeZone: zone,
            templatesDirectory: environment["TEMPLATES_DIR"] ?? "templates")
        config.firstHour = try integer(environment, "BOOKING_FIRST_HOUR", default: 9, in: 0...23)
        config.lastHour = try integer(environment, "BOOKING_LAST_HOUR", default: 20, in: config.firstHour...23)
        config.daysAhead = try integer(environment, "BOOKING_DAYS_AHEAD", default: 180, in: 0...3650)
        config.maxActiveBookingsPerPhone = try integer(
            environment, "BOOKING_MAX_ACTIVE_PER_PHONE", default: 5, in: 0...1_000_000)
        config.batchCommitters = try integer(environment, "BOOKING_BATCH_COMMITTERS", default: 1, in: 1...64)
        config.maxBatchSize = try integer(environment, "BOOKING_MAX_BATCH", default: 32, in: 1...1000)
        config.cancelHours = try integer(environment, "BOOKING_CANCEL_HOURS", default: 24, in: 0...8760)
        if let number = environment["STUDIO_WHATSAPP"], !number.trimmed.isEmpty {
            guard let international = Phone.international(number) else {
                throw ConfigError("STUDIO_WHATSAPP: expected an Indonesian phone number (08…, +62…), got \(number)")
            }
            config.studioWhatsApp = international
        }
        config.messages = try MessageConfig.fromEnvironment(environment)
        return config
    }

    private static func integer(
        _ environment: [String: String], _ name: String, default value: Int, in range: ClosedRange<Int>
    ) throws(ConfigError) -> Int {
        guard let text = environment[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw ConfigError("\(name): expected a whole number in \(range.lowerBound)...\(range.upperBound), got \(text)")
        }
        return number
    }

    public var calendar: BookingCalendar {
        BookingCalendar(timeZone: timeZone, firstHour: firstHour, lastHour: lastHour, daysAhead: daysAhead)
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
