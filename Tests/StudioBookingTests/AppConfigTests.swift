import Testing
@testable import StudioBooking

/// The environment a responder reads (README, "Configuration"): defaults, and a clear line for a
/// value out of range.
@Suite struct AppConfigTests {
    @Test func defaults() throws {
        let config = try AppConfig.fromEnvironment([:])
        #expect(config.databaseURL == "")
        #expect(config.logFile == "logs/studio-booking.log")
        #expect(config.timeZone.identifier == "Asia/Jakarta")
        #expect(config.templatesDirectory == "templates")
        #expect((config.firstHour, config.lastHour, config.daysAhead) == (9, 20, 180))
        #expect(config.maxActiveBookingsPerPhone == 5)
        #expect((config.batchCommitters, config.maxBatchSize) == (1, 32))
        #expect(config.cancelHours == 24)
        #expect(config.studioWhatsApp == nil)
    }

    @Test func valuesFromTheEnvironment() throws {
        let config = try AppConfig.fromEnvironment([
            "BOOKING_TIMEZONE": "Asia/Makassar", "BOOKING_FIRST_HOUR": "8", "BOOKING_LAST_HOUR": "22",
            "BOOKING_DAYS_AHEAD": "30", "BOOKING_MAX_ACTIVE_PER_PHONE": "0",
            "BOOKING_BATCH_COMMITTERS": "2", "BOOKING_MAX_BATCH": "1", "BOOKING_CANCEL_HOURS": "0",
            "STUDIO_WHATSAPP": "+62 812-3456-7890",
        ])
        #expect(config.timeZone.identifier == "Asia/Makassar")
        #expect((config.firstHour, config.lastHour, config.daysAhead) == (8, 22, 30))
        #expect(config.maxActiveBookingsPerPhone == 0)
        #expect((config.batchCommitters, config.maxBatchSize) == (2, 1))
        #expect(config.cancelHours == 0)
        #expect(config.studioWhatsApp == "6281234567890")
        // Set but empty, as an env file leaves it: no link.
        #expect(try AppConfig.fromEnvironment(["STUDIO_WHATSAPP": " "]).studioWhatsApp == nil)
    }

    @Test(arguments: [
        ("BOOKING_BATCH_COMMITTERS", "0", "BOOKING_BATCH_COMMITTERS: expected a whole number in 1...64, got 0"),
        ("BOOKING_MAX_BATCH", "1001", "BOOKING_MAX_BATCH: expected a whole number in 1...1000, got 1001"),
        ("BOOKING_MAX_BATCH", "many", "BOOKING_MAX_BATCH: expected a whole number in 1...1000, got many"),
        ("BOOKING_LAST_HOUR", "7", "BOOKING_LAST_HOUR: expected a whole number in 9...23, got 7"),
        ("BOOKING_TIMEZONE", "Mars/Olympus", "BOOKING_TIMEZONE: unknown time zone Mars/Olympus"),
        ("BOOKING_CANCEL_HOURS", "-1", "BOOKING_CANCEL_HOURS: expected a whole number in 0...8760, got -1"),
        ("BOOKING_CANCEL_HOURS", "satu hari", "BOOKING_CANCEL_HOURS: expected a whole number in 0...8760, got satu hari"),
        ("STUDIO_WHATSAPP", "0812", "STUDIO_WHATSAPP: expected an Indonesian phone number (08…, +62…), got 0812"),
    ])
    func aBadValueStopsTheStartWithOneLine(name: String, value: String, message: String) {
        do {
            _ = try AppConfig.fromEnvironment([name: value])
            Issue.record("\(name)=\(value) was accepted")
        } catch {
            #expect(error.description == message)
        }
    }
}
