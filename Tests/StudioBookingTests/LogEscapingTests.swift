import Foundation
import Testing
@testable import StudioBooking

/// `LOG_FILE` holds one line per event, and each reads the same in every viewer: whatever could
/// break a line, drive a terminal or turn text around is written as an escape (issue 14).
@Suite struct LogEscapingTests {
    func escaped(_ text: String) -> String { LogEscaping.escaped(text) }

    @Test func ordinaryTextIsWrittenAsItIs() {
        for text in [
            "New customer auto-created from booking: John Doe (08123456789)", "O'Brien & \"Co\" <b>", "Staf E2E",
            "Siti Nurhaliza — Jl. Merdeka 10, Bandung", "José Müller", "山田太郎", "🎤📸",
            "", "Booking failed, nothing saved: 40P01 deadlock detected",
        ] {
            #expect(escaped(text) == text, "\(text)")
        }
    }

    @Test func controlCharacters() {
        #expect(escaped("a\nb\rc\td") == #"a\nb\rc\td"#)
        #expect(escaped("\u{1B}[2J\u{1B}]0;owned\u{07}") == #"\x1b[2J\x1b]0;owned\x07"#)
        #expect(escaped("nul\u{0}del\u{7F}vt\u{0B}ff\u{0C}") == #"nul\x00del\x7fvt\x0bff\x0c"#)
        // C1, the next-line character NEL among them, and the 8-bit CSI.
        #expect(escaped("a\u{85}b\u{9B}c\u{80}d\u{9F}") == #"a\u0085b\u009bc\u0080d\u009f"#)
    }

    @Test func lineAndParagraphSeparators() {
        #expect(escaped("x\u{2028}y\u{2029}z") == #"x\u2028y\u2029z"#)
    }

    @Test func bidiControlsAndOtherFormatCharacters() {
        // Embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, marks U+200E/U+200F, U+061C.
        for scalar: UInt32 in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C] {
            let text = "a" + String(Unicode.Scalar(scalar)!) + "b"
            #expect(escaped(text) == "a\\u" + String(format: "%04x", scalar) + "b")
        }
        // Zero-width space, joiners, word joiner, byte-order mark, soft hyphen, a tag above U+FFFF.
        #expect(escaped("\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{AD}") == #"\u200b\u200c\u200d\u2060\ufeff\u00ad"#)
        #expect(escaped("flag\u{E0001}\u{E0067}") == #"flag\U000e0001\U000e0067"#)
    }

    /// An escape in the log always means one was made: a backslash typed is written doubled.
    @Test func aTypedEscapeIsNotMistakenForAMadeOne() {
        #expect(escaped(#"a\u2028b"#) == #"a\\u2028b"#)
        #expect(escaped("a\\\u{2028}") == #"a\\\u2028"#)
    }

    /// Only printable ASCII and characters shown as themselves come out: every line break,
    /// control and format character of the whole Unicode range is escaped.
    @Test func nothingALineBreakOrAControlSurvives() {
        var all = ""
        for value in UInt32(0)...0x10FFFF {
            if let scalar = Unicode.Scalar(value) { all.unicodeScalars.append(scalar) }
        }
        let shownAsThemselves = escaped(all).unicodeScalars.filter { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: true
            default: false
            }
        }
        #expect(shownAsThemselves.map { String($0.value, radix: 16) } == [])
    }

    /// Through the log itself: the forged entry of issue 14 stays inside the one line it came in.
    @Test func aForgedEntryStaysOnItsLine() throws {
        let path = NSTemporaryDirectory() + "studio-booking-escaping-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try EventLog(path: path)
        let forged = "Mallory\u{2028}2026-11-25T09:31:56.462Z info New customer auto-created from booking: Fake (0800)\u{1B}[2J"
        log.info("New customer auto-created from booking: \(forged) (08123456789)")
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
        #expect(written.hasSuffix(
            #" info New customer auto-created from booking: Mallory\u20282026-11-25T09:31:56.462Z info New customer auto-created from booking: Fake (0800)\x1b[2J (08123456789)"#
                + "\n"))
        #expect(!written.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{1B}" })
    }
}
