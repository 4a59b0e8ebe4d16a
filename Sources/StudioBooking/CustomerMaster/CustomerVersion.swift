import Crypto

extension CustomerChangeStore.Locked {
    /// What the edit form was shown: a digest of the fields it edits, as saved then. The form sends
    /// it back (`versi`), and an edit of a customer whose fields have changed since (another staff
    /// member's edit, a booking's new address) is a 409, not a silent overwrite.
    var version: String {
        let fields = [nama, jenisKelamin ?? "", telp ?? "", email ?? "", alamat ?? ""].joined(separator: "\u{1F}")
        return SHA256.hash(data: Array(fields.utf8)).prefix(12).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
