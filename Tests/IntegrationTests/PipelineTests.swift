import Postgres
import Testing
import TestSupport

/// The committer sends a batch behind one still in the database (`Connection.sendInPipeline`):
/// each statement must keep its own answer and its own transaction, whatever order the answers
/// are claimed in, and the connection must work as before once the pipeline is empty.
@Suite(.needs(.database))
struct PipelineTests {
    static let insert = "INSERT INTO pipelined (n) SELECT $1::int WHERE $1::int <> 0 OR 1 / $1::int = 0 RETURNING n"

    @Test func eachStatementKeepsItsAnswerAndItsTransaction() throws {
        let database = try TestDatabase.create(migrate: false)
        let db = try database.connect()
        try db.execute("CREATE TABLE pipelined (n int PRIMARY KEY)")

        // Five statements in flight at once; the third fails (division by zero), the fifth hits
        // the first's key. Each is its own transaction: only those two are undone.
        let tickets = try [1, 2, 0, 3, 1].map { try db.sendInPipeline(Self.insert, [$0]) }
        #expect(db.isAnswered(tickets[4]) == false, "the last answer cannot be read before the ones sent earlier")
        // Claimed out of order: the fourth first, so the three before it are read ahead and kept.
        #expect(try db.receive(tickets[3], sql: Self.insert).decode(Int.self) == [3])
        #expect(db.isAnswered(tickets[0]))
        #expect(try db.receive(tickets[0], sql: Self.insert).decode(Int.self) == [1])
        #expect(throws: PostgresError.self) { try db.receive(tickets[2], sql: Self.insert) }
        #expect(try db.receive(tickets[1], sql: Self.insert).decode(Int.self) == [2])
        let duplicate = #expect(throws: PostgresError.self) { try db.receive(tickets[4], sql: Self.insert) }
        #expect(duplicate?.code == .uniqueViolation)

        // Back to one statement at a time, on the same connection.
        #expect(try db.query("SELECT string_agg(n::text, ',' ORDER BY n) FROM pipelined").decode(String.self) == ["1,2,3"])
    }

    @Test func aPlainStatementReadsTheAnswersStillDueAndKeepsThem() throws {
        let database = try TestDatabase.create(migrate: false)
        let db = try database.connect()
        try db.execute("CREATE TABLE pipelined (n int PRIMARY KEY)")
        let first = try db.sendInPipeline(Self.insert, [7])
        let second = try db.sendInPipeline(Self.insert, [8])
        // The plain statement runs after both, so it sees both committed.
        #expect(try db.query("SELECT count(*) FROM pipelined").decode(Int.self) == [2])
        #expect(try db.receive(second, sql: Self.insert).decode(Int.self) == [8])
        #expect(try db.receive(first, sql: Self.insert).decode(Int.self) == [7])
    }
}
