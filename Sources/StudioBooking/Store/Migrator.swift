import Crypto
import Foundation
import Postgres

/// Brings a database up to this version, in two kinds of script:
///
/// - `Migrations/NNN_*.sql`, ordered, each applied once, in its own transaction, and recorded in
///   `schema_migrations`. Every script is idempotent on its own; the record only saves the work. A
///   script that has shipped is never edited: a change to a table is a new script.
/// - `Functions/<name>.sql`, one function replaced as a whole (`CREATE OR REPLACE`) per file, as
///   Flyway's repeatable scripts: applied after the ordered ones, again whenever the file's
///   SHA-256 differs from the one recorded in `schema_functions`, so a rule written in a function
///   changes by editing its one file. They run after every migration: a migration that needs a
///   function (an index on it) creates the function itself, and its script here then only replaces
///   the body with one that answers the same. Among themselves they run in name order, with bodies
///   checked when called rather than when created (as pg_dump restores them), so that one may call
///   another whose name sorts after it.
public enum Migrator {
    public struct Migration: Sendable {
        public let version: String
        public let sql: String
    }

    /// A function's script from `Functions/`.
    public struct Function: Sendable {
        /// The file name without `.sql`, which is the function's name.
        public let name: String
        public let sql: String
        /// The SHA-256 of the script, as lower-case hex: what `schema_functions` records.
        public var checksum: String { SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined() }
    }

    /// Every responder may run `migrate` at start: one at a time, under this advisory lock.
    static let lockKey = "7262917400051"

    public static func migrations() throws(ConfigError) -> [Migration] {
        try scripts(in: "Migrations").map { Migration(version: $0.name, sql: $0.sql) }
    }

    public static func functions() throws(ConfigError) -> [Function] {
        try scripts(in: "Functions").map { Function(name: $0.name, sql: $0.sql) }
    }

    /// The `.sql` files of a resource folder, by name, each without its extension.
    private static func scripts(in folder: String) throws(ConfigError) -> [(name: String, sql: String)] {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent(folder),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { throw ConfigError("the \(folder) scripts are missing beside the executable") }
        return try names.filter { $0.hasSuffix(".sql") }.sorted().map { name throws(ConfigError) in
            guard let sql = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
                throw ConfigError("cannot read \(folder)/\(name)")
            }
            return (String(name.dropLast(4)), sql)
        }
    }

    /// What `migrate` would apply: the versions not yet applied to this database, then the functions
    /// whose script is not the one recorded (`function sb_book_many`).
    public static func pending(_ db: Connection) throws(MigrationError) -> [String] {
        let versions = try scripts(migrations).map(\.version)
        let functions = try scripts(Self.functions)
        do throws(PostgresError) {
            guard try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL").decode(Bool.self)[0] else {
                return versions + functions.map { "function \($0.name)" }
            }
            let applied = Set(try db.query("SELECT version FROM schema_migrations").decode(String.self))
            var recorded: [String: String] = [:]
            if try db.query("SELECT to_regclass('schema_functions') IS NOT NULL").decode(Bool.self)[0] {
                for (name, checksum) in try db.query("SELECT name, checksum FROM schema_functions").decode((String, String).self) {
                    recorded[name] = checksum
                }
            }
            return versions.filter { !applied.contains($0) }
                + functions.filter { recorded[$0.name] != $0.checksum }.map { "function \($0.name)" }
        } catch {
            throw .database(error)
        }
    }

    /// Applies what is not yet recorded, then every function whose script changed; returns the
    /// versions and functions it applied, in that order.
    @discardableResult
    public static func migrate(_ db: Connection) throws(MigrationError) -> [String] {
        let migrations = try scripts(migrations)
        let functions = try scripts(Self.functions)
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
                    );
                    CREATE TABLE IF NOT EXISTS schema_functions (
                      name       text PRIMARY KEY,
                      checksum   text NOT NULL,
                      applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """)
            }
        } catch {
            throw .database(error)
        }
        var applied: [String] = []
        for migration in migrations {
            let didApply = try apply(as: migration.version, db) { db throws(PostgresError) in
                let done = try db.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version])
                guard done.isEmpty else { return false }
                try db.execute(migration.sql)
                try db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version])
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        for function in functions {
            let checksum = function.checksum
            let didApply = try apply(as: "function \(function.name)", db) { db throws(PostgresError) in
                let same = try db.query(
                    "SELECT 1 FROM schema_functions WHERE name = $1 AND checksum = $2", [function.name, checksum])
                guard same.isEmpty else { return false }
                try db.execute("SET LOCAL check_function_bodies = off")
                try db.execute(function.sql)
                try db.query(
                    """
                    INSERT INTO schema_functions (name, checksum) VALUES ($1, $2)
                    ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()
                    """, [function.name, checksum])
                return true
            }
            if didApply { applied.append("function \(function.name)") }
        }
        return applied
    }

    /// One script's transaction, under the advisory lock; its failure names the script.
    private static func apply(
        as version: String, _ db: Connection, _ body: (Connection) throws(PostgresError) -> Bool
    ) throws(MigrationError) -> Bool {
        do throws(PostgresError) {
            return try db.transaction { db throws(PostgresError) in
                try db.query("SELECT pg_advisory_xact_lock($1::bigint)", [lockKey])
                return try body(db)
            }
        } catch {
            throw .script(version: version, error)
        }
    }

    private static func scripts<T>(_ read: () throws(ConfigError) -> [T]) throws(MigrationError) -> [T] {
        do throws(ConfigError) { return try read() } catch { throw .scripts(error) }
    }
}

public enum MigrationError: Error, CustomStringConvertible {
    /// The scripts beside the executable are missing or unreadable.
    case scripts(ConfigError)
    /// The database failed outside any one script (unreachable, or refusing the bookkeeping).
    case database(PostgresError)
    /// Applying this script (a version, or `function <name>`) failed; its transaction was rolled back.
    case script(version: String, PostgresError)

    public var description: String {
        switch self {
        case .scripts(let error): "\(error)"
        case .database(let error): "\(error)"
        case .script(let version, let error): "migration \(version) failed: \(error)"
        }
    }
}
