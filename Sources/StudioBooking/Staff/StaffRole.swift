import Postgres

/// What a staff account may do (`staff_account.peran`, migration 012): `admin` also edits studios,
/// opening hours and closed days; `staf` works the desk. Accounts made before roles existed are admins.
public enum StaffRole: String, Sendable, PostgresDecodable, PostgresEncodable {
    case admin
    case staf

    public init?(postgresText text: String) { self.init(rawValue: text) }

    public var postgresText: String? { rawValue }
}
