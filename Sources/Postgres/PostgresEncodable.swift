/// A Swift value bound to a `$n` parameter. It travels in PostgreSQL's text form, which the SQL
/// casts where the type matters (`$1::integer`, `$2::text[]`).
public protocol PostgresEncodable {
    /// The text PostgreSQL reads for this value; nil is SQL NULL.
    var postgresText: String? { get }
}

extension String: PostgresEncodable {
    public var postgresText: String? { self }
}

extension Int: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Bool: PostgresEncodable {
    public var postgresText: String? { self ? "true" : "false" }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
}

/// A whole column of values as one parameter, in the array's text form (`ArrayLiteral`).
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresText: String? {
        // Element by element into one buffer: no array of texts in between (the booking batch
        // sends twelve of these per statement).
        var literal = ArrayLiteral()
        for element in self { literal.append(element.postgresText) }
        return literal.text()
    }
}
