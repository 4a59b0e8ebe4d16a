/// A PostgreSQL array in its text form (`{"a","b",NULL}`), so that a whole column of values travels
/// as one bound parameter: `$1::text[]`, `$2::integer[]`.
public enum ArrayLiteral {
    /// Every element is quoted, with `"` and `\` escaped, so any text (commas, braces, the word NULL)
    /// arrives as it was; a Swift `nil` is SQL NULL.
    public static func text(_ values: [String?]) -> String {
        // Built as UTF-8 bytes: the escaped characters are ASCII, and no multi-byte sequence
        // contains an ASCII byte.
        var literal: [UInt8] = [UInt8(ascii: "{")]
        for (index, value) in values.enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            guard let value else { literal.append(contentsOf: "NULL".utf8); continue }
            literal.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { literal.append(UInt8(ascii: "\\")) }
                literal.append(byte)
            }
            literal.append(UInt8(ascii: "\""))
        }
        literal.append(UInt8(ascii: "}"))
        return String(decoding: literal, as: UTF8.self)
    }
}
