import Crypto
import Foundation
import _CryptoExtras

/// Staff passwords, stored as PBKDF2-HMAC-SHA256 with a random salt:
/// `pbkdf2-sha256$ROUNDS$SALT$KEY` (base64). The rounds are stored, so they can rise later
/// without making existing passwords unreadable.
enum Password {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    static let rounds = 600_000
    static let scheme = "pbkdf2-sha256"

    static func hash(_ password: String, rounds: Int = rounds) -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        salt.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        let key = derive(password, salt: salt, rounds: rounds)
        return "\(scheme)$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Whether `password` is the one `stored` was made from; constant-time in the comparison.
    /// A stored value this cannot read matches nothing.
    static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme, let rounds = Int(parts[1]), (1...10_000_000).contains(rounds),
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            expected.count == 32
        else { return false }
        let key = derive(password, salt: Array(salt), rounds: rounds)
        return zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Checked against when the user name is unknown, so that a wrong name takes as long as a
    /// wrong password and the answer's timing does not tell which names exist.
    static let unknownUser = hash(RandomID.make())

    private static func derive(_ password: String, salt: [UInt8], rounds: Int) -> [UInt8] {
        // Only an allocation failure inside BoringSSL throws here: the parameters are fixed.
        let key = try! KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
