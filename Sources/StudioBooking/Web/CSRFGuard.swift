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
