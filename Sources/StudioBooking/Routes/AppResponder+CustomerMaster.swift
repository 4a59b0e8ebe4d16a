import FastCGI
import Foundation
import Postgres

extension AppResponder {
    /// Customers on one page of the list.
    static let customersPerPage = 50

    // MARK: - GET /staff/customers?q=…&after=…

    func customerList(_ request: Request, _ staff: StaffUser) -> Response {
        let query = FormData(urlEncoded: Array(request.query.utf8))
        let search = CustomerSearch(query["q"] ?? "")
        let after = query["after"].flatMap { Int($0) }
        let visitor = Visitor(request)
        let rows: [CustomerMasterStore.Customer]
        do {
            rows = try database.run { db throws(PostgresError) in
                try CustomerMasterStore.customers(db, search, after: after, limit: Self.customersPerPage + 1)
            }
        } catch {
            return staffPageFailed("Customer list", error)
        }
        let page = Array(rows.prefix(Self.customersPerPage))
        let searchQuery = search.text.isEmpty ? "" : "q=\(search.text.urlQueryEncoded)"
        func listURL(_ parts: String...) -> String {
            let query = parts.filter { !$0.isEmpty }.joined(separator: "&")
            return "/staff/customers" + (query.isEmpty ? "" : "?\(query)")
        }
        let view = CustomerListPage(
            staff: staffChrome(staff, visitor: visitor),
            q: search.text,
            customers: page.map(CustomerView.init),
            nextURL: rows.count > Self.customersPerPage ? listURL(searchQuery, "after=\(page.last!.id)") : nil,
            firstURL: after == nil ? nil : listURL(searchQuery),
            csvURL: "/staff/customers.csv" + (searchQuery.isEmpty ? "" : "?\(searchQuery)"))
        return staffPage(view, visitor: visitor)
    }

    // MARK: - GET /staff/customers.csv?q=…

    func customerCSV(_ request: Request) -> Response {
        let query = FormData(urlEncoded: Array(request.query.utf8))
        let search = CustomerSearch(query["q"] ?? "")
        var csv = CSV(header: CustomerMasterStore.Customer.csvHeader)
        do {
            // Read in keyset pages: a million customers never sit in memory as rows at once.
            var after: Int? = nil
            while true {
                let rows = try database.run { db throws(PostgresError) in
                    try CustomerMasterStore.customers(db, search, after: after, limit: CustomerMasterStore.exportPage)
                }
                for row in rows { csv.append(row.csvFields) }
                guard rows.count == CustomerMasterStore.exportPage, let last = rows.last else { break }
                after = last.id
            }
        } catch {
            return staffPageFailed("Customer export", error)
        }
        return Response(
            status: 200,
            headers: [
                ("Content-Type", "text/csv; charset=utf-8"), ("Cache-Control", "no-store"),
                ("Content-Disposition", "attachment; filename=\"customers.csv\""),
            ],
            body: csv.bytes)
    }

    // MARK: - GET /staff/customers/{kode_cs}

    func customerDetail(kodeCS encoded: String, _ request: Request, _ staff: StaffUser) -> Response {
        guard let kodeCS = encoded.removingPercentEncoding, !kodeCS.isEmpty, kodeCS.utf8.count <= 20 else {
            return notFound()
        }
        let visitor = Visitor(request)
        let found: (CustomerMasterStore.Customer, [CustomerMasterStore.Booking])?
        do {
            found = try database.run { db throws(PostgresError) in
                guard let customer = try CustomerMasterStore.customer(db, kodeCS: kodeCS) else { return nil }
                return (customer, try CustomerMasterStore.bookings(db, of: customer, limit: CustomerMasterStore.historyLimit))
            }
        } catch {
            return staffPageFailed("Customer page", error)
        }
        guard let (customer, bookings) = found else {
            return message(status: 404, heading: "Customer tidak ditemukan", "Tidak ada customer dengan kode \(kodeCS).")
        }
        let view = CustomerPage(
            staff: staffChrome(staff, visitor: visitor), customer: CustomerView(customer),
            bookings: bookings.map(BookingView.init),
            capped: bookings.count == CustomerMasterStore.historyLimit ? CustomerMasterStore.historyLimit : nil)
        return staffPage(view, visitor: visitor)
    }

    // MARK: - GET /staff/bookings?tanggal=YYYY-MM-DD

    func dayBookings(_ request: Request, _ staff: StaffUser) -> Response {
        let query = FormData(urlEncoded: Array(request.query.utf8))
        let today = app.validator.calendar.localNow().day
        let asked = (query["tanggal"] ?? "").trimmed
        let day = asked.isEmpty ? today : Day(iso: asked)
        let visitor = Visitor(request)
        guard let day else {
            let view = DayBookingsPage(
                staff: staffChrome(staff, visitor: visitor), tanggal: asked, alert: "Tanggal harus berformat YYYY-MM-DD.",
                previousURL: nil, nextURL: nil, todayURL: "/staff/bookings", studios: [], count: 0)
            return staffPage(view, status: 422, visitor: visitor)
        }
        let rows: [CustomerMasterStore.Booking]
        let studios: [BookingStore.Studio]
        do {
            (rows, studios) = try database.run { db throws(PostgresError) in
                (try CustomerMasterStore.bookings(db, on: day), try BookingStore.studios(db))
            }
        } catch {
            return staffPageFailed("Day's bookings", error)
        }
        let view = DayBookingsPage(
            staff: staffChrome(staff, visitor: visitor), tanggal: day.iso, alert: nil,
            previousURL: "/staff/bookings?tanggal=\(day.adding(days: -1).iso)",
            nextURL: "/staff/bookings?tanggal=\(day.adding(days: 1).iso)",
            todayURL: "/staff/bookings",
            studios: StudioDayView.schedule(rows, studios: studios, slots: app.validator.calendar.slots),
            count: rows.count)
        return staffPage(view, visitor: visitor)
    }

    // MARK: - Helpers

    func staffPage(_ page: some Page, status: Int = 200, visitor: Visitor) -> Response {
        .html(status: status, app.views.render(page), headers: visitor.setCookie.map { [("Set-Cookie", $0)] } ?? [])
    }

    func staffPageFailed(_ what: String, _ error: PostgresError) -> Response {
        app.log.error("\(what) failed: \(error.code) \(error.message)")
        return message(status: 503, heading: "Layanan sedang terganggu", Copy.staffDatabaseDown)
    }
}

extension String {
    /// Percent-encoded for a URL's query: everything but unreserved characters.
    var urlQueryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .urlUnreserved) ?? ""
    }
}

extension CharacterSet {
    static let urlUnreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
