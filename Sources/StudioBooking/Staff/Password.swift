import CSodium
import Crypto
import Foundation
import _CryptoExtras

/// Staff passwords, stored as argon2id in libsodium's own string (`$argon2id$v=19$m=…,t=…,p=1$SALT$KEY`,
/// `crypto_pwhash_str`: the parameters and the salt travel with the hash). Hashes stored before
/// argon2id, PBKDF2-HMAC-SHA256 as `pbkdf2-sha256$ROUNDS$SALT$KEY` (base64), still verify, and
/// `needsRehash` says to replace them at that sign-in.
enum Password {
    /// libsodium's INTERACTIVE limits (2 passes over 64 MiB): README.md, The staff area, says why.
    static let opsLimit = UInt64(crypto_pwhash_opslimit_interactive())
    static let memLimit = crypto_pwhash_memlimit_interactive()

    /// `sodium_init` once per process; libsodium: "sodium_init() returns 0 on success, -1 on
    /// failure, and 1 if the library had already been initialized". Every hash and check below
    /// asks this first, so a library that cannot start fails them instead of running uninitialized.
    private static let sodiumReady: Bool = sodium_init() >= 0

    /// Hashes computed at once in one process, at most: each holds `memLimit` while it runs, so
    /// sixteen workers signing in together (a flood from many addresses) would hold a gigabyte;
    /// two keep the peak at 128 MiB, and the cores are busy either way.
    static let concurrentHashes = 2
    private static let hashing = DispatchSemaphore(value: concurrentHashes)

    /// A new argon2id hash of `password`, with a random salt.
    static func hash(_ password: String) throws(PasswordError) -> String {
        guard sodiumReady else { throw PasswordError("sodium_init failed") }
        var out = [CChar](repeating: 0, count: crypto_pwhash_strbytes())
        hashing.wait()
        defer { hashing.signal() }
        // The length is passed, so a NUL inside the password is hashed like any other byte.
        // libsodium: "returns 0 on success and -1 if the computation didn't complete, usually
        // because the operating system refused to allocate the amount of requested memory".
        let status = password.withCString {
            crypto_pwhash_str(&out, $0, UInt64(password.utf8.count), opsLimit, memLimit)
        }
        guard status == 0 else { throw PasswordError("crypto_pwhash_str failed (out of memory?)") }
        // libsodium writes a NUL-terminated ASCII string into the buffer.
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` is the one `stored` was made from. A stored value this cannot read
    /// matches nothing.
    static func verify(_ password: String, against stored: String) -> Bool {
        if stored.hasPrefix("\(PBKDF2.scheme)$") { return PBKDF2.verify(password, against: stored) }
        guard sodiumReady, stored.hasPrefix("$argon2id$"), stored.utf8.count < crypto_pwhash_strbytes() else { return false }
        hashing.wait()
        defer { hashing.signal() }
        return stored.withCString { hash in
            password.withCString { crypto_pwhash_str_verify(hash, $0, UInt64(password.utf8.count)) == 0 }
        }
    }

    /// Whether a stored hash that has just verified should be replaced: PBKDF2, or argon2id with
    /// other limits than today's (libsodium answers 1, or -1 for a string it does not read as its own).
    static func needsRehash(_ stored: String) -> Bool {
        guard sodiumReady, stored.hasPrefix("$argon2id$") else { return true }
        return stored.withCString { crypto_pwhash_str_needs_rehash($0, opsLimit, memLimit) } != 0
    }

    /// Checked against when the user name is unknown, so that a wrong name takes as long as a
    /// wrong password and the answer's timing does not tell which names exist. Should the hash
    /// fail at start (no memory), PBKDF2 stands in: refusing unknown names still works.
    static let unknownUser: String = (try? hash(RandomID.make())) ?? PBKDF2.hash(RandomID.make(), rounds: PBKDF2.rounds)
}

/// Why a password could not be hashed: libsodium could not start, or refused the memory.
struct PasswordError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The PBKDF2-HMAC-SHA256 hashes stored before argon2id: read to verify them once more, at the
/// sign-in that replaces them. `hash` stays for the tests that make such an old account.
enum PBKDF2 {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256, the rounds every such hash was made with.
    static let rounds = 600_000
    static let scheme = "pbkdf2-sha256"

    static func hash(_ password: String, rounds: Int) -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        salt.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        let key = derive(password, salt: salt, rounds: rounds)
        return "\(scheme)$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Constant-time in the comparison.
    static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme, let rounds = Int(parts[1]), (1...10_000_000).contains(rounds),
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            expected.count == 32
        else { return false }
        let key = derive(password, salt: Array(salt), rounds: rounds)
        return zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int) -> [UInt8] {
        // Only an allocation failure inside BoringSSL throws here: the parameters are fixed.
        let key = try! KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
