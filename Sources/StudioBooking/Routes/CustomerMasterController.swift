import Foundation
import HTTPMessages
import HTTPTypes
import Postgres

/// The customer master for staff: the list and its search, the CSV export, one customer's page.
struct CustomerMasterController: Sendable {
    /// Customers on one page of the list.
    static let customersPerPage = 50
    let views: Views
    let log: EventLog
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
        let tallies = try context.database.run { db throws(PostgresError) in try StaffBookingStore.tallies(db, of: page) }
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
                customers: page.map { CustomerView($0).tallied(tallies, id: $0.id) },
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
        return Response(
            status: .ok,
            headerFields: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"customers.csv\"",
            ],
            stream: BodyStream { write in export(search, context, write: write) })
    }

    /// Writes the list as CSV, a keyset page at a time, each page sent before the next is read: at
    /// a million customers the responder holds one page, never the file. False when a page could
    /// not be read (logged): the download then breaks off rather than end short.
    func export(_ search: CustomerSearch, _ context: RequestContext, write: ([UInt8]) -> Bool) -> Bool {
        var csv = CSV(header: CustomerMasterStore.Customer.csvHeader)
        var after: Int? = nil
        var rows = 0
        while true {
            let page: [CustomerMasterStore.Customer]
            do {
                page = try context.database.run { db throws(PostgresError) in
                    try CustomerMasterStore.customers(db, search, after: after, limit: CustomerMasterStore.exportPage)
                }
            } catch {
                log.error("Customer export failed after \(rows) rows", error)
                return false
            }
            for row in page { csv.append(row.csvFields) }
            rows += page.count
            guard write(csv.take()) else { return true }
            guard page.count == CustomerMasterStore.exportPage, let last = page.last else { return true }
            after = last.id
        }
    }

    // MARK: - GET /staff/customers/{kode_cs}

    /// The page; with `refusal`, shown again after a change was refused (`status` 409 or 422), with
    /// what was typed. A merged customer's page is the kept customer's (303).
    func detail(
        _ kodeCS: KodeCS, _ context: RequestContext, refusal: CustomerChangeRefusal? = nil, status: HTTPResponse.Status = .ok
    ) throws(PostgresError) -> Response {
        typealias Found = (CustomerView, [CustomerMasterStore.Booking], CustomerChangesView)
        enum Lookup { case found(Found), merged(String), none }
        let lookup = try context.database.run { db throws(PostgresError) -> Lookup in
            guard let state = try CustomerChangeStore.find(db, kodeCS: kodeCS.value),
                let customer = try CustomerMasterStore.customer(db, kodeCS: kodeCS.value)
            else { return .none }
            if let kept = state.digabungKe { return .merged(kept) }
            let history = try CustomerChangeStore.history(
                db, customer: state.id, limit: CustomerChangeStore.historyLimit, zone: zone)
            let tallies = try StaffBookingStore.tallies(db, of: [customer])
            return .found((
                CustomerView(customer).tallied(tallies, id: customer.id),
                try CustomerMasterStore.bookings(db, of: customer, limit: CustomerMasterStore.historyLimit, zone: zone),
                CustomerChangesView(state, history: history, isAdmin: context.signedIn.isAdmin, refusal: refusal)))
        }
        switch lookup {
        case .none:
            return views.staffMessage(
                .notFound, heading: "Customer tidak ditemukan", "Tidak ada customer dengan kode \(kodeCS.value).", context)
        case .merged(let kept):
            return .redirect(to: "/staff/customers/\(kept.urlQueryEncoded)")
        case .found(let (customer, bookings, changes)):
            return views.page(
                CustomerPage(
                    staff: StaffChrome(context), customer: customer, bookings: bookings.map(BookingView.init),
                    capped: bookings.count == CustomerMasterStore.historyLimit ? CustomerMasterStore.historyLimit : nil,
                    changes: changes),
                status: status)
        }
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
