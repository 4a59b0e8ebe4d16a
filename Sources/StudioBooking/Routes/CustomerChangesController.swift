import HTTPMessages
import HTTPTypes
import Postgres

/// Staff changes to the customer master (docs/behaviour.md: Editing, merging and erasing
/// customers): the edit of `/staff/customers/{kode_cs}`, and for admins the merge, the personal
/// data download and the erasure. A refused change shows the customer's page again, with what was
/// typed.
struct CustomerChangesController: Sendable {
    let views: Views
    let log: EventLog
    /// Renders the customer's page, the refused change's page too.
    let page: CustomerMasterController

    func addRoutes(to router: inout Router) {
        router.add(.post, "/staff/customers/{kode_cs}", access: .staff, name: "Editing a customer") { request, context, parameters throws(PostgresError) in
            try withCustomer(parameters, context) { customer, kodeCS throws(PostgresError) in try edit(customer, kodeCS, request, context) }
        }
        router.add(.post, "/staff/customers/{kode_cs}/gabung", access: .admin, name: "Merging customers") { request, context, parameters throws(PostgresError) in
            try withCustomer(parameters, context) { customer, kodeCS throws(PostgresError) in try merge(customer, kodeCS, request, context) }
        }
        router.add(.post, "/staff/customers/{kode_cs}/hapus", access: .admin, name: "Erasing a customer") { request, context, parameters throws(PostgresError) in
            try withCustomer(parameters, context) { customer, kodeCS throws(PostgresError) in try erase(customer, kodeCS, request, context) }
        }
        router.add(.get, "/staff/customers/{kode_cs}/data.json", access: .admin, name: "Customer data") { _, context, parameters throws(PostgresError) in
            try withCustomer(parameters, context) { customer, _ throws(PostgresError) in try data(customer, context) }
        }
    }

    /// The customer the path names, merged and erased ones too, or the page that says there is none.
    func withCustomer(
        _ parameters: PathParameters, _ context: RequestContext,
        _ body: (CustomerChangeStore.Locked, KodeCS) throws(PostgresError) -> Response
    ) throws(PostgresError) -> Response {
        guard let kodeCS: KodeCS = parameters.get("kode_cs"),
            let customer = try context.database.run({ db throws(PostgresError) in try CustomerChangeStore.find(db, kodeCS: kodeCS.value) })
        else {
            return views.staffMessage(.notFound, heading: "Customer tidak ditemukan", "Tidak ada customer dengan kode ini.", context)
        }
        return try body(customer, kodeCS)
    }

    /// The form, or the answer that refuses it (403 without the page's token).
    func form(_ request: Request, _ context: RequestContext) -> Result<FormData, Refused> {
        switch PostedForm(staff: request, context, views: views) {
        case .form(let data): .success(data)
        case .refused(let response): .failure(Refused(response: response))
        }
    }

    struct Refused: Error { let response: Response }

    /// A change that ran into another staff member's (or a lock not had in time): 409.
    func busy(_ kodeCS: KodeCS, _ context: RequestContext) throws(PostgresError) -> Response {
        try page.detail(kodeCS, context, refusal: CustomerChangeRefusal(alert: Copy.customerBusy), status: .conflict)
    }

    /// A change of a customer merged or erased since its page was shown (the page of a merged one
    /// leads to the kept one, an erased one's has no forms): 409, a page that says so.
    func gone(_ context: RequestContext, _ message: String = Copy.customerGone) -> Response {
        views.staffMessage(.conflict, heading: "Customer sudah berubah", message, context)
    }

    // MARK: - POST /staff/customers/{kode_cs}

    func edit(
        _ customer: CustomerChangeStore.Locked, _ kodeCS: KodeCS, _ request: Request, _ context: RequestContext
    ) throws(PostgresError) -> Response {
        let data: FormData
        switch form(request, context) {
        case .success(let form): data = form
        case .failure(let refused): return refused.response
        }
        guard customer.isActive else { return gone(context) }
        let form = CustomerForm(data)
        let valid: ValidCustomer
        switch form.validated() {
        case .failure(let invalid):
            return try page.detail(
                kodeCS, context, refusal: CustomerChangeRefusal(alert: Copy.invalid, form: form, errors: invalid.errors),
                status: .unprocessableContent)
        case .success(let checked): valid = checked
        }
        let username = context.signedIn.username
        let outcome: CustomerChangeStore.EditOutcome
        do {
            outcome = try context.database.run(retryOnLoss: false) { db throws(PostgresError) in
                try CustomerChangeStore.edit(db, customer, valid, version: form.versi.isEmpty ? nil : form.versi, staff: username)
            }
        } catch where CustomerChangeStore.isBusy(error) {
            return try busy(kodeCS, context)
        }
        switch outcome {
        case .edited:
            log.info("Customer edited by staff \(username): \(customer.kodeCS)")
            return .redirect(to: "/staff/customers/\(customer.kodeCS.urlQueryEncoded)")
        case .busy:
            return try busy(kodeCS, context)
        case .stale(let version):
            // Sent again as it stands, the form overwrites what changed: the staff member has seen it.
            var kept = form
            kept.versi = version
            return try page.detail(
                kodeCS, context, refusal: CustomerChangeRefusal(alert: Copy.customerChanged, form: kept), status: .conflict)
        case .gone:
            return gone(context)
        case .taken(let field, let holder):
            let label = field == "telp" ? "nomor telepon" : "email"
            var errors: [CustomerForm.Field: String] = [:]
            errors[field == "telp" ? .telp : .email] = "Sudah dipakai customer \(holder)."
            return try page.detail(
                kodeCS, context,
                refusal: CustomerChangeRefusal(
                    alert: Copy.customerTaken(field: label, kodeCS: holder), form: form, errors: errors,
                    holder: (field, holder)),
                status: .conflict)
        }
    }

