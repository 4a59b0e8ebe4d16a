import Postgres
import StudioBooking
import Testing
import TestSupport

/// The functions' scripts (`Store/Functions`, Flyway's repeatable scripts): applied again when the
/// script is not the one recorded, and only then; pending until they are.
@Suite(.needs(.database))
struct FunctionScriptTests {
    /// `sb_kode` as another version of its script might have it.
    static let otherKode = """
        CREATE OR REPLACE FUNCTION sb_kode(n integer) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 'XX-' || n $$
        """

    @Test func eachScriptDefinesTheFunctionItIsNamedAfter() throws {
        let database = try TestDatabase.create()
        let functions = try Migrator.functions()
        #expect(functions.contains { $0.name == "sb_match_customer" })
        for function in functions {
            #expect(
                try database.scalar("SELECT count(*) FROM pg_proc WHERE proname = $1", [function.name]) == "1",
                "\(function.name)")
        }
        let recorded = try database.rows("SELECT name, checksum FROM schema_functions ORDER BY name")
        #expect(recorded == functions.sorted { $0.name < $1.name }.map { [$0.name, $0.checksum] })
    }

    @Test func aChangedScriptIsAppliedAgain() throws {
        let database = try TestDatabase.create()
        let db = try database.connect()
        // As if the script had changed since: the function is another, and so is the record.
        try db.execute(Self.otherKode)
        try db.query("UPDATE schema_functions SET checksum = 'an older script' WHERE name = 'sb_kode'")
        #expect(try Migrator.pending(db) == ["function sb_kode"])

        #expect(try Migrator.migrate(db) == ["function sb_kode"])
        #expect(try database.scalar("SELECT sb_kode(41)") == "CS-000041")
        let checksum = try Migrator.functions().first { $0.name == "sb_kode" }?.checksum
        #expect(try database.scalar("SELECT checksum FROM schema_functions WHERE name = 'sb_kode'") == checksum)
        #expect(try Migrator.pending(db).isEmpty)
    }

    @Test func anUnchangedScriptIsNotAppliedAgain() throws {
        let database = try TestDatabase.create()
        let db = try database.connect()
        // Changed behind the record's back: only a changed script brings the function back.
        try db.execute(Self.otherKode)
        #expect(try Migrator.pending(db).isEmpty)
        #expect(try Migrator.migrate(db).isEmpty)
        #expect(try database.scalar("SELECT sb_kode(41)") == "XX-41")
    }

    @Test func aScriptNeverAppliedIsPending() throws {
        let database = try TestDatabase.create()
        let db = try database.connect()
        try db.query("DELETE FROM schema_functions WHERE name = 'sb_match_customer'")
        #expect(try Migrator.pending(db) == ["function sb_match_customer"])
        #expect(try Migrator.migrate(db) == ["function sb_match_customer"])
        #expect(try Migrator.pending(db).isEmpty)
    }

    /// A database a version before these scripts migrated: every migration recorded, no record of
    /// any function. `serve` must not start on it until `migrate` has run.
    @Test func everyScriptIsPendingOnADatabaseOfTheVersionBefore() throws {
        let database = try TestDatabase.create()
        let db = try database.connect()
        try db.execute("DROP TABLE schema_functions")
        let functions = try Migrator.functions().map { "function \($0.name)" }
        #expect(try Migrator.pending(db) == functions)
        #expect(try Migrator.migrate(db) == functions)
        #expect(try Migrator.pending(db).isEmpty)
    }

    /// What the schema comparison of MigrationTests must see, or it could pass while a function or
    /// trigger changed.
    @Test func theSchemaComparisonSeesFunctionsTriggersAndStorageOptions() throws {
        let database = try TestDatabase.create()
        let db = try database.connect()
        var schema = try database.rows(MigrationTests.schemaSQL)
        for change in [
            Self.otherKode,
            "DROP TRIGGER customer_search_truncated ON customer",
            "ALTER TABLE customer_search_stale SET (vacuum_truncate = true)",
            "ALTER TABLE kode_cs_counter DROP CONSTRAINT kode_cs_counter_only_row_check",
        ] {
            try db.execute(change)
            let changed = try database.rows(MigrationTests.schemaSQL)
            #expect(changed != schema, "\(change)")
            schema = changed
        }
    }
}
