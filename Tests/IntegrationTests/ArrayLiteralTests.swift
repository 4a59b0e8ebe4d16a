import Postgres
import Testing
import TestSupport

/// A batch travels as text arrays (an array parameter, in `ArrayLiteral`'s text form): whatever a
/// person typed must arrive unchanged.
@Suite(.needs(.database))
struct ArrayLiteralTests {
    @Test func everyValueArrivesAsItWas() throws {
        let values: [String?] = [
            "plain", "", nil, "NULL", "null", "a,b", "{braces}", "quote \" inside", "back\\slash", "\\\"",
            "  spaces  ", "Jl. Merdeka No. 1\nRT 02", "Gang Mawar, Bandung", "émoji 📷 and ñ", "tab\there",
        ]
        let database = try TestDatabase.create(migrate: false)
        let rows = try database.connect().query(
            "SELECT v, v IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS a(v, n) ORDER BY n", [values]
        ).decode((String?, Bool).self)
        #expect(rows.map(\.0) == values)
        #expect(rows.map(\.1) == values.map { $0 == nil })
    }

    @Test func anEmptyListIsAnEmptyArray() throws {
        let database = try TestDatabase.create(migrate: false)
        #expect(try database.scalar("SELECT cardinality($1::text[])::text", [[String]()]) == "0")
    }
}