    // MARK: - POST /staff/customers/{kode_cs}/gabung (admin)

    func merge(
        _ customer: CustomerChangeStore.Locked, _ kodeCS: KodeCS, _ request: Request, _ context: RequestContext
    ) throws(PostgresError) -> Response {
        let data: FormData
        switch form(request, context) {
        case .success(let form): data = form
        case .failure(let refused): return refused.response
        }
        guard customer.isActive else { return gone(context) }
        let typed = data["ke"] ?? ""
        let ke = typed.trimmed
        func refused(_ message: String) throws(PostgresError) -> Response {
            try page.detail(
                kodeCS, context, refusal: CustomerChangeRefusal(alert: Copy.mergeRefused, ke: typed, keError: message),
                status: .unprocessableContent)
        }
        guard !ke.isEmpty, ke.unicodeScalars.count <= 20, !data.malformed.contains("ke"), !ke.hasForbiddenControls(allowNewlines: false) else {
            return try refused(Copy.mergeTargetUnknown)
        }
        let username = context.signedIn.username
        let outcome: CustomerChangeStore.MergeOutcome
        do {
            outcome = try context.database.run(retryOnLoss: false) { db throws(PostgresError) in
                try CustomerChangeStore.merge(db, customer, into: ke, staff: username)
            }
        } catch where CustomerChangeStore.isBusy(error) {
            return try busy(kodeCS, context)
        }
        switch outcome {
        case .merged:
            log.info("Customers merged by staff \(username): \(customer.kodeCS) into \(ke)")
            return .redirect(to: "/staff/customers/\(ke.urlQueryEncoded)")
        case .busy:
            return try busy(kodeCS, context)
        case .gone:
            return gone(context)
        case .refused(let why):
            switch why {
            case .itself: return try refused(Copy.mergeItself)
            case .targetUnknown: return try refused(Copy.mergeTargetUnknown)
            case .targetMerged: return try refused(Copy.mergeTargetMerged)
            case .targetErased: return try refused(Copy.mergeTargetErased)
            }
        }
    }

    // MARK: - POST /staff/customers/{kode_cs}/hapus (admin)

    func erase(
        _ customer: CustomerChangeStore.Locked, _ kodeCS: KodeCS, _ request: Request, _ context: RequestContext
    ) throws(PostgresError) -> Response {
        let data: FormData
        switch form(request, context) {
        case .success(let form): data = form
        case .failure(let refused): return refused.response
        }
        let typed = data["konfirmasi"] ?? ""
        if customer.digabungKe != nil { return gone(context, Copy.eraseMerged) }
        guard typed.trimmed == customer.kodeCS, !data.malformed.contains("konfirmasi") else {
            return try page.detail(
                kodeCS, context,
                refusal: CustomerChangeRefusal(alert: Copy.eraseRefused, konfirmasi: typed, konfirmasiError: Copy.eraseConfirmation),
                status: .unprocessableContent)
        }
        let outcome: CustomerChangeStore.EraseOutcome
        do {
            outcome = try context.database.run(retryOnLoss: false) { db throws(PostgresError) in
                try CustomerChangeStore.erase(db, customer)
            }
        } catch where CustomerChangeStore.isBusy(error) {
            return try busy(kodeCS, context)
        }
        switch outcome {
        case .erased:
            log.info("Customer data erased by staff \(context.signedIn.username): \(customer.kodeCS)")
            return .redirect(to: "/staff/customers/\(customer.kodeCS.urlQueryEncoded)")
        case .alreadyErased:
            return .redirect(to: "/staff/customers/\(customer.kodeCS.urlQueryEncoded)")
        case .merged:
            return gone(context, Copy.eraseMerged)
        case .busy:
            return try busy(kodeCS, context)
        }
    }

    // MARK: - GET /staff/customers/{kode_cs}/data.json (admin)

    func data(_ customer: CustomerChangeStore.Locked, _ context: RequestContext) throws(PostgresError) -> Response {
        if let kept = customer.digabungKe {
            return .redirect(to: "/staff/customers/\(kept.urlQueryEncoded)/data.json")
        }
        let json = try context.database.run { db throws(PostgresError) in try CustomerChangeStore.personalData(db, customer) }
        // Who read a person's data is worth knowing later; the data itself never goes into the log.
        log.info("Customer data downloaded by staff \(context.signedIn.username): \(customer.kodeCS)")
        let name = customer.kodeCS.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        return Response(
            status: .ok,
            headerFields: [
                .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"customer-\(name).json\"",
            ],
            body: Array(json.utf8))
    }
}
