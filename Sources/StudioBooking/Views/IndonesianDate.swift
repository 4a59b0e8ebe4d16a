/// Dates and times as Indonesians read them — `Sab, 5 Des 2026`, `13.00` — the one formatter every
/// page uses. Its inputs are already in `BOOKING_TIMEZONE`: a booking's date and start are the
/// studios' wall clock, and the stores convert moments (`created_at`, `dibuat_pada`) with
/// `AT TIME ZONE` before handing them over. `<input type="date">` values stay ISO: only what is
/// read goes through here.
enum IndonesianDate {
    static let weekdays = ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

    /// `Sab, 5 Des 2026`.
    static func day(_ day: Day) -> String {
        "\(weekdays[weekdayIndex(day)]), \(day.day) \(months[day.month - 1]) \(day.year)"
    }

    static let longWeekdays = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    static let longMonths = [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
        "November", "Desember",
    ]

    /// `Sabtu, 5 Desember 2026`: in messages, where there is room for the whole words.
    static func long(_ day: Day) -> String {
        "\(longWeekdays[weekdayIndex(day)]), \(day.day) \(longMonths[day.month - 1]) \(day.year)"
    }

    /// Index into `weekdays` (0 = Senin … 6 = Minggu): 1970-01-01 was a Thursday.
    static func weekdayIndex(_ day: Day) -> Int {
        ((day.ordinal % 7) + 7 + 3) % 7
    }

    /// `13.00` from `13:00` (or `13:00:00`); anything else as it came, so a legacy value the
    /// database holds is still shown rather than lost.
    static func time(_ text: String) -> String {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].count == 2, parts[1].count == 2,
            parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII)
        else { return text }
        return "\(parts[0]).\(parts[1])"
    }

    /// `13.00` for a whole hour (24 for the end of the day).
    static func hour(_ hour: Int) -> String {
        BookingCalendar.twoDigits(hour) + ".00"
    }

    /// `Sab, 5 Des 2026` from `YYYY-MM-DD`; anything else as it came.
    static func day(iso text: String) -> String {
        Day(iso: text).map(day) ?? text
    }

    /// `Sab, 5 Des 2026 23.26` from `YYYY-MM-DD HH:MM`; anything else as it came.
    static func dateTime(_ text: String) -> String {
        let parts = text.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let date = Day(iso: String(parts[0])) else { return day(iso: text) }
        return day(date) + " " + time(String(parts[1]))
    }
}
