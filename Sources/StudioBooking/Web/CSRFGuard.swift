import Crypto
import Foundation

/// CSRF protection bound to the visitor: a random visitor id lives in an HttpOnly cookie, and the
/// form carries HMAC(key, visitor id). Another site can neither read the cookie nor forge the token.
/// The key comes from the database, so every responder process accepts every other's tokens.
public struct CSRFGuard: Sendable {
    public static let cookieName = "sb_visitor"
    /// Raw key bytes: swift-crypto's `SymmetricKey` is not `Sendable`, so it is made per use.
    private let secret: [UInt8]

    public init(secret: String) { self.secret = Array(secret.utf8) }

    public func token(for visitor: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Array(visitor.utf8), using: SymmetricKey(data: secret))).hex
    }

    /// Compares in constant time, so the token cannot be guessed byte by byte.
    public func isValid(token: String, for visitor: String) -> Bool {
        let expected = Array(self.token(for: visitor).utf8)
        let given = Array(token.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A new visitor id, 128 bits from the system's secure generator.
    public static func newVisitorID() -> String { RandomID.make() }
}

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
