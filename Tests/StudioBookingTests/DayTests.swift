import Testing
@testable import StudioBooking

@Suite struct DayTests {
    @Test func parsesOnlyRealDates() {
        #expect(Day(iso: "2025-02-28") == Day(year: 2025, month: 2, day: 28))
        #expect(Day(iso: "2024-02-29") != nil)
        #expect(Day(iso: "2025-02-29") == nil)
        #expect(Day(iso: "2025-13-01") == nil)
        #expect(Day(iso: "2025-1-01") == nil)
        #expect(Day(iso: "25-01-01") == nil)
        #expect(Day(iso: "2025/01/01") == nil)
        #expect(Day(iso: "2025-01-01T00") == nil)
        #expect(Day(iso: "２０２５-01-01") == nil)
        #expect(Day(iso: "0026-01-01")?.iso == "0026-01-01")
        // PostgreSQL has no year zero: a date it would refuse (22008) is no date here.
        #expect(Day(iso: "0000-01-01") == nil)
        #expect(Day(iso: "0000-02-29") == nil)
        #expect(Day(iso: "0001-01-01") != nil)
        #expect(Day(iso: "9999-12-31") != nil)
    }

    @Test func ordinalsRoundTrip() {
        #expect(Day(year: 1970, month: 1, day: 1).ordinal == 0)
        #expect(Day(year: 2026, month: 11, day: 25).adding(days: 180) == Day(year: 2027, month: 5, day: 24))
        for ordinal in stride(from: -1000, to: 30000, by: 37) {
            #expect(Day(ordinal: ordinal).ordinal == ordinal)
        }
    }
}
