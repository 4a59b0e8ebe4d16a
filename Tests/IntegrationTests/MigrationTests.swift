import Postgres
import StudioBooking
import Testing
import TestSupport

@Suite(.needs(.database))
struct MigrationTests {
    /// What a migration or a function's script could change in the public schema: columns, types
    /// and defaults; indexes; constraints; tables' storage options; the definitions of the
    /// functions this app wrote (not an extension's) and of the triggers.
    static let schemaSQL = """
        SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
               || ' ' || is_nullable || ' ' || coalesce(column_default, '')
        FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                  WHERE connamespace = 'public'::regnamespace
        UNION ALL SELECT relname || ' WITH (' || array_to_string(reloptions, ', ') || ')' FROM pg_class
                  WHERE relnamespace = 'public'::regnamespace AND reloptions IS NOT NULL
        UNION ALL SELECT pg_get_functiondef(p.oid) FROM pg_proc p
                  WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        UNION ALL SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
                  JOIN pg_class c ON c.oid = t.tgrelid
                  WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
        ORDER BY 1
        """

    static let legacyRowsSQL = [
        "SELECT id_studio, nama_studio FROM studio ORDER BY 1",
        """
        SELECT id_customer, kode_cs, nama_cs, jenis_kelamin, telp, alamat, jenis_cs, tanggal_booking
        FROM customer ORDER BY 1
        """,
        """
        SELECT id_booking, nama_customer, telp_customer, email_customer, studio_id, tanggal_booking,
               jam_booking, created_at FROM booking_online ORDER BY 1
        """,
    ]

    @Test func onAnEmptyDatabaseTheLegacySchemaAppearsExactly() throws {
        let database = try TestDatabase.create(migrate: false)
        let db = try database.connect()
        let applied = try Migrator.migrate(db)
        #expect(applied.count == (try Migrator.migrations()).count + (try Migrator.functions()).count)
        let columns = try database.rows(
            """
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name IN ('studio', 'customer', 'booking_online')
            ORDER BY table_name, ordinal_position
            """
        ).map { $0.map { $0 ?? "-" }.joined(separator: " ") }
        #expect(
            columns == [
                "booking_online id_booking integer - NO",
                "booking_online nama_customer character varying 100 NO",
                "booking_online telp_customer character varying 20 NO",
                "booking_online email_customer character varying 100 YES",
                "booking_online studio_id integer - NO",
                "booking_online tanggal_booking date - NO",
                "booking_online jam_booking time without time zone - NO",
                "booking_online created_at timestamp without time zone - NO",
                "booking_online jenis_kelamin character varying 10 YES",
                "booking_online alamat_customer text - YES",
                "booking_online kode_cs character varying 20 YES",
                "booking_online ref character varying 40 YES",
                "booking_online durasi_jam smallint - YES",
                "booking_online dibatalkan_pada timestamp without time zone - YES",
                "booking_online jadwal_versi integer - NO",
                "booking_online hadir boolean - YES",
                "customer id_customer integer - NO",
                "customer kode_cs character varying 20 NO",
                "customer nama_cs character varying 100 NO",
                "customer jenis_kelamin character varying 10 YES",
                "customer telp character varying 20 YES",
                "customer alamat text - YES",
                "customer jenis_cs integer - YES",
                "customer tanggal_booking timestamp without time zone - YES",
                "customer email character varying 100 YES",
                "customer digabung_ke character varying 20 YES",
                "customer dihapus_pada timestamp without time zone - YES",
                "studio id_studio integer - NO",
                "studio nama_studio character varying 100 NO",
                "studio aktif boolean - NO",
                "studio durasi_maks smallint - NO",
                "studio jam_buka ARRAY - NO",
                "studio jam_tutup ARRAY - NO",
            ])
        // The CHECK on the new gender column, as the contract writes it.
        #expect(throws: PostgresError.self) {
            try db.execute(
                "INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking, jenis_kelamin) VALUES ('a', '1', 1, '2030-01-01', '10:00', 'L')")
        }

        let before = try database.rows(Self.schemaSQL)
        #expect(try Migrator.migrate(db).isEmpty)
        #expect(try database.rows(Self.schemaSQL) == before)
    }

    @Test func theScriptsThemselvesAreIdempotent() throws {
        let database = try TestDatabase.create()
        let db = try database.connect()
        let before = try database.rows(Self.schemaSQL)
        // Even without the record of what ran, every script runs again and changes nothing: the
        // migrations (which bring back the functions' bodies they wrote), then the functions' scripts.
        for sql in try Migrator.migrations().map(\.sql) + Migrator.functions().map(\.sql) {
            try db.transaction { db throws(PostgresError) in try db.execute(sql) }
        }
        #expect(try database.rows(Self.schemaSQL) == before)
    }

    @Test func onTheLegacyFixtureEveryRowSurvivesTwice() throws {
        let database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture(), migrate: false)
        let db = try database.connect()
        let rowsBefore = try Self.legacyRowsSQL.map(database.rows)
        #expect(rowsBefore[1].count == 12)
        #expect(rowsBefore[2].count == 6)

        #expect(try !Migrator.migrate(db).isEmpty)
        #expect(try Self.legacyRowsSQL.map(database.rows) == rowsBefore)
        let schema = try database.rows(Self.schemaSQL)

        #expect(try Migrator.migrate(db).isEmpty)
        #expect(try Self.legacyRowsSQL.map(database.rows) == rowsBefore)
        #expect(try database.rows(Self.schemaSQL) == schema)
        // New columns start empty on legacy rows.
        #expect(try database.scalar("SELECT count(*) FROM customer WHERE email IS NOT NULL") == "0")
        #expect(try database.scalar("SELECT count(*) FROM booking_online WHERE ref IS NOT NULL") == "0")
    }

    /// Migration 008: room on each customer page, so a returning customer's update can stay there.
    @Test func customerPagesKeepRoomForUpdates() throws {
        let empty = try TestDatabase.create()
        let legacy = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        for database in [empty, legacy] {
            let options = try database.scalar(
                "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'customer'::regclass")
            #expect(options == "fillfactor=85")
        }
    }

    /// The fixture's highest code, CS-000063, sits in the middle of the table, behind gaps.
    @Test func theFirstNewCustomerOnTheLegacyFixtureIsCS000064() throws {
        let database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        var client = try BookingClient(database: database)
        let response = client.book(BookingClient.fields(["telp_customer": "0899111222333", "email_customer": ""]))
        #expect(response.status == 303)
        #expect(try database.scalar("SELECT kode_cs FROM customer WHERE telp = '0899111222333'") == "CS-000064")
    }

    /// The server ends the migrating connection, as a restart or a broken network would: `migrate`
    /// throws the client's error, and nothing was recorded as applied. (`studio-booking migrate`
    /// against a database it cannot reach at all: CommandLineTests.)
    @Test func migrateRefusesAnUnreachableDatabase() throws {
        let database = try TestDatabase.create(migrate: false)
        let db = try database.connect()
        let pid = try #require(try db.query("SELECT pg_backend_pid()").decode(Int.self).first)
        #expect(try database.scalar("SELECT pg_terminate_backend($1::int, 10000)::text", [pid]) == "true")
        #expect(throws: MigrationError.self) { try Migrator.migrate(db) }
        #expect(try database.scalar("SELECT to_regclass('schema_migrations')::text") == nil)
    }
}
