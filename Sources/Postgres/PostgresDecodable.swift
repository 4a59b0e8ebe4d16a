/// A Swift value a column decodes into, from PostgreSQL's text form (the queries ask for text:
/// libpq's default).
public protocol PostgresDecodable {
    /// The value `text` stands for; nil when it is not one of this type.
    init?(postgresText text: String)
    /// The value SQL NULL stands for; nil (the default) when NULL is not one of this type.
    static var postgresNull: Self? { get }
}

extension PostgresDecodable {
    @inlinable public static var postgresNull: Self? { nil }
}

extension String: PostgresDecodable {
    @inlinable public init?(postgresText text: String) { self = text }
}

extension Int: PostgresDecodable {
    @inlinable public init?(postgresText text: String) { self.init(text) }
}

extension Bool: PostgresDecodable {
    /// PostgreSQL's text form of a boolean is `t` or `f`.
    @inlinable public init?(postgresText text: String) {
        switch text {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    @inlinable public init?(postgresText text: String) {
        guard let value = Wrapped(postgresText: text) else { return nil }
        self = value
    }

    @inlinable public static var postgresNull: Self? { .some(.none) }
}
