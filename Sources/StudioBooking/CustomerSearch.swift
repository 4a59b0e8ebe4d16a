/// What staff typed into the customer master's search box, read as the list query needs it:
/// the text as typed, and, when it reads as a phone number, its digits normalized the way the
/// customer master keeps phones, so `+62 812-3450` finds `0812 3450 …` whatever the format.
struct CustomerSearch: Equatable {
    /// Trimmed; empty means every customer.
    let text: String
    /// The normalized phone digits, or empty when the text is not a phone number: letters in it,
    /// or fewer than three digits.
    let phone: String

    static let maxLength = 100

    init(_ raw: String) {
        text = String(raw.trimmed.prefix(Self.maxLength))
        let phoneCharacters = Set("0123456789+-(). ")
        let digits = text.filter(\.isASCII).filter(\.isNumber)
        if digits.count >= 3, text.allSatisfy(phoneCharacters.contains), let normalized = Phone.normalize(text) {
            phone = normalized
        } else {
            phone = ""
        }
    }
}
