import Foundation
import HTTPMessages
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// The desk's search for a whole phone or a whole code (issue 16, "Tests and speed"): answered by
/// an exact index lookup, before any trigram search, and by the trigram search when nobody has it.
@Suite(.needs(.database))
struct CustomerSearchExactTests {
    /// The legacy studio with three customers around one phone: the exact owner, one whose phone
    /// only contains it, and a legacy row holding it unnormalized.
    static func studio() throws -> (TestDatabase, StaffClient) {
        let (database, _, staff) = try StaffAreaTests.signedIn()
        try database.connect().execute(
            """
            INSERT INTO customer (kode_cs, nama_cs, telp) VALUES
              ('CS-900001', 'Tepat Sekali', '081234567890'),
              ('CS-900002', 'Lebih Panjang', '0812345678901'),
              ('CS-900003', 'Data Lama', '+62 812-3456-7890')
            """)
        return (database, staff)
    }

    @Test(arguments: ["+62 812-3456-7890", "62 812 3456 7890", "(0812) 3456.7890", "081234567890"])
    func aWholePhoneFindsItsOwnersOnly(q: String) throws {
        var (_, staff) = try Self.studio()
        let page = staff.get("/staff/customers?q=\(q.urlQueryEncoded)")
        #expect(page.status == 200)
        // The trigram search would also find CS-900002, whose phone contains these digits.
        #expect(StaffAreaTests.codes(page) == ["CS-900003", "CS-900001"])
        let csv = staff.get("/staff/customers.csv?q=\(q.urlQueryEncoded)")
        #expect(csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
    }

    @Test func aWholePhoneNobodyHasIsSearchedAsText() throws {
        var (_, staff) = try Self.studio()
        // Ten digits, a whole phone by the form's rule, held by nobody: the part of three phones.
        let page = staff.get("/staff/customers?q=0812345678")
        #expect(StaffAreaTests.codes(page).filter { $0.hasPrefix("CS-9") } == ["CS-900003", "CS-900002", "CS-900001"])
    }

    @Test func aWholeCodeFindsItsCustomerInAnyCase() throws {
        var (_, staff) = try Self.studio()
        #expect(StaffAreaTests.codes(staff.get("/staff/customers?q=cs-900002")) == ["CS-900002"])
        #expect(StaffAreaTests.codes(staff.get("/staff/customers?q=CS-000011")) == ["CS-000011"])
    }

    /// Pages of an exact answer stay within it: past its last customer a page is empty, not a
    /// trigram search's.
    @Test func pagingAnExactAnswerEndsWithIt() throws {
        var (database, staff) = try Self.studio()
        let oldest = try #require(try database.scalar("SELECT min(id_customer) FROM customer WHERE kode_cs LIKE 'CS-9%'"))
        let page = staff.get("/staff/customers?q=081234567890&after=\(oldest)")
        #expect(page.status == 200)
        #expect(StaffAreaTests.codes(page) == [])
    }

    @Test func theExactLookupReadsTheIndex() throws {
        let (database, _) = try Self.studio()
        let db = try database.connect()
        // Enough rows that a sequential read would not be chosen by accident of size.
        try db.execute(
            """
            INSERT INTO customer (kode_cs, nama_cs, telp)
            SELECT 'CS-' || lpad((800000 + i)::text, 6, '0'), 'Isi ' || i, '0857' || lpad(i::text, 8, '0')
            FROM generate_series(1, 20000) AS i;
            ANALYZE customer
            """)
        for condition in ["sb_normalize_phone(c.telp) = '081234567890'",
                          "sb_kode_number(c.kode_cs) = sb_kode_number('CS-900002') AND c.kode_cs = 'CS-900002'"] {
            let plan = try db.query("EXPLAIN SELECT c.id_customer FROM customer c WHERE \(condition) ORDER BY c.id_customer DESC LIMIT 51")
                .decode(String.self).joined(separator: "\n")
            #expect(plan.contains("customer_telp_key_idx") || plan.contains("customer_kode_number_idx"), "\(plan)")
            #expect(!plan.contains("Seq Scan"), "\(plan)")
        }
    }
}
