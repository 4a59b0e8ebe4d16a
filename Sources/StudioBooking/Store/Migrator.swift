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
    public static func pending(_ db: Connection) throws(MigrationError) -> [String] {
        let all = try scripts().map(\.version)
        do throws(PostgresError) {
            guard try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL").decode(Bool.self)[0] else { return all }
            let applied = Set(try db.query("SELECT version FROM schema_migrations").decode(String.self))
            return all.filter { !applied.contains($0) }
        } catch {
            throw .database(error)
        }
    }

    /// Applies what is not yet recorded; returns the versions it applied.
    @discardableResult
    public static func migrate(_ db: Connection) throws(MigrationError) -> [String] {
        let scripts = try scripts()
        do throws(PostgresError) {
            // "already exists, skipping" notices are the point of idempotent scripts, not news.
            try db.execute("SET client_min_messages TO warning")
            try db.transaction { db throws(PostgresError) in
                try db.query("SELECT pg_advisory_xact_lock($1::bigint)", [lockKey])
                try db.execute(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                      version    text PRIMARY KEY,
                      applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """)
            }
        } catch {
            throw .database(error)
        }
        var applied: [String] = []
        for migration in scripts {
            do throws(PostgresError) {
                let didApply = try db.transaction { db throws(PostgresError) in
                    try db.query("SELECT pg_advisory_xact_lock($1::bigint)", [lockKey])
                    let done = try db.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version])
                    guard done.isEmpty else { return false }
                    try db.execute(migration.sql)
                    try db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version])
                    return true
                }
                if didApply { applied.append(migration.version) }
            } catch {
                throw .script(version: migration.version, error)
            }
        }
        return applied
    }

    private static func scripts() throws(MigrationError) -> [Migration] {
        do throws(ConfigError) { return try migrations() } catch { throw .scripts(error) }
    }
}

/// Why `migrate` or `pending` failed.
public enum MigrationError: Error, CustomStringConvertible {
    /// The scripts beside the executable are missing or unreadable.
    case scripts(ConfigError)
    /// The database failed outside any one script (unreachable, or refusing the bookkeeping).
    case database(PostgresError)
    /// Applying this script failed; its transaction was rolled back.
    case script(version: String, PostgresError)

    public var description: String {
        switch self {
        case .scripts(let error): "\(error)"
        case .database(let error): "\(error)"
        case .script(let version, let error): "migration \(version) failed: \(error)"
        }
    }
}
