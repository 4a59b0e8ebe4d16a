/// An `application/x-www-form-urlencoded` body, decoded.
///
/// A repeated field keeps its first value. A value PostgreSQL could not hold as text — bytes that
/// are not UTF-8, or a NUL (libpq's parameters are C strings, and `text` refuses U+0000) — is
/// remembered as malformed, so it is refused as bad input, and kept with U+FFFD in place of each
/// such byte, so a refused form comes back and nothing read from here can carry a NUL to the database.
public struct FormData: Sendable, Equatable {
    public private(set) var values: [String: String] = [:]
    /// Fields whose decoded bytes were not UTF-8 or held a NUL.
    public private(set) var malformed: Set<String> = []

    public init(_ values: [String: String] = [:]) { self.values = values }

    public init(urlEncoded body: [UInt8]) {
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let keyBytes = Self.decode(parts[0])
            guard let key = String(validating: keyBytes, as: UTF8.self), !key.isEmpty else { continue }
            guard values[key] == nil, !malformed.contains(key) else { continue }
            var valueBytes = Self.decode(parts.count > 1 ? parts[1] : body[0..<0])
            if valueBytes.contains(0) {
                valueBytes = Self.replacingNUL(valueBytes)
                malformed.insert(key)
            }
            if let value = String(validating: valueBytes, as: UTF8.self) {
                values[key] = value
            } else {
                values[key] = String(decoding: valueBytes, as: UTF8.self)
                malformed.insert(key)
            }
        }
    }

    public subscript(_ name: String) -> String? { values[name] }

    /// Percent-decoding with `+` as a space. A malformed escape is kept as it was typed.
    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"),
                let high = bytes.index(index, offsetBy: 1, limitedBy: bytes.endIndex), high != bytes.endIndex,
                let low = bytes.index(high, offsetBy: 1, limitedBy: bytes.endIndex), low != bytes.endIndex,
                let h = hexValue(bytes[high]), let l = hexValue(bytes[low])
            {
                output.append(h << 4 | l)
                index = low
            } else {
                output.append(byte)
            }
            index = bytes.index(after: index)
        }
        return output
    }

    /// Each NUL byte as U+FFFD, the mark a byte that is not UTF-8 gets too.
    static func replacingNUL(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        for byte in bytes {
            if byte == 0 { output.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { output.append(byte) }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
