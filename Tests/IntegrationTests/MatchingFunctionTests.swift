import Postgres
import Testing
import TestSupport
@testable import StudioBooking

/// Customer matching (docs/behaviour.md: Matching a booking to a customer) lives in SQL functions of its own (`Store/Functions`):
/// `sb_match_customer`, `sb_match_keys` and `sb_phone_owner`. Every user calls them, so a rule
/// changes in one function; and PostgreSQL inlines them, so they cost what the subqueries they
/// stand for cost.
@Suite(.needs(.database))
struct MatchingFunctionTests {
    static func plan(_ database: TestDatabase, _ sql: String) throws -> String {
        try database.rows("EXPLAIN (VERBOSE, COSTS OFF) " + sql).compactMap { $0[0] }.joined(separator: "\n")
    }

    @Test func theMatchingFunctionsAreInlinedIntoTheIndexLookups() throws {
        let database = try BatchBookingTests.database()
        let match = try Self.plan(
            database,
            """
            SELECT m.customer_id
            FROM unnest(ARRAY['081211111111'], ARRAY['a@contoh.com'], ARRAY['Ani']) AS b(telp, email, nama)
            CROSS JOIN LATERAL sb_match_customer(b.telp, b.email, b.nama) AS m
            """)
        for index in ["customer_telp_key_idx", "customer_email_key_idx", "customer_name_key_nophone_id_idx"] {
            #expect(match.contains(index), "\(match)")
        }
        #expect(!match.contains("sb_match_customer") && !match.contains("sb_phone_owner"), "\(match)")

        let keys = try Self.plan(
            database,
            "SELECT k.key FROM unnest(ARRAY['081211111111'], ARRAY['A@contoh.com']) AS b(telp, email), sb_match_keys(b.telp, b.email) AS k")
        #expect(!keys.contains("sb_match_keys"), "\(keys)")

        let owner = try Self.plan(
            database, "SELECT (SELECT o.customer_id FROM sb_phone_owner(sb_normalize_phone(c.telp)) AS o) FROM customer c")
        #expect(owner.contains("customer_telp_key_idx") && !owner.contains("sb_phone_owner"), "\(owner)")
    }

    /// The batch has no matching of its own: with `sb_match_customer` matching nobody, a returning
    /// customer's phone makes a new customer.
    @Test func theBatchMatchesThroughSbMatchCustomer() throws {
        let database = try BatchBookingTests.database()
        let item = BatchBookingTests.item("m1", "Lama Bertelepon", telp: "0812 1111 1111")
        try database.connect().execute(
            """
            CREATE OR REPLACE FUNCTION sb_match_customer(p_telp text, p_email text, p_nama text)
            RETURNS TABLE (customer_id integer) LANGUAGE sql STABLE AS $$ SELECT NULL::integer $$
            """)
        let answer = try BatchBookingTests.sender(database).send([item])[0].get()
        #expect(answer == .booked(.init(kodeCS: "CS-000010", customerCreated: true, namaCS: "Lama Bertelepon", telp: "081211111111")))
    }

    /// Bookings sharing a key of `sb_match_keys` are never decided in one batch: with no keys, two
    /// new customers' bookings with one phone would both make a customer.
    @Test func theBatchDefersThroughSbMatchKeys() throws {
        let database = try BatchBookingTests.database()
        let db = try database.connect()
        let batch = """
            SELECT r_outcome FROM sb_book_many(
              ARRAY['k1','k2'], ARRAY['A','B'], ARRAY['Perempuan','Perempuan'], ARRAY['0831','0831'],
              ARRAY['083100000001','083100000001'], ARRAY[NULL,NULL]::text[], ARRAY['a','b'], ARRAY[1,2],
              ARRAY[$1,$1]::date[], ARRAY['10:00','11:00']::time[], ARRAY[1,1]::smallint[], $2::date, 5)
            """
        let parameters = [BatchBookingTests.tomorrow.iso, BatchBookingTests.calendar.localNow().day.iso]
        try db.execute("BEGIN")
        #expect(try db.query(batch, parameters).decode(String.self) == ["booked", "deferred"])
        try db.execute("ROLLBACK")
        try db.execute(
            """
            CREATE OR REPLACE FUNCTION sb_match_keys(p_telp text, p_email text) RETURNS TABLE (key text)
            LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::text WHERE false $$
            """)
        #expect(try db.query(batch, parameters).decode(String.self) == ["booked", "booked"])
    }

    /// The staff pages give a legacy booking (no `kode_cs`) to `sb_phone_owner`'s customer.
    @Test func theStaffPagesGiveLegacyBookingsToSbPhoneOwner() throws {
        let database = try BatchBookingTests.database()
        let db = try database.connect()
        try db.execute(
            """
            INSERT INTO customer (kode_cs, nama_cs, telp) VALUES ('CS-000010', 'Sama Telepon', '+62 812 1111 1111');
            INSERT INTO booking_online (nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking)
            VALUES ('Lama', '0812-1111-1111', 1, '2020-01-01', '10:00');
            """)
        /// Per customer: the count on the customer master, and the bookings on the customer's page.
        func legacyBookings() throws -> [String: [Int]] {
            let customers = try CustomerMasterStore.customers(db, CustomerSearch(""), after: nil, limit: 10)
            return Dictionary(
                uniqueKeysWithValues: try customers.map { customer throws in
                    (customer.kodeCS, [customer.bookings, try CustomerMasterStore.bookings(db, of: customer, limit: 10, zone: "Asia/Jakarta").count])
                })
        }
        #expect(try legacyBookings() == ["CS-000007": [1, 1], "CS-000008": [0, 0], "CS-000009": [0, 0], "CS-000010": [0, 0]])
        try db.execute(
            """
            CREATE OR REPLACE FUNCTION sb_phone_owner(p_telp text) RETURNS TABLE (customer_id integer)
            LANGUAGE sql STABLE AS $$
              SELECT max(c.id_customer) FROM customer c WHERE sb_normalize_phone(c.telp) = p_telp
            $$
            """)
        #expect(try legacyBookings() == ["CS-000007": [0, 0], "CS-000008": [0, 0], "CS-000009": [0, 0], "CS-000010": [1, 1]])
    }
}
