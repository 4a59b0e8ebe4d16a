/// A PostgreSQL array in its text form (`{"a","b",NULL}`), so that a whole column of values travels
/// as one bound parameter: `$1::text[]`, `$2::integer[]`.
@usableFromInline
struct ArrayLiteral {
    // Built as UTF-8 bytes: the escaped characters are ASCII, and no multi-byte sequence
    // contains an ASCII byte.
    @usableFromInline
    var bytes: [UInt8] = [UInt8(ascii: "{")]

    @inlinable
    init() {}

    /// Every element is quoted, with `"` and `\` escaped, so any text (commas, braces, the word NULL)
    /// arrives as it was; a Swift `nil` is SQL NULL.
    @inlinable
    mutating func append(_ value: String?) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }  // after the first element
        guard let value else { bytes.append(contentsOf: "NULL".utf8); return }
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The literal, closed.
    @inlinable
    consuming func text() -> String {
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
