import Postgres
import StudioBooking
import Testing
import TestSupport

/// The booking and the customer master, one transaction, against a real PostgreSQL (docs/behaviour.md).
@Suite(.needs(.database))
struct BookingTransactionTests {
    static let customerSQL = """
        SELECT kode_cs, nama_cs, jenis_kelamin, telp, alamat, jenis_cs::text,
               to_char(tanggal_booking, 'YYYY-MM-DD HH24:MI'), email
        FROM customer WHERE kode_cs = $1
        """

    /// An empty database with Studio 1, as in the spec's scenarios.
    static func emptyDatabase() throws -> TestDatabase {
        let database = try TestDatabase.create()
        try database.connect().execute("INSERT INTO studio (nama_studio) VALUES ('Studio 1'), ('Studio 2')")
        return database
    }

    static func legacyDatabase() throws -> TestDatabase {
        try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
    }

    func customer(_ database: TestDatabase, _ kode: String) throws -> [String?] {
        try database.connect().query(Self.customerSQL, [kode]).first?.columns ?? []
    }

    @Test func skenario1NewCustomer() throws {
        let database = try Self.emptyDatabase()
        var client = try BookingClient(database: database)
        let fields = BookingClient.fields(days: 2)
        let response = client.book(fields)
        #expect(response.status == 303)
        let location = try #require(response.header("Location"))
        #expect(location.hasPrefix("/booking/"))

        #expect(try database.count("customer") == 1)
        #expect(
            try customer(database, "CS-000001") == [
                "CS-000001", "John Doe", "Laki-laki", "08123456789", "Jl. Contoh No. 123, Jakarta", "1",
                "\(fields["tanggal_booking"]!) 10:00", "john@email.com",
            ])
        let booking = try database.connect().query(
            """
            SELECT nama_customer, jenis_kelamin, telp_customer, email_customer, alamat_customer, studio_id::text,
                   tanggal_booking::text, to_char(jam_booking, 'HH24:MI'), kode_cs, ref
            FROM booking_online
            """)
        #expect(booking.count == 1)
        #expect(
            booking[0].columns == [
                "John Doe", "Laki-laki", "08123456789", "john@email.com", "Jl. Contoh No. 123, Jakarta", "1",
                fields["tanggal_booking"], "10:00", "CS-000001", String(location.dropFirst("/booking/".count)),
            ])
        #expect(client.log().contains(" info New customer auto-created from booking: John Doe (08123456789)\n"))

        let confirmation = client.get(location)
        #expect(confirmation.status == 200)
        #expect(confirmation.text.contains("CS-000001"))
        #expect(confirmation.text.contains("Studio 1"))
    }

    @Test func skenario2ExistingCustomer() throws {
        let database = try Self.emptyDatabase()
        var client = try BookingClient(database: database)
        #expect(client.book(BookingClient.fields(days: 2)).status == 303)
        let second = BookingClient.fields(days: 5, jam: "15:00", [
            "jenis_kelamin": "Perempuan", "alamat_customer": "Jl. Baru No. 456, Bandung",
            "email_customer": "John.Doe@Email.com", "nama_customer": "Johnny", "studio_id": "2",
        ])
        #expect(client.book(second).status == 303)

        #expect(try database.count("customer") == 1)
        #expect(try database.count("booking_online") == 2)
        #expect(
            try customer(database, "CS-000001") == [
                // Name and studio stay; gender, address, email and the latest booking follow the form.
                "CS-000001", "John Doe", "Perempuan", "08123456789", "Jl. Baru No. 456, Bandung", "1",
                "\(second["tanggal_booking"]!) 15:00", "john.doe@email.com",
            ])
        #expect(try database.scalar("SELECT count(*) FROM booking_online WHERE kode_cs = 'CS-000001'") == "2")
        #expect(client.log().contains(" info Existing customer booking date updated: John Doe (08123456789)\n"))
    }

    @Test func anExistingEmailIsKeptWhenNoneIsGiven() throws {
        let database = try Self.emptyDatabase()
        var client = try BookingClient(database: database)
        #expect(client.book(BookingClient.fields(days: 2)).status == 303)
        #expect(client.book(BookingClient.fields(days: 3, ["email_customer": ""])).status == 303)
        #expect(try customer(database, "CS-000001")[7] == "john@email.com")
    }

    // MARK: - Matching rules on the legacy fixture

    @Test func rule1PhoneMatchesUnnormalizedLegacyRows() throws {
        let database = try Self.legacyDatabase()
        var client = try BookingClient(database: database)
        let cases = [
            ("+62 857 1111 0002", "CS-000002"),  // stored 0857-1111-0002
            ("085711110003", "CS-000003"),  // stored +62 857 1111 0003
            ("085711110006", "CS-000006"),  // stored 6285711110006
            ("62 857 1111 0008", "CS-000008"),  // stored (0857) 1111.0008
            ("0857 1111 0018", "CS-000018"),  // stored 0857.1111.0018
            ("(0857) 1111-0021", "CS-000021"),  // stored 62 857-1111-0021
            // CS-000011 (id 1) and CS-000004 (id 9) share it: the smaller id, not the smaller code.
            ("085711110011", "CS-000011"),
        ]
        for (index, (phone, kode)) in cases.enumerated() {
            let response = client.book(
                BookingClient.fields(days: 2 + index, ["telp_customer": phone, "nama_customer": "Someone Else"]))
            #expect(response.status == 303, "\(phone)")
            #expect(try database.scalar("SELECT kode_cs FROM booking_online WHERE ref IS NOT NULL ORDER BY id_booking DESC LIMIT 1") == kode)
        }
        #expect(try database.count("customer") == 12)
        // A phone on record is never replaced, and the name stays the master's.
        #expect(try database.scalar("SELECT telp || '|' || nama_cs FROM customer WHERE kode_cs = 'CS-000002'") == "0857-1111-0002|Joko Susilo")
        #expect(try database.scalar("SELECT tanggal_booking::date::text FROM customer WHERE kode_cs = 'CS-000004'") == "2024-12-01")
    }

    @Test func rule1PhoneWinsOverEmail() throws {
        let database = try Self.emptyDatabase()
        var client = try BookingClient(database: database)
        #expect(client.book(BookingClient.fields(days: 2, ["telp_customer": "0811000001", "email_customer": "a@x.id"])).status == 303)
        #expect(client.book(BookingClient.fields(days: 3, ["telp_customer": "0811000002", "email_customer": "b@x.id"])).status == 303)
        // Phone of the first, email of the second: the phone decides.
        #expect(client.book(BookingClient.fields(days: 4, ["telp_customer": "0811000001", "email_customer": "b@x.id"])).status == 303)
        #expect(try database.count("customer") == 2)
        #expect(try database.scalar("SELECT kode_cs FROM booking_online ORDER BY id_booking DESC LIMIT 1") == "CS-000001")
    }

    @Test func rule2EmailMatchesCaseInsensitivelyWhenThePhoneIsNew() throws {
        let database = try Self.emptyDatabase()
        var client = try BookingClient(database: database)
        #expect(client.book(BookingClient.fields(days: 2, ["email_customer": "Putri@Example.com"])).status == 303)
        #expect(client.book(BookingClient.fields(days: 3, ["telp_customer": "0857 1111 2222", "email_customer": "PUTRI@example.COM"])).status == 303)
        #expect(try database.count("customer") == 1)
        // The phone on record stays; the email is stored lower-cased.
        #expect(try customer(database, "CS-000001")[3] == "08123456789")
        #expect(try customer(database, "CS-000001")[7] == "putri@example.com")
    }

    @Test func rule3NameMatchesOnlyCustomersWithoutPhone() throws {
        let database = try Self.legacyDatabase()
        var client = try BookingClient(database: database)
        // CS-000005 Teguh Prasetyo has no phone (NULL): matched, and given this one.
        #expect(client.book(BookingClient.fields(days: 2, ["nama_customer": "  teguh   PRASETYO ", "telp_customer": "0813 7777 0005", "email_customer": ""])).status == 303)
        #expect(try database.scalar("SELECT telp FROM customer WHERE kode_cs = 'CS-000005'") == "081377770005")
        // CS-000017 Wahyu Hidayat has an empty phone: that counts as none.
        #expect(client.book(BookingClient.fields(days: 3, ["nama_customer": "Wahyu Hidayat", "telp_customer": "0813 7777 0017", "email_customer": ""])).status == 303)
        #expect(try database.scalar("SELECT telp FROM customer WHERE kode_cs = 'CS-000017'") == "081377770017")
        #expect(try database.count("customer") == 12)
        // Both of Joko Susilo's records have phones: a new phone under that name is a new customer.
        #expect(client.book(BookingClient.fields(days: 4, ["nama_customer": "Joko Susilo", "telp_customer": "0813 7777 9999", "email_customer": ""])).status == 303)
        #expect(try database.count("customer") == 13)
        #expect(try database.scalar("SELECT kode_cs FROM customer WHERE telp = '081377779999'") == "CS-000064")
    }

    @Test func rule4NewCustomersGetConsecutiveCodes() throws {
        let database = try Self.legacyDatabase()
        var client = try BookingClient(database: database)
        for n in 0..<3 {
            #expect(client.book(BookingClient.fields(days: 2 + n, ["telp_customer": "081300000\(n)00", "email_customer": ""])).status == 303)
        }
        #expect(try database.rows("SELECT kode_cs FROM customer WHERE id_customer > 12 ORDER BY 1").map { $0[0] } == ["CS-000064", "CS-000065", "CS-000066"])
    }

    // MARK: - Slots and failures

    @Test func aTakenSlotIs409AndChangesNothing() throws {
        let database = try Self.legacyDatabase()
        var client = try BookingClient(database: database)
        #expect(client.book(BookingClient.fields(days: 2)).status == 303)
        let counts = (try database.count("customer"), try database.count("booking_online"))
        let taken = client.book(BookingClient.fields(days: 2, ["telp_customer": "0819 9999 0000", "nama_customer": "Other Person"]))
        #expect(taken.status == 409)
        #expect(taken.text.contains("sudah dipesan"))
        #expect(taken.text.contains("value=\"Other Person\""))
        #expect((try database.count("customer"), try database.count("booking_online")) == counts)
        // A legacy row (no ref) holding a future slot blocks it too.
        let future = BookingClient.date(daysAhead: 9)
        try database.connect().query(
            "INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking) VALUES ('Legacy', '0811', 3, $1::date, '12:00')",
            [future])
        #expect(client.book(BookingClient.fields(days: 9, jam: "12:00", ["studio_id": "3"])).status == 409)
        #expect(client.book(BookingClient.fields(days: 9, jam: "13:00", ["studio_id": "3"])).status == 303)
    }

    @Test func aFailureInTheCustomerStepLeavesBothTablesUntouched() throws {
        let database = try Self.legacyDatabase()
        let db = try database.connect()
        try db.execute(
            """
            CREATE FUNCTION fail_customer_write() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN RAISE EXCEPTION 'injected failure in the customer step'; END $$;
            CREATE TRIGGER fail_customer_write BEFORE INSERT OR UPDATE ON customer
              FOR EACH ROW EXECUTE FUNCTION fail_customer_write();
            """)
        let snapshot = { () throws -> [[[String?]]] in
            try ["SELECT * FROM customer ORDER BY 1", "SELECT * FROM booking_online ORDER BY 1", "SELECT * FROM kode_cs_counter"]
                .map(database.rows)
        }
        let before = try snapshot()
        var client = try BookingClient(database: database)
        for phone in ["0857-1111-0002", "0899 0000 1111"] {  // an update, then an insert
            let response = client.book(BookingClient.fields(days: 2, ["telp_customer": phone, "nama_customer": "Gagal Simpan"]))
            #expect(response.status == 500)
            #expect(response.text.contains("tidak ada data yang berubah"))
            #expect(response.text.contains("value=\"Gagal Simpan\""))
            #expect(response.text.contains("value=\"\(phone)\""))
        }
        #expect(try snapshot() == before)
        #expect(client.log().contains(" error Booking failed, nothing saved: P0001 injected failure in the customer step\n"))
        #expect(!client.log().contains("Gagal Simpan"))

        // Once the fault is gone, the code counter continues where it was: no gap.
        try db.execute("DROP TRIGGER fail_customer_write ON customer")
        #expect(client.book(BookingClient.fields(days: 2, ["telp_customer": "0899 0000 1111"])).status == 303)
        #expect(try database.scalar("SELECT kode_cs FROM customer WHERE telp = '089900001111'") == "CS-000064")
    }

    /// Deadlocks and serialization failures (injected by a trigger that raises them for the first
    /// `fault_budget` attempts) are retried three times in all, then answered with an honest 503.
    @Test(arguments: ["40P01", "40001"])
    func transientFailuresAreRetriedThen503(sqlstate: String) throws {
        let database = try Self.emptyDatabase()
        let db = try database.connect()
        try db.execute(
            """
            CREATE SEQUENCE fault_attempts;
            CREATE TABLE fault_budget (n integer NOT NULL);
            INSERT INTO fault_budget VALUES (2);
            CREATE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              -- nextval survives the rollback, so it counts attempts.
              IF nextval('fault_attempts') <= (SELECT n FROM fault_budget) THEN
                RAISE EXCEPTION 'injected' USING ERRCODE = '\(sqlstate)';
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER inject_fault BEFORE INSERT ON booking_online FOR EACH ROW EXECUTE FUNCTION inject_fault();
            """)
        var client = try BookingClient(database: database)
        // Two failures, then success on the third attempt.
        #expect(client.book(BookingClient.fields(days: 2)).status == 303)
        #expect(try database.scalar("SELECT last_value FROM fault_attempts") == "3")
        #expect(try database.count("booking_online") == 1)

        // Three failures: no fourth attempt, 503, the form kept, nothing saved.
        try db.execute("ALTER SEQUENCE fault_attempts RESTART; UPDATE fault_budget SET n = 3")
        let response = client.book(BookingClient.fields(days: 3, ["telp_customer": "0822 0000 0001", "nama_customer": "Coba Lagi"]))
        #expect(response.status == 503)
        #expect(response.text.contains("value=\"Coba Lagi\""))
        #expect(try database.scalar("SELECT last_value FROM fault_attempts") == "3")
        #expect(try database.count("booking_online") == 1)
        #expect(try database.count("customer") == 1)
        #expect(client.log().contains(" error Booking failed, nothing saved: \(sqlstate) injected\n"))
    }

    @Test func theSQLNormalizerAgreesWithSwift() throws {
        let database = try Self.emptyDatabase()
        let inputs = ["+62 812-3456-789", "62 812 3456 789", "(0812) 3456.789", "0812-3450-0002", "", "-", "  ",
                      "+6281234500005", "0062812", "620", "abc 0812", "٠٨١٢"]
        for input in inputs {
            #expect(try database.scalar("SELECT sb_normalize_phone($1)", [input]) == Phone.normalize(input), "\(input)")
        }
    }
}
