import Postgres
import Testing
import TestSupport

/// Typed parameters and decoded rows against a real PostgreSQL, and whose error each failure is.
@Suite(.needs(.database))
struct PostgresCodingIntegrationTests {
    @Test func typedParametersArriveAsTheirTypes() throws {
        let db = try TestDatabase.create(migrate: false).connect()
        let wait: Bool = true, limit: Int? = nil, ids = [3, 1, 2], names: [String?] = ["a\"b", nil]
        let row = try db.query(
            """
            SELECT $1::integer + 1 AS next, $2::boolean AS wait, $3::integer IS NULL AS no_limit,
                   cardinality($4::integer[]) AS ids, $5::text[] AS names
            """, [41, wait, limit, ids, names]
        ).decode((Int, Bool, Bool, Int, String).self)
        #expect(row.map(\.0) == [42])
        #expect(row.map(\.1) == [true])
        #expect(row.map(\.2) == [true])
        #expect(row.map(\.3) == [3])
        #expect(row.map(\.4) == [#"{"a\"b",NULL}"#])
    }

    @Test func aNullIntoANonOptionalIsADecodingErrorNamingTheColumn() throws {
        let db = try TestDatabase.create(migrate: false).connect()
        let rows = try db.query("SELECT 1 AS id, NULL::text AS email")
        let error = #expect(throws: PostgresError.self) { try rows.decode((Int, String).self) }
        #expect(error?.code == .decoding)
        #expect(error?.column == "email")
        #expect(error?.code.sqlState == nil)
        #expect(try rows.decode((Int, String?).self).map(\.1) == [nil])
    }

    @Test func aServerErrorKeepsItsSQLSTATEAndItsName() throws {
        let db = try TestDatabase.create(migrate: false).connect()
        try db.execute("CREATE TABLE t (id integer PRIMARY KEY)")
        try db.query("INSERT INTO t VALUES ($1::integer)", [1])
        let error = #expect(throws: PostgresError.self) { try db.query("INSERT INTO t VALUES ($1::integer)", [1]) }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.code.sqlState == "23505")
        #expect(error?.constraint == "t_pkey")
        #expect(error.map { "\($0.code)" } == "23505")
    }

    @Test func aNulByteIsRefusedByTheClientAndTheConnectionStaysUsable() throws {
        let db = try TestDatabase.create(migrate: false).connect()
        let error = #expect(throws: PostgresError.self) { try db.query("SELECT $1::text", ["a\u{0}b"]) }
        #expect(error?.code == .refusedParameter)
        #expect(error?.isConnectionLoss == false)
        #expect(try db.query("SELECT $1::text", ["ab"]).decode(String.self) == ["ab"])
    }

    @Test func anUnreachableServerIsAConnectionError() {
        let error = #expect(throws: PostgresError.self) { try Connection("host=/nonexistent-studio-booking dbname=x") }
        #expect(error?.code == .connection)
        #expect(error?.isConnectionLoss == true)
    }

    @Test func aTransactionRollsBackOnTheBodysErrorAndRethrowsIt() throws {
        let database = try TestDatabase.create(migrate: false)
        let db = try database.connect()
        try db.execute("CREATE TABLE t (id integer PRIMARY KEY)")
        let error = #expect(throws: PostgresError.self) {
            try db.transaction { db throws(PostgresError) in
                try db.query("INSERT INTO t VALUES (1)")
                _ = try db.query("SELECT NULL::integer AS n").decode(Int.self)
            }
        }
        #expect(error?.code == .decoding)
        #expect(try database.count("t") == 0)
    }
}
