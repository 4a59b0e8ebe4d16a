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

    /// What names one customer whole, found by an exact index lookup before any trigram search
    /// (`CustomerMasterStore.customers`): the desk reads a caller's phone or code out whole.
    enum Exact: Equatable {
        /// A whole phone in any format: normalized, 10–15 digits starting with 0 (the booking form's rule).
        case phone(String)
        /// A whole code of this app's form (`CS-` and at least six digits), upper-cased.
        case code(String)
    }

    var exact: Exact? {
        if (10...15).contains(phone.count), phone.hasPrefix("0") { return .phone(phone) }
        let code = text.uppercased()
        if code.wholeMatch(of: /CS-[0-9]{6,9}/) != nil { return .code(code) }
        return nil
    }

    /// LIKE patterns over a customer's search text (code, name, email and normalized phone, as
    /// `sb_customer_search_text` joins them), any of which matching finds the customer. Three
    /// characters or more: anywhere. One or two: the start of a word, as a trigram index cannot
    /// find shorter pieces anywhere without reading every customer.
    var patterns: [String] {
        guard !text.isEmpty else { return [] }
        var patterns = text.count >= 3 ? [text.likeContaining] : [text.likeStart, "% " + text.likeStart]
        if !phone.isEmpty { patterns.append(phone.likeContaining) }
        return patterns
    }
}

extension String {
    /// A LIKE pattern matching any text that contains this one: its own `%`, `_` and `\` escaped.
    var likeContaining: String { "%" + likeStart }

    /// A LIKE pattern matching any text that starts with this one.
    var likeStart: String {
        var pattern = ""
        for character in self {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }
}
