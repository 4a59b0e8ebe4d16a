import Postgres
import Testing
import StudioBooking

/// Parameters in PostgreSQL's text form, rows decoded into tuples, and errors that say whose they are.
@Suite struct PostgresCodingTests {
    @Test func scalarsEncodeAsPostgreSQLReadsThem() {
        #expect("Nina".postgresText == "Nina")
        #expect(42.postgresText == "42")
        #expect((-7).postgresText == "-7")
        #expect(true.postgresText == "true")
        #expect(false.postgresText == "false")
        #expect(Int?.none.postgresText == nil)
        #expect(Int?.some(3).postgresText == "3")
        #expect(Day(year: 2026, month: 3, day: 9).postgresText == "2026-03-09")
    }

    @Test func arraysEncodeAsOneQuotedLiteral() {
        let texts: [String?] = ["a,b", "", nil, "NULL", "quote \" and back\\slash", "{braces}", "émoji 📷"]
        #expect(texts.postgresText == #"{"a,b","",NULL,"NULL","quote \" and back\\slash","{braces}","émoji 📷"}"#)
        #expect([1, 2, 30].postgresText == #"{"1","2","30"}"#)
        #expect([String]().postgresText == "{}")
        #expect([Day(year: 2026, month: 1, day: 2)].postgresText == #"{"2026-01-02"}"#)
    }

    @Test func aRowDecodesIntoATupleInColumnOrder() throws {
        let row = Row(columns: ["7", "Nina", nil, "t", "2026-03-09"], names: ["id", "nama", "email", "aktif", "tanggal"])
        let (id, nama, email, aktif, tanggal) = try row.decode((Int, String, String?, Bool, Day).self)
        #expect(id == 7 && nama == "Nina" && email == nil && aktif && tanggal == Day(year: 2026, month: 3, day: 9))
        #expect(try [row, row].decode((Int, String, String?, Bool, Day).self).map(\.0) == [7, 7])
        #expect(try Row(columns: ["f"], names: ["x"]).decode(Bool.self) == false)
        #expect(try [Row(columns: [nil], names: ["n"])].decode(Int?.self) == [nil])
    }

    @Test func aNullWhereAValueWasPromisedIsADecodingErrorNamingTheColumn() {
        let row = Row(columns: ["7", nil], names: ["id", "email"])
        let error = #expect(throws: PostgresError.self) { try row.decode((Int, String).self) }
        #expect(error?.code == .decoding)
        #expect(error?.column == "email")
        #expect(error?.message == "column email is NULL, expected String")
    }

    @Test func textOfAnotherTypeIsADecodingErrorThatKeepsTheTextOut() {
        let row = Row(columns: ["rahasia"], names: ["jumlah"])
        let error = #expect(throws: PostgresError.self) { try row.decode(Int.self) }
        #expect(error?.code == .decoding)
        #expect(error?.message == "column jumlah is not Int")
        #expect(error.map { !$0.description.contains("rahasia") } == true)
        // Booleans are `t` or `f`, nothing else.
        #expect(throws: PostgresError.self) { try Row(columns: ["true"], names: ["b"]).decode(Bool.self) }
    }

    @Test func aRowOfAnotherWidthIsADecodingError() {
        let row = Row(columns: ["1", "2", "3"], names: ["a", "b", "c"])
        let narrower = #expect(throws: PostgresError.self) { try row.decode((Int, Int).self) }
        #expect(narrower?.code == .decoding)
        #expect(narrower?.message == "the row has 3 columns, decoded as 2")
        #expect(throws: PostgresError.self) { try row.decode(Int.self) }
        // A column without a name (a test's hand-made row) is named by its position.
        let unnamed = #expect(throws: PostgresError.self) { try Row(columns: [nil]).decode(String.self) }
        #expect(unnamed?.column == "#0")
    }

    @Test func serverErrorsKeepTheirSQLSTATEClientFailuresTheirName() {
        let unique = PostgresError(code: PostgresError.Code(sqlState: "23505"), message: "duplicate key")
        #expect(unique.code == .uniqueViolation)
        #expect(unique.code.sqlState == "23505")
        #expect("\(unique.code) \(unique.message)" == "23505 duplicate key")
        #expect(unique.description == "SQLSTATE 23505: duplicate key")
        for code in [PostgresError.Code.connection, .decoding, .refusedParameter, .unexpectedAnswer] {
            #expect(code.sqlState == nil)
            #expect(code != .uniqueViolation)
        }
        #expect(PostgresError(code: .decoding, message: "column x is NULL, expected Int").description
            == "decoding: column x is NULL, expected Int")
        #expect("\(PostgresError.Code.unexpectedAnswer)" == "unexpectedAnswer")
    }

    @Test(arguments: [
        (PostgresError.Code.connection, true), (PostgresError.Code(sqlState: "08006"), true),
        (PostgresError.Code(sqlState: "08P01"), true), (.adminShutdown, true), (.crashShutdown, true),
        (.cannotConnectNow, true), (.decoding, false), (.refusedParameter, false), (.unexpectedAnswer, false),
        (.uniqueViolation, false), (.serializationFailure, false), (PostgresError.Code(sqlState: "57014"), false),
    ])
    func whichFailuresAreConnectionLoss(code: PostgresError.Code, isLoss: Bool) {
        #expect(PostgresError(code: code, message: "").isConnectionLoss == isLoss)
    }

    @Test func onlyConflictsBetweenTransactionsAreTransient() {
        #expect(PostgresError(code: .serializationFailure, message: "").isTransient)
        #expect(PostgresError(code: .deadlockDetected, message: "").isTransient)
        for code in [PostgresError.Code.lockNotAvailable, .uniqueViolation, .connection, .decoding, .unexpectedAnswer] {
            #expect(!PostgresError(code: code, message: "").isTransient)
        }
    }
}
