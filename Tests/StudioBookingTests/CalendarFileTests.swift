import Foundation
import Testing
@testable import StudioBooking

/// The calendar file's form (RFC 5545): CRLF lines folded at 75 octets, escaped text, UTC times.
@Suite struct CalendarFileTests {
    static let jakarta = BookingCalendar(timeZone: TimeZone(identifier: "Asia/Jakarta")!)

    static func file(summary: String = "Sesi studio: Studio 1", cancelled: Bool = false) -> CalendarFile {
        let day = Day(year: 2026, month: 12, day: 31)
        return CalendarFile(
            uid: "0123456789abcdef0123456789abcdef@studio-booking", sequence: 3,
            stamp: Date(timeIntervalSince1970: 1_800_000_000), start: jakarta.instant(day, hour: 22),
            end: jakarta.instant(day, hour: 25), summary: summary, description: "Kode customer: CS-000001\nLama sesi: 3 jam",
            cancelled: cancelled)
    }

    static func lines(_ file: CalendarFile) -> [String] {
        String(decoding: file.bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test func oneEventInUTC() {
        let lines = Self.lines(Self.file())
        #expect(lines.first == "BEGIN:VCALENDAR")
        #expect(lines.suffix(2) == ["END:VCALENDAR", ""], "every line ends in CRLF, the last too")
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
        // 22:00 in Jakarta (UTC+7) is 15:00 UTC; three hours later is past local midnight.
        #expect(lines.contains("DTSTART:20261231T150000Z"))
        #expect(lines.contains("DTEND:20261231T180000Z"))
        #expect(lines.contains("DTSTAMP:20270115T080000Z"))
        #expect(lines.contains("UID:0123456789abcdef0123456789abcdef@studio-booking"))
        #expect(lines.contains("SEQUENCE:3"))
        #expect(lines.contains("STATUS:CONFIRMED"))
        #expect(lines.contains("DESCRIPTION:Kode customer: CS-000001\\nLama sesi: 3 jam"))
        #expect(Self.lines(Self.file(cancelled: true)).contains("STATUS:CANCELLED"))
        #expect(!String(decoding: Self.file().bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func textIsEscaped() {
        #expect(CalendarFile.escape(#"a\b;c,d"# + "\r\ne") == #"a\\b\;c\,d\ne"#)
    }

    /// Long names, multi-byte ones among them: no line over 75 octets, no character cut in two, and
    /// the lines unfolded give the value back.
    @Test(arguments: [
        String(repeating: "Studio Foto Keluarga ", count: 8),
        String(repeating: "Ruang 🎙️ rekaman — Ñusantara ", count: 6),
        String(repeating: "é", count: 80),
    ])
    func longLinesAreFoldedWholeCharactersAt75Octets(name: String) {
        let bytes = Self.file(summary: name).bytes
        var line: [UInt8] = []
        var physical: [[UInt8]] = []
        for (index, byte) in bytes.enumerated() {
            if byte == 10, index > 0, bytes[index - 1] == 13 {
                physical.append(Array(line.dropLast()))
                line = []
            } else {
                line.append(byte)
            }
        }
        for octets in physical {
            #expect(octets.count <= 75)
            #expect(String(validatingUTF8: octets.map { CChar(bitPattern: $0) } + [0]) != nil, "a character cut in two")
        }
        let unfolded = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:\(CalendarFile.escape(name))\r\n"))
        #expect(physical.count > Self.lines(Self.file()).count - 1, "something was folded")
    }
}
