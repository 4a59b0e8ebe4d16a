/// The rules for staff accounts, shared by `studio-booking staff add`, the accounts page and their tests.
public enum StaffAccount {
    public static func isValid(username: String) -> Bool {
        (1...50).contains(username.count)
            && username.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_@".unicodeScalars.contains($0)) }
    }

    /// Why this password will not do, or nil.
    public static func problem(password: String) -> String? {
        if password.count < 8 { return "the password must be at least 8 characters" }
        if password.utf8.count > 1024 { return "the password must be at most 1024 bytes" }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "the password must not contain control characters"
        }
        return nil
    }

    /// The stored form of a password (argon2id, `Password`); throws only when libsodium cannot
    /// start or is refused the memory.
    public static func hash(_ password: String) throws -> String { try Password.hash(password) }
}
