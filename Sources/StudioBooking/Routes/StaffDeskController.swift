import HTTPMessages
import HTTPTypes
import Postgres

/// Bookings by staff (docs/behaviour.md: Bookings by staff): the desk's booking form with its customer
/// search, and a booking's staff page with cancel, move and attendance. Everything a booking is
/// decided by is the public form's: the validator, the studio list, the free starts, `sb_book_many`
/// (without the per-phone limit), `sb_cancel_booking` and `sb_reschedule_booking` (by id, without
/// the cutoff).
final class StaffDeskController: Sendable {
    /// How many customers the search offers at once.
    static let searchLimit = 10
    /// The customer's own cancel and move, whose rules, retries and cache updates these share.
    let selfService: SelfServiceController
    var booking: BookingController { selfService.booking }
    var views: Views { booking.views }
    var log: EventLog { booking.log }
    var calendar: BookingCalendar { booking.calendar }

    init(selfService: SelfServiceController) {
        self.selfService = selfService
    }

    func addRoutes(to router: inout Router) {
        // Before `/staff/bookings/{id_booking}`, which `baru` would also match.
        router.add(.get, "/staff/bookings/baru", access: .staff, name: "Desk booking form") { [self] request, context, _ throws(PostgresError) in
            try showForm(request, context)
        }
        router.add(.post, "/staff/bookings/baru", access: .staff, name: "Desk booking") { [self] request, context, _ throws(PostgresError) in
            try submit(request, context)
        }
        router.add(.get, "/staff/customers.json", access: .staff, name: "Desk customer search") { [self] request, context, _ throws(PostgresError) in
            try searchJSON(request, context)
        }
        router.add(.get, "/staff/bookings/{id_booking}", access: .staff, name: "Staff booking page") { [self] request, context, parameters throws(PostgresError) in
            guard let id: RecordID = parameters.get("id_booking") else { return notFound(context) }
            return try show(id.value, request, context)
        }
        router.add(.get, "/staff/bookings/{id_booking}/jam", access: .staff, name: "Staff free times for a move") { [self] request, context, parameters throws(PostgresError) in
            guard let id: RecordID = parameters.get("id_booking") else { return notFound(context) }
            return try moveFreeStartsJSON(id.value, request, context)
        }
        router.add(.post, "/staff/bookings/{id_booking}/batal", access: .staff, name: "Staff booking cancel") { [self] request, context, parameters throws(PostgresError) in
            try cancel(parameters, request, context)
        }
        router.add(.post, "/staff/bookings/{id_booking}/ubah", access: .staff, name: "Staff booking move") { [self] request, context, parameters throws(PostgresError) in
            try move(parameters, request, context)
        }
        router.add(.post, "/staff/bookings/{id_booking}/kehadiran", access: .staff, name: "Staff booking attendance") { [self] request, context, parameters throws(PostgresError) in
            try attendance(parameters, request, context)
        }
    }

    func notFound(_ context: RequestContext) -> Response {
        views.staffMessage(.notFound, heading: "Booking tidak ditemukan", Copy.deskBookingNotFound, context)
    }

    // MARK: - GET /staff/bookings/baru?cari=…&kode_cs=…

    /// The empty form; with `kode_cs` filled from that customer; with `cari` the customers found (the
    /// search without the script); with a studio, day and length, their free starts.
    func showForm(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let query = request.queryFields
        var form = BookingForm(scheduleQuery: query)
        var alert: String? = nil
        if let kode = query["kode_cs"]?.trimmed, !kode.isEmpty, !query.malformed.contains("kode_cs") {
            if let customer = try context.database.run({ db throws(PostgresError) in try CustomerMasterStore.customer(db, kodeCS: kode) }) {
                form.fill(from: customer)
            } else {
                alert = Copy.deskCustomerNotFound
            }
        }
        let cari = query.malformed.contains("cari") ? "" : (query["cari"] ?? "").trimmed
        var found: [DeskCustomerView] = []
        if !cari.isEmpty {
            found = try search(cari, context).map(DeskCustomerView.init)
            if found.isEmpty { alert = Copy.deskSearchNone }
        }
        return render(.ok, form, errors: [:], alert: alert, context, cari: cari, found: found)
    }

    func search(_ text: String, _ context: RequestContext) throws(PostgresError) -> [CustomerMasterStore.Customer] {
        try context.database.run { db throws(PostgresError) in
            try CustomerMasterStore.customers(db, CustomerSearch(text), after: nil, limit: Self.searchLimit)
        }
    }

    // MARK: - GET /staff/customers.json?q=…

    struct CustomerJSON: Encodable {
        let kode_cs, nama_customer, jenis_kelamin, telp_customer, email_customer, alamat_customer: String
    }

    /// The customers the search finds, with the booking form's field names, for the desk's script.
    func searchJSON(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let text: String
        do throws(RefusedValue) {
            text = (try request.queryFields.text("q") ?? "").trimmed
        } catch {
            return .json(status: .unprocessableContent, BookingController.ErrorJSON(error: Copy.searchMalformed))
        }
        let customers = text.isEmpty ? [] : try search(text, context)
        return .json(status: .ok, customers.map { customer in
            CustomerJSON(
                kode_cs: customer.kodeCS, nama_customer: customer.nama, jenis_kelamin: customer.jenisKelamin ?? "",
                telp_customer: customer.telp ?? "", email_customer: customer.email ?? "", alamat_customer: customer.alamat ?? "")
        })
    }

