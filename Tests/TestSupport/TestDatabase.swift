import Foundation
import Postgres
import StudioBooking

/// A database of its own for one test, so suites run side by side without sharing rows.
public struct TestDatabase: Sendable {
    public let name: String
    public let url: String

    /// Creates an empty database; `fixture` (SQL) is loaded into it, `migrate` then applies the migrations.
    public static func create(fixture: String? = nil, migrate: Bool = true) throws -> TestDatabase {
        guard let admin = TestEnvironment.adminURL else { throw TestSetupError("TEST_ADMIN_URL is not set") }
        let name = "sbt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // The name is ours, made of hex digits: an identifier cannot be a bound parameter.
        try Connection(admin).execute("CREATE DATABASE \(name)")
        // In a key=value connection string a later keyword wins over an earlier one.
        let database = TestDatabase(name: name, url: admin + " dbname=\(name)")
        let db = try database.connect()
        if let fixture { try db.execute(fixture) }
        if migrate { try Migrator.migrate(db) }
        return database
    }

    public func connect() throws -> Connection { try Connection(url) }

    /// The first column of the first row, as text.
    public func scalar(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> String? {
        try connect().query(sql, parameters).decode(String?.self).first ?? nil
    }

    public func count(_ table: String) throws -> Int {
        try connect().query("SELECT count(*) FROM \(table)").decode(Int.self)[0]
    }

    /// Every row of a query as text, for comparing before and after.
    public func rows(_ sql: String) throws -> [[String?]] {
        try connect().query(sql).map(\.columns)
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
