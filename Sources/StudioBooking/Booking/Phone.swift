/// Indonesian phone numbers as the customer master keeps them (docs/behaviour.md: Matching a booking to a customer).
/// The SQL function `sb_normalize_phone` (migrations 003 and 007) must agree with this, for legacy rows.
public enum Phone {
    /// Digits only; `+62…` and `62…` become `0…`; nil when there are no digits at all.
    public static func normalize(_ raw: String) -> String? {
        let digits = String(raw.unicodeScalars.filter { ("0"..."9").contains($0) })
        if digits.isEmpty { return nil }
        if digits.hasPrefix("62") { return "0" + digits.dropFirst(2) }
        return digits
    }
}
