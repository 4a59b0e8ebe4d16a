/// A request value refused before any SQL sees it: text PostgreSQL cannot hold (a NUL, bytes that
/// are not UTF-8), or a number its column cannot. Bad input (400 or 422), never an outage.
struct RefusedValue: Error, Equatable {
    /// The field, as the form or query names it.
    let field: String
}

extension FormData {
    /// The range of PostgreSQL's `integer`, every id column's type here (`SERIAL`).
    static let integerRange = Int(Int32.min)...Int(Int32.max)

    /// The field's text, nil when absent; refused when it held a NUL or bytes that are not UTF-8.
    func text(_ name: String) throws(RefusedValue) -> String? {
        guard !malformed.contains(name) else { throw RefusedValue(field: name) }
        return values[name]
    }

    /// The field as an `integer` column holds it: nil when absent or empty; refused when it is not
    /// a whole number within `integerRange` (beyond it PostgreSQL answers 22003, which is no outage).
    func integer(_ name: String) throws(RefusedValue) -> Int? {
        guard let text = try text(name)?.trimmed, !text.isEmpty else { return nil }
        guard let value = Int(text), Self.integerRange.contains(value) else { throw RefusedValue(field: name) }
        return value
    }
}
