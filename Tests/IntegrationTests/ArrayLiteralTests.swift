import Postgres
import Testing
import TestSupport

/// A batch travels as text arrays (`ArrayLiteral`): whatever a person typed must arrive unchanged.
@Suite(.needs(.database))
struct ArrayLiteralTests {
    @Test func everyValueArrivesAsItWas() throws {
        let values: [String?] = [
            "plain", "", nil, "NULL", "null", "a,b", "{braces}", "quote \" inside", "back\\slash", "\\\"",
            "  spaces  ", "Jl. Merdeka No. 1\nRT 02", "Gang Mawar, Bandung", "émoji 📷 and ñ", "tab\there",
        ]
        let database = try TestDatabase.create(migrate: false)
        let rows = try database.connect().query(
            "SELECT v, v IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS a(v, n) ORDER BY n",
            [ArrayLiteral.text(values)])
        #expect(rows.map { $0[0] } == values)
        #expect(rows.map { $0[1] } == values.map { $0 == nil ? "t" : "f" })
    }

    @Test func anEmptyListIsAnEmptyArray() throws {
        let database = try TestDatabase.create(migrate: false)
        #expect(try database.scalar("SELECT cardinality($1::text[])::text", [ArrayLiteral.text([])]) == "0")
    }
}
