import Foundation
import Postgres

/// Applies the ordered SQL scripts in `Migrations/`, each in its own transaction, and records them
/// in `schema_migrations`. Every script is idempotent on its own; the record only saves the work.
public enum Migrator {
    public struct Migration: Sendable {
        public let version: String
        public let sql: String
    }

    /// Every responder may run `migrate` at start: one at a time, under this advisory lock.
    static let lockKey = "7262917400051"

    public static func migrations() throws(ConfigError) -> [Migration] {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Migrations"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { throw ConfigError("the migration scripts are missing beside the executable") }
        return try names.filter { $0.hasSuffix(".sql") }.sorted().map { name throws(ConfigError) in
            guard let sql = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
                throw ConfigError("cannot read migration \(name)")
            }
            return Migration(version: String(name.dropLast(4)), sql: sql)
        }
    }

    /// The versions not yet applied to this database.
    public static func pending(_ db: Connection) throws -> [String] {
        let all = try migrations().map(\.version)
        guard try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].bool(0) else { return all }
        let applied = Set(try db.query("SELECT version FROM schema_migrations").map { try $0.string(0) })
        return all.filter { !applied.contains($0) }
    }

    /// Applies what is not yet recorded; returns the versions it applied.
    @discardableResult
    public static func migrate(_ db: Connection) throws -> [String] {
        // "already exists, skipping" notices are the point of idempotent scripts, not news.
        try db.execute("SET client_min_messages TO warning")
        try db.transaction { db in
            try db.query("SELECT pg_advisory_xact_lock($1::bigint)", [lockKey])
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                  version    text PRIMARY KEY,
                  applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        }
        var applied: [String] = []
        for migration in try migrations() {
            let didApply = try db.transaction { db in
                try db.query("SELECT pg_advisory_xact_lock($1::bigint)", [lockKey])
                let done = try db.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version])
                guard done.isEmpty else { return false }
                do throws(PostgresError) {
                    try db.execute(migration.sql)
                } catch {
                    throw MigrationError(version: migration.version, cause: error)
                }
                try db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version])
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }
}

public struct MigrationError: Error, CustomStringConvertible {
    public let version: String
    public let cause: PostgresError
    public var description: String { "migration \(version) failed: \(cause)" }
}
