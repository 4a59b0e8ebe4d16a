import Foundation

/// A booking as an iCalendar file (RFC 5545), `/booking/{ref}.ics`: one event, times in UTC, that a
/// calendar imports once and then updates, never doubles. The same `UID` every time, and a
/// `SEQUENCE` that grows with each cancel or move, so the newer file wins (RFC 5545 §3.8.7.4).
struct CalendarFile {
    /// `{ref}@studio-booking`: stable for the booking's whole life, whatever changes.
    let uid: String
    let sequence: Int
    /// When this file was made (`DTSTAMP`).
    let stamp: Date
    let start: Date
    let end: Date
    let summary: String
    let description: String
    let cancelled: Bool

    /// RFC 5545 §3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break."
    static let maxLineOctets = 75

    /// The file: CRLF lines, each folded at 75 octets.
    var bytes: [UInt8] {
        let lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Studio Booking//Booking Studio//ID",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:\(Self.escape(uid))",
            "SEQUENCE:\(sequence)",
            "DTSTAMP:\(Self.utc(stamp))",
            "DTSTART:\(Self.utc(start))",
            "DTEND:\(Self.utc(end))",
            "SUMMARY:\(Self.escape(summary))",
            "DESCRIPTION:\(Self.escape(description))",
            "STATUS:\(cancelled ? "CANCELLED" : "CONFIRMED")",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.flatMap(Self.fold)
    }

    /// TEXT values (§3.3.11): a backslash, semicolon and comma escaped, a line break as `\n`.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": break
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One content line, folded (§3.1): at most 75 octets a line, each continuation starting with
    /// a space, never splitting a character's UTF-8 bytes; then CRLF.
    static func fold(_ line: String) -> [UInt8] {
        var out: [UInt8] = []
        var lineOctets = 0
        for scalar in line.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if lineOctets + encoded.count > maxLineOctets {
                out += [13, 10, 32]
                lineOctets = 1
            }
            out += encoded
            lineOctets += encoded.count
        }
        return out + [13, 10]
    }

    /// A moment as a UTC DATE-TIME (§3.3.5, form 2): `20261125T020000Z`.
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = Day(year: parts.year!, month: parts.month!, day: parts.day!).iso.replacingOccurrences(of: "-", with: "")
        return day + "T" + [parts.hour!, parts.minute!, parts.second!].map(BookingCalendar.twoDigits).joined() + "Z"
    }
}
