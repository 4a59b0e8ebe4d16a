import Postgres
import Testing
import TestSupport
@testable import StudioBooking

/// Defects found by looking at the staff pages (issue 17), each rendered through the real templates.
@Suite struct StaffScreenTests {
    static let views = Result { try Views(directory: TestEnvironment.root + "/templates") }
    static var staff: StaffChrome { StaffChrome(username: "rina", csrfToken: "t", isAdmin: false) }

    static func customers(q: String, found: Bool) throws -> String {
        let customer = CustomerView(
            try CustomerMasterStore.Customer(Postgres.Row(columns: [
                "1", "CS-000001", "Siti", "Perempuan", "0812", nil, nil, "Studio 1", "2026-12-05 13:00", "1",
            ])))
        return try views.get().render(
            CustomerListPage(
                staff: staff, q: q, alert: nil, customers: found ? [customer] : [], nextURL: nil, firstURL: nil,
                csvURL: "/staff/customers.csv"))
    }

    /// Nothing searched: no "show all", and with no customers an empty state, not `cocok dengan “”`.
    @Test func anEmptySearchIsNoSearch() throws {
        let all = try Self.customers(q: "", found: true)
        #expect(!all.contains("Tampilkan semua"))
        let none = try Self.customers(q: "", found: false)
        #expect(!none.contains("“”"))
        #expect(none.contains("<p class=\"empty\">Belum ada customer."))
        let searched = try Self.customers(q: "siti", found: false)
        #expect(searched.contains("Tampilkan semua"))
        #expect(searched.contains("Tidak ada customer yang cocok dengan “siti”."))
    }

    /// Every staff page's header leads into the staff area, the sign-in page's too, not to the
    /// customers' form.
    @Test func theHeaderLeadsIntoTheStaffArea() throws {
        let views = try Self.views.get()
        let pages: [any Page] = [
            StaffLoginPage(alert: nil, username: "", csrfToken: "t"),
            StaffMessagePage(staff: Self.staff, heading: "Tidak ada", message: "Tidak ada."),
        ]
        for page in pages {
            let html = views.render(page)
            let header = try #require(html.firstMatch(of: /<header class="site">[\s\S]*?<\/header>/)).0
            #expect(!header.contains("href=\"/booking\""), "\(type(of: page))")
            #expect(header.contains("href=\"/staff/"), "\(type(of: page))")
        }
    }

    /// Times in a customer's list and page read as Indonesians write them.
    @Test func datesAndTimesReadInIndonesian() throws {
        let html = try Self.customers(q: "", found: true)
        #expect(html.contains(">Sab, 5 Des 2026 13.00</td>"))
    }
}