    // MARK: - POST /staff/bookings/baru

    /// Parse and CSRF → validate → `sb_book_many` with no per-phone limit → 303 to the booking's page;
    /// each refusal shows the form again with every value kept.
    func submit(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(staff: request, context, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let form = BookingForm(data)
        let studios = booking.studios.studios(context.database, including: form.studioID)
        func again(_ status: HTTPResponse.Status, errors: FieldErrors = [:], alert: String?) -> Response {
            render(status, form, errors: errors, alert: alert, context, studios: studios.list)
        }
        guard studios.available else { return again(.serviceUnavailable, alert: Copy.databaseDown) }
        // "Tampilkan jam kosong" without the script: the free starts of what is chosen, nothing booked.
        if data[BookingForm.showFreeStarts] != nil {
            let errors = if case .failure(let failure) = booking.scheduleChoice(form, studios: studios.list) { failure.errors } else { FieldErrors() }
            return again(.ok, errors: errors, alert: nil)
        }
        let valid: ValidBooking
        switch booking.validator.validate(form, studios: Dictionary(uniqueKeysWithValues: studios.list.map { ($0.id, $0.durasiMaks) })) {
        case .success(let checked): valid = checked
        case .failure(let failure): return again(.unprocessableContent, errors: failure.errors, alert: Copy.invalid)
        }
        let ref = RandomID.make()
        let decision: BookingStore.Decision?
        do throws(PostgresError) {
            // Not run again after a lost connection: the booking may have been committed.
            decision = try selfService.retryingConflicts { () throws(PostgresError) in
                try context.database.run(retryOnLoss: false) { db throws(PostgresError) in
                    try BookingStore.book(db, [(valid, ref)], today: calendar.localNow().day, maxActive: 0)[0]
                }
            }
        } catch where error.code == .exclusionViolation {
            decision = .slotTaken
        } catch where error.code == .unexpectedAnswer {
            log.error("Desk booking outcome unknown, it may be saved", error)
            return again(.internalServerError, alert: Copy.outcomeUnknown)
        } catch {
            log.error("Desk booking failed, nothing saved", error)
            let unavailable = error.isConnectionLoss || error.isTransient
            return again(unavailable ? .serviceUnavailable : .internalServerError, alert: unavailable ? Copy.databaseDown : Copy.bookingFailed)
        }
        switch decision {
        case .booked(let outcome)?:
            booking.freeTimes.changed(ScheduleAnnouncements.payload(studio: valid.studioID, day: valid.tanggal))
            log.info(outcome.logLine)
            guard let id = try context.database.run({ db throws(PostgresError) in try StaffBookingStore.id(db, ref: ref) }) else {
                return .redirect(to: "/booking/\(ref)")
            }
            return .redirect(to: "/staff/bookings/\(id)")
        case .slotTaken?:
            return again(.conflict, errors: [.jam: Copy.slotTakenField], alert: Copy.slotTaken)
        case .closed?:
            return again(.unprocessableContent, errors: [.jam: Copy.closedField], alert: Copy.invalid)
        case .tooManyActive?, nil:
            // No limit was asked for, and a booking alone is always decided: another version's function.
            log.error("Desk booking: sb_book_many answered \(String(describing: decision)) for a booking alone")
            return again(.internalServerError, alert: Copy.bookingFailed)
        }
    }

    // MARK: - Rendering

    func render(
        _ status: HTTPResponse.Status, _ form: BookingForm, errors: FieldErrors, alert: String?, _ context: RequestContext,
        studios known: [BookingStore.Studio]? = nil, cari: String = "", found: [DeskCustomerView] = []
    ) -> Response {
        var (status, alert) = (status, alert)
        let studios = known ?? booking.studios.studios(context.database, including: form.studioID).list
        let (starts, nextDay) = booking.readFreeStarts(form, studios: studios, context, status: &status, alert: &alert)
        let page = BookingFormPage(
            form, errors: errors, alert: alert, token: context.csrfToken(), studios: studios, calendar: calendar,
            views: views, starts: starts, nextFreeDay: nextDay, path: "/staff/bookings/baru")
        return views.page(
            StaffNewBookingPage(staff: StaffChrome(context), form: page, cari: cari, found: found, searched: !cari.isEmpty),
            status: status)
    }

}

extension BookingForm {
    /// The person's fields from the customer master (the desk's search); the schedule stays.
    mutating func fill(from customer: CustomerMasterStore.Customer) {
        nama = customer.nama
        jenisKelamin = customer.jenisKelamin ?? ""
        telp = customer.telp ?? ""
        email = customer.email ?? ""
        alamat = customer.alamat ?? ""
    }
}

extension BookingStore.Outcome {
    /// The booking's line in the log (docs/behaviour.md: The log), the public form's and the desk's.
    var logLine: String {
        customerCreated
            ? "New customer auto-created from booking: \(namaCS) (\(telp))"
            : "Existing customer booking date updated: \(namaCS) (\(telp))"
    }
}
