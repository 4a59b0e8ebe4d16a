import Testing
import TestSupport
@testable import StudioBooking

/// The one formatter of dates and times people read.
@Suite struct IndonesianDateTests {
    @Test func daysAsIndonesiansReadThem() {
        #expect(IndonesianDate.day(Day(year: 2026, month: 12, day: 5)) == "Sab, 5 Des 2026")
        #expect(IndonesianDate.day(Day(year: 2026, month: 12, day: 7)) == "Sen, 7 Des 2026")
        #expect(IndonesianDate.day(Day(year: 2027, month: 1, day: 3)) == "Min, 3 Jan 2027")
        #expect(IndonesianDate.day(Day(year: 2024, month: 2, day: 29)) == "Kam, 29 Feb 2024")
        #expect(IndonesianDate.day(Day(year: 1969, month: 12, day: 31)) == "Rab, 31 Des 1969")
        #expect(IndonesianDate.day(Day(year: 2026, month: 8, day: 17)) == "Sen, 17 Agu 2026")
        #expect(IndonesianDate.day(Day(year: 2026, month: 5, day: 1)) == "Jum, 1 Mei 2026")
    }

    /// Seven days in a row name seven weekdays, Senin to Minggu.
    @Test func aWeekNamesEveryWeekdayOnce() {
        let monday = Day(year: 2026, month: 11, day: 30)
        #expect((0..<7).map { IndonesianDate.weekdayIndex(monday.adding(days: $0)) } == Array(0..<7))
    }

    /// The same as ICU's Indonesian calendar writes them, over more than two years of days.
    @Test func asICUWritesThem() {
        let start = Day(year: 2025, month: 12, day: 20)
        for offset in 0..<800 {
            let day = start.adding(days: offset)
            #expect(IndonesianDate.day(day) == BookingClient.shown(day.iso))
        }
    }

    @Test func timesWithADot() {
        #expect(IndonesianDate.time("13:00") == "13.00")
        #expect(IndonesianDate.time("09:30:00") == "09.30")
        #expect(IndonesianDate.hour(24) == "24.00")
        // Not a time: kept as it came, never lost.
        #expect(IndonesianDate.time("") == "")
        #expect(IndonesianDate.time("pagi") == "pagi")
    }

    @Test func datesWithTheirTime() {
        #expect(IndonesianDate.dateTime("2026-12-05 23:26") == "Sab, 5 Des 2026 23.26")
        #expect(IndonesianDate.day(iso: "2026-12-05") == "Sab, 5 Des 2026")
        #expect(IndonesianDate.dateTime("2026-12-05") == "Sab, 5 Des 2026")
        #expect(IndonesianDate.dateTime("bukan tanggal") == "bukan tanggal")
    }
}
