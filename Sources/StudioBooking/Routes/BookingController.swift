import HTTPMessages
import HTTPTypes
import Postgres
import Synchronization

/// The public pages (GET and POST `/booking`, the confirmation `/booking/{ref}`), with what only
/// they need: the validator, the studio list, the empty form's cache and the booking batcher.
final class BookingController: Sendable {
    let calendar: BookingCalendar
    let validator: BookingValidator
    let studios: StudioDirectory
    let views: Views
    let log: EventLog
    let maxActivePerPhone: Int
    /// Bookings that arrive together go to the database together, on connections of their own.
    let batcher: Batcher<BookingItem, BookingAnswer>
    /// Studio days as last read, kept while `ScheduleListener` hears of every change.
    let freeTimes = FreeTimesCache()
    /// The empty form as bytes, for the current studio list and day.
    private let blank = Mutex<BlankForm?>(nil)

    init(config: AppConfig, calendar: BookingCalendar, views: Views, log: EventLog) {
        self.calendar = calendar
        validator = BookingValidator(calendar: calendar)
        studios = StudioDirectory(log: log)
        self.views = views
        self.log = log
        maxActivePerPhone = config.maxActiveBookingsPerPhone
        batcher = Batcher(
            committers: config.batchCommitters, maxBatchSize: config.maxBatchSize,
            unavailable: { .failure(PostgresError(code: .connection, message: $0)) }
        ) {
            let sender = BookingSender(
                database: BookingSender.database(url: config.databaseURL), calendar: calendar,
                maxActive: config.maxActiveBookingsPerPhone, log: log)
            return sender.start
        }
    }

    func addRoutes(to router: inout Router) {
        router.add(.get, "/", name: "Home") { _, _, _ in .redirect(to: "/booking") }
        router.add(.get, "/booking", name: "Booking form") { [self] request, context, _ in showForm(request, context) }
        router.add(.post, "/booking", name: "Booking") { [self] request, context, _ in submit(request, context) }
        router.add(.get, "/booking/jam", name: "Free times") { [self] request, context, _ in freeStartsJSON(request, context) }
        router.add(.get, "/booking/{ref}", name: "Confirmation page") { [self] _, context, parameters throws(PostgresError) in
            // A malformed ref gets the same 404 as an unknown one, without asking the database.
            guard let ref: BookingRef = parameters.get("ref") else { return views.notFound() }
            return try showConfirmation(ref, context)
        }
    }

    // MARK: - GET /booking

    func showForm(_ request: Request, _ context: RequestContext) -> Response {
        let asked = BookingForm(scheduleQuery: request.queryFields)
        let studios = studios.studios(context.database, including: asked.studioID)
        if asked != BookingForm() {
            // A choice of studio, day or length: the form with the free starts, 200 whatever was asked.
            var errors = FieldErrors()
            if studios.available, case .failure(let failure) = scheduleChoice(asked, studios: studios.list) {
                errors = failure.errors
            }
            return renderForm(
                studios.available ? .ok : .serviceUnavailable, asked,
                errors: errors.filter { !(asked[$0.key] ?? "").isEmpty },
                alert: studios.available ? nil : Copy.databaseDown, context, studios: studios.list)
        }
        if studios.available, context.csrf != nil {
            return .html(status: .ok, blankForm(studios: studios.list).page(token: context.csrfToken()))
        }
        return renderForm(
            studios.available ? .ok : .serviceUnavailable, BookingForm(), errors: [:], alert: studios.available ? nil : Copy.databaseDown,
            context, studios: studios.list)
    }

    // MARK: - GET /booking/{ref}

    func showConfirmation(_ ref: BookingRef, _ context: RequestContext) throws(PostgresError) -> Response {
        guard let booking = try context.database.run({ db throws(PostgresError) in
            try BookingStore.confirmation(db, ref: ref.value)
        }) else { return views.notFound() }
        let endHour = (BookingValidator.hour(booking.jam) ?? 0) + booking.durasi
        return views.page(
            ConfirmationPage(
                kodeCS: booking.kodeCS, studio: booking.studio, tanggal: booking.tanggal, jam: booking.jam,
                selesai: BookingValidator.hour(booking.jam) == nil ? "" : StudioDay.label(endHour),
                durasi: "\(booking.durasi) jam",
                nama: booking.nama, jenisKelamin: booking.jenisKelamin, telp: booking.telp,
                email: booking.email, alamat: booking.alamat))
    }

    // MARK: - Rendering

    /// The empty form for these studios and today, rendered at most once a day or studio change.
    func blankForm(studios: [BookingStore.Studio]) -> BlankForm {
        let today = calendar.localNow().day
        if let cached = blank.withLock({ $0 }), cached.day == today, cached.studios == studios {
            return cached
        }
        let page = BookingFormPage(
            BookingForm(), errors: [:], alert: nil, token: BlankForm.placeholder, studios: studios, calendar: calendar)
        // The template is ours and holds the token once; anything else is a broken template.
        let rendered = BlankForm(studios: studios, day: today, rendered: views.render(page))!
        blank.withLock { $0 = rendered }
        return rendered
    }

    /// The form again, with the free starts of the chosen studio, day and length when all three are
    /// valid and the database answers (a failure to read them leaves the list empty, and says so).
    func renderForm(
        _ status: HTTPResponse.Status, _ form: BookingForm, errors: FieldErrors, alert: String?,
        _ context: RequestContext, studios: [BookingStore.Studio]
    ) -> Response {
        var (status, alert) = (status, alert)
        var starts: [Int]?
        var nextDay: Day?
        if status != .serviceUnavailable, case .success(let choice) = scheduleChoice(form, studios: studios) {
            do throws(PostgresError) {
                starts = try freeStarts(context.database, choice)
                if starts?.isEmpty == true { nextDay = try nextFreeDay(context.database, after: choice) }
            } catch {
                log.error("Reading free times failed", error)
                if status == .ok { status = .serviceUnavailable }
                alert = alert ?? Copy.scheduleUnavailable
            }
        }
        return views.page(
            BookingFormPage(
                form, errors: errors, alert: alert, token: context.csrfToken(), studios: studios, calendar: calendar,
                starts: starts, nextFreeDay: nextDay),
            status: status)
    }
}

/// A booking's public reference in a path: exactly what `RandomID.make` produces.
struct BookingRef: PathParameter {
    let value: String

    init?(pathSegment: Substring) {
        guard RandomID.isWellFormed(pathSegment) else { return nil }
        value = String(pathSegment)
    }
}
