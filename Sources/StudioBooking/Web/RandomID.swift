import Glibc

/// Unguessable identifiers: 128 bits from glibc's `arc4random_buf`, as hex.
enum RandomID {
    static func make() -> String {
        // One getrandom call for all 16 bytes (glibc 2.36's arc4random_buf; measured with strace),
        // where SystemRandomNumberGenerator made one per 64-bit draw: two per booking.
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        return bytes.hex
    }

    /// Exactly what `make` produces: 32 lowercase hex digits.
    static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

extension Sequence<UInt8> {
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
