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

    /// The number as `wa.me` and gateways take it: country code first, no `+` (`62812…`); nil unless
    /// it is a valid number of the booking form (10-15 digits normalized, starting with 0).
    public static func international(_ raw: String) -> String? {
        guard raw.unicodeScalars.allSatisfy(BookingValidator.phoneCharacters.contains),
            let local = normalize(raw), (10...15).contains(local.count), local.hasPrefix("0")
        else { return nil }
        return "62" + local.dropFirst()
    }
}
