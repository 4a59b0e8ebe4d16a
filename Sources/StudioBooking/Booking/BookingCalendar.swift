import Foundation

/// The studios' calendar: which dates and one-hour slots can be booked, in their local time zone.
public struct BookingCalendar: Sendable {
    public let timeZone: TimeZone
    /// The first and last slot's starting hour (09 and 20: the last slot runs 20:00–21:00).
    public let firstHour: Int
    public let lastHour: Int
    /// How many days ahead a booking may be made.
    public let daysAhead: Int
    public let now: @Sendable () -> Date
    /// Made once: building a `Calendar` per call was a visible part of a booking's CPU.
    private let gregorian: Calendar

    public init(
        timeZone: TimeZone, firstHour: Int = 9, lastHour: Int = 20, daysAhead: Int = 180,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.timeZone = timeZone
        self.firstHour = firstHour
        self.lastHour = lastHour
        self.daysAhead = daysAhead
        self.now = now
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        self.gregorian = gregorian
    }

    /// Every slot's start, `HH:00`.
    public var slots: [String] { (firstHour...lastHour).map { Self.twoDigits($0) + ":00" } }

    /// The local date and minute of the day right now.
    public func localNow() -> (day: Day, minute: Int) {
        let parts = gregorian.dateComponents([.year, .month, .day, .hour, .minute], from: now())
        return (Day(year: parts.year!, month: parts.month!, day: parts.day!), parts.hour! * 60 + parts.minute!)
    }

    /// The local date and time right now to the second, as PostgreSQL reads a `timestamp`:
    /// `2026-11-25 16:31:56`. What the cutoff of a customer's change is measured from.
    public func localTimestamp() -> String {
        let parts = gregorian.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now())
        let day = Day(year: parts.year!, month: parts.month!, day: parts.day!)
        return "\(day.iso) \(Self.twoDigits(parts.hour!)):\(Self.twoDigits(parts.minute!)):\(Self.twoDigits(parts.second!))"
    }

    /// The moment the wall clock in the studios' time zone shows `hour`:00 on `day` (an hour a
    /// change of clocks skips as the zone's calendar takes it). `hour` 24 and on: the next days'.
    public func instant(_ day: Day, hour: Int) -> Date {
        let date = day.adding(days: hour / 24)
        return gregorian.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: hour % 24))!
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// A calendar date without a time or a zone.
public struct Day: Sendable, Equatable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`, refusing dates that do not exist (2025-02-30), year 0000 among
    /// them: PostgreSQL has no year zero (22008), so it is bad input here, not a database failure.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            year >= 1, (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var iso: String {
        // Four digits for the year, always: the fuzzer found 0026-01-01 printed as 26-01-01.
        let yearDigits = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - yearDigits.count)) + yearDigits
        return "\(paddedYear)-\(BookingCalendar.twoDigits(month))-\(BookingCalendar.twoDigits(day))"
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil), for counting days between dates.
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Day {
    /// The date `ordinal` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    public init(ordinal: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }
}
