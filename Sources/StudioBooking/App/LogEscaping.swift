/// How a message's text goes into `LOG_FILE` so that one event stays one line, and reads the same in
/// `cat`, `less`, an editor or a browser: whatever a viewer could take for a line break, a terminal
/// command or a change of reading direction is written as an escape instead.
///
/// - `\` → `\\`, so an escape in the log always means one was made (a name typed as `\u2028` stays
///   distinguishable from a U+2028);
/// - line feed, carriage return, tab → `\n`, `\r`, `\t`; other C0 controls and DEL → `\x1b` style;
/// - C1 controls (U+0080–U+009F, NEL among them), U+2028 and U+2029, and format characters
///   (category Cf: bidi embeddings, overrides and isolates, zero-width characters, U+FEFF, tags…)
///   → `\u2028` style, `\U000e0001` above U+FFFF.
///
/// Everything else, ordinary names and phones included, is written as it is.
enum LogEscaping {
    /// Appends `text`, escaped, to `line`.
    static func append(_ text: String, to line: inout [UInt8]) {
        var text = text
        // Contiguous UTF-8 (a native String already is): one byte test per ASCII character, the
        // usual case, each run of them copied at once, and a Unicode property lookup only for a
        // character outside ASCII.
        text.withUTF8 { bytes in
            var index = 0
            var run = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x20, byte < 0x7F, byte != backslash {
                    index += 1
                    continue
                }
                // An ASCII control or a backslash, or the 2–4 bytes of a character outside ASCII.
                let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let scalar = length == 1 ? UInt32(byte) : decode(bytes[index..<index + length])
                if length == 1 || needsEscape(scalar) {
                    line.append(contentsOf: bytes[run..<index])
                    appendEscape(of: scalar, to: &line)
                    run = index + length
                }
                index += length
            }
            line.append(contentsOf: bytes[run..<bytes.count])
        }
    }

    /// The escaped text, as a string (for tests).
    static func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a character outside ASCII is one a viewer may not show as itself.
    static func needsEscape(_ scalar: UInt32) -> Bool {
        // C1 controls; below U+0600 the only other one is the soft hyphen (Cf).
        if scalar < 0xA0 { return true }
        if scalar < 0x600 { return scalar == 0xAD }
        guard let unicode = Unicode.Scalar(scalar) else { return true }
        switch unicode.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendEscape(of scalar: UInt32, to line: inout [UInt8]) {
        line.append(backslash)
        switch scalar {
        case UInt32(backslash): line.append(backslash)
        case 0x0A: line.append(UInt8(ascii: "n"))
        case 0x0D: line.append(UInt8(ascii: "r"))
        case 0x09: line.append(UInt8(ascii: "t"))
        case ..<0x80:
            line.append(UInt8(ascii: "x"))
            appendHex(scalar, digits: 2, to: &line)
        case ...0xFFFF:
            line.append(UInt8(ascii: "u"))
            appendHex(scalar, digits: 4, to: &line)
        default:
            line.append(UInt8(ascii: "U"))
            appendHex(scalar, digits: 8, to: &line)
        }
    }

    private static func appendHex(_ value: UInt32, digits: Int, to line: inout [UInt8]) {
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            line.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    /// The scalar of one well-formed UTF-8 sequence of two to four bytes (a Swift string holds no other).
    private static func decode(_ sequence: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32 {
        var bytes = sequence.makeIterator()
        let lead = UInt32(bytes.next()!)
        var scalar = sequence.count == 2 ? lead & 0x1F : sequence.count == 3 ? lead & 0x0F : lead & 0x07
        while let next = bytes.next() { scalar = scalar << 6 | UInt32(next & 0x3F) }
        return scalar
    }
}
