import Foundation
import HTTPMessages
import HTTPTypes
import Postgres

/// The customer master for staff: the list and its search, the CSV export, one customer's page.
struct CustomerMasterController: Sendable {
    /// Customers on one page of the list.
    static let customersPerPage = 50
    let views: Views
    /// `BOOKING_TIMEZONE`: when a booking was made is shown in the studios' time.
    let zone: String

    func addRoutes(to router: inout Router) {
        router.add(.get, "/staff/customers", access: .staff, name: "Customer list") { request, context, _ throws(PostgresError) in
            try list(request, context)
        }
        router.add(.get, "/staff/customers.csv", access: .staff, name: "Customer export") { request, context, _ throws(PostgresError) in
            try csv(request, context)
        }
        router.add(.get, "/staff/customers/{kode_cs}", access: .staff, name: "Customer page") { _, context, parameters throws(PostgresError) in
            guard let kodeCS: KodeCS = parameters.get("kode_cs") else { return views.notFound() }
            return try detail(kodeCS, context)
        }
    }

    // MARK: - GET /staff/customers?q=…&after=…

    func list(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let query = request.queryFields
        let search: CustomerSearch
        let after: Int?
        do throws(RefusedValue) {
            search = CustomerSearch(try query.text("q") ?? "")
            after = try query.integer("after")
        } catch {
            // The search box comes back with what was typed (a NUL shown as U+FFFD), no list.
            return views.page(
                CustomerListPage(
                    staff: StaffChrome(context), q: CustomerSearch(query["q"] ?? "").text,
                    alert: error.field == "q" ? Copy.searchMalformed : Copy.pageMalformed,
                    customers: [], nextURL: nil, firstURL: nil, csvURL: "/staff/customers.csv"),
                status: .badRequest)
        }
        let rows = try context.database.run { db throws(PostgresError) in
            try CustomerMasterStore.customers(db, search, after: after, limit: Self.customersPerPage + 1)
        }
        let page = Array(rows.prefix(Self.customersPerPage))
        let searchQuery = search.text.isEmpty ? "" : "q=\(search.text.urlQueryEncoded)"
        func listURL(_ parts: String...) -> String {
            let query = parts.filter { !$0.isEmpty }.joined(separator: "&")
            return "/staff/customers" + (query.isEmpty ? "" : "?\(query)")
        }
        return views.page(
            CustomerListPage(
                staff: StaffChrome(context),
                q: search.text,
                alert: nil,
                customers: page.map(CustomerView.init),
                nextURL: rows.count > Self.customersPerPage ? listURL(searchQuery, "after=\(page.last!.id)") : nil,
                firstURL: after == nil ? nil : listURL(searchQuery),
                csvURL: "/staff/customers.csv" + (searchQuery.isEmpty ? "" : "?\(searchQuery)")))
    }

    // MARK: - GET /staff/customers.csv?q=…

    func csv(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let search: CustomerSearch
        do throws(RefusedValue) {
            search = CustomerSearch(try request.queryFields.text("q") ?? "")
        } catch {
            return views.message(.badRequest, heading: "Pencarian tidak valid", Copy.searchMalformed)
        }
        var csv = CSV(header: CustomerMasterStore.Customer.csvHeader)
        // Read in keyset pages: a million customers never sit in memory as rows at once.
        var after: Int? = nil
        while true {
            let rows = try context.database.run { db throws(PostgresError) in
                try CustomerMasterStore.customers(db, search, after: after, limit: CustomerMasterStore.exportPage)
            }
            for row in rows { csv.append(row.csvFields) }
            guard rows.count == CustomerMasterStore.exportPage, let last = rows.last else { break }
            after = last.id
        }
        return Response(
            status: .ok,
            headerFields: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"customers.csv\"",
            ],
            body: csv.bytes)
    }

    // MARK: - GET /staff/customers/{kode_cs}

    func detail(_ kodeCS: KodeCS, _ context: RequestContext) throws(PostgresError) -> Response {
        let found = try context.database.run { db throws(PostgresError) -> (CustomerMasterStore.Customer, [CustomerMasterStore.Booking])? in
            guard let customer = try CustomerMasterStore.customer(db, kodeCS: kodeCS.value) else { return nil }
            return (customer, try CustomerMasterStore.bookings(db, of: customer, limit: CustomerMasterStore.historyLimit, zone: zone))
        }
        guard let (customer, bookings) = found else {
            return views.staffMessage(
                .notFound, heading: "Customer tidak ditemukan", "Tidak ada customer dengan kode \(kodeCS.value).", context)
        }
        return views.page(
            CustomerPage(
                staff: StaffChrome(context), customer: CustomerView(customer),
                bookings: bookings.map(BookingView.init),
                capped: bookings.count == CustomerMasterStore.historyLimit ? CustomerMasterStore.historyLimit : nil))
    }
}

/// A customer code in a path, percent-decoded: at most the column's 20 characters.
struct KodeCS: PathParameter {
    let value: String

    init?(pathSegment: Substring) {
        guard let decoded = String(pathSegment).removingPercentEncoding, !decoded.isEmpty, decoded.utf8.count <= 20 else {
            return nil
        }
        value = decoded
    }
}
