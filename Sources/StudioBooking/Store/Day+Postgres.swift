import Postgres

/// A day travels as PostgreSQL's ISO date (`YYYY-MM-DD`, the text a `date` column answers with
/// under the default DateStyle), cast where it is used: `$1::date`.
extension Day: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { iso }

    public init?(postgresText text: String) { self.init(iso: text) }
}
