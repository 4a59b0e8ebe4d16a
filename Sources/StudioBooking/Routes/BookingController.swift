import HTTPMessages
import HTTPTypes
import Postgres
import Synchronization

/// The booking form (GET and POST `/booking`, its free starts), with what only it needs: the
/// validator, the studio list, the empty form's cache and the booking batcher. A booking's own
/// pages, `/booking/{ref}…`, are `SelfServiceController`'s.
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
    let freeTimes: FreeTimesCache
    /// The days this responder's bookings changed, dropped here and told to the other responders.
    let announcements: ScheduleAnnouncements
    /// The empty form as bytes, for the current studio list and day.
    private let blank = Mutex<BlankForm?>(nil)

    init(config: AppConfig, calendar: BookingCalendar, views: Views, log: EventLog) {
        self.calendar = calendar
        validator = BookingValidator(calendar: calendar)
        studios = StudioDirectory(log: log)
        self.views = views
        self.log = log
        maxActivePerPhone = config.maxActiveBookingsPerPhone
        let freeTimes = FreeTimesCache()
        let announcements = ScheduleAnnouncements(cache: freeTimes)
        self.freeTimes = freeTimes
        self.announcements = announcements
        batcher = Batcher(
            committers: config.batchCommitters, maxBatchSize: config.maxBatchSize,
            unavailable: { .failure(PostgresError(code: .connection, message: $0)) }
        ) {
            let sender = BookingSender(
                database: BookingSender.database(url: config.databaseURL), calendar: calendar,
                maxActive: config.maxActiveBookingsPerPhone, log: log, announce: announcements.booked)
            return sender.start
        }
    }

    func addRoutes(to router: inout Router) {
        router.add(.get, "/", name: "Home") { _, _, _ in .redirect(to: "/booking") }
        router.add(.get, "/booking", name: "Booking form") { [self] request, context, _ in showForm(request, context) }
        router.add(.post, "/booking", name: "Booking") { [self] request, context, _ in submit(request, context) }
        router.add(.get, "/booking/jam", name: "Free times") { [self] request, context, _ in freeStartsJSON(request, context) }
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

    // MARK: - Rendering

    /// The empty form for these studios and today, rendered at most once a day or studio change.
    func blankForm(studios: [BookingStore.Studio]) -> BlankForm {
        let today = calendar.localNow().day
        if let cached = blank.withLock({ $0 }), cached.day == today, cached.studios == studios {
            return cached
        }
        let page = BookingFormPage(
            BookingForm(), errors: [:], alert: nil, token: BlankForm.placeholder, studios: studios, calendar: calendar,
            views: views)
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
        let (starts, nextDay) = readFreeStarts(form, studios: studios, context, status: &status, alert: &alert)
        return views.page(
            BookingFormPage(
                form, errors: errors, alert: alert, token: context.csrfToken(), studios: studios, calendar: calendar,
                views: views, starts: starts, nextFreeDay: nextDay),
            status: status)
    }

    /// The free starts of the form's studio, day and length when all three are valid and the page
    /// is not an outage already, with the next day that has one when there are none. A failure to
    /// read them is logged, turns a 200 into a 503 and sets the alert when there is none yet.
    /// `after` and `moving`: as `freeStarts`.
    func readFreeStarts(
        _ form: BookingForm, studios: [BookingStore.Studio], _ context: RequestContext,
        status: inout HTTPResponse.Status, alert: inout String?, after: Int = 0, moving: MovingBooking? = nil
    ) -> (starts: [Int]?, nextDay: Day?) {
        guard status != .serviceUnavailable, case .success(let choice) = scheduleChoice(form, studios: studios) else {
            return (nil, nil)
        }
        do throws(PostgresError) {
            let starts = try freeStarts(context.database, choice, after: after, moving: moving)
            let nextDay = starts.isEmpty
                ? try nextFreeDay(context.database, after: choice, minutes: after, moving: moving) : nil
            return (starts, nextDay)
        } catch {
            log.error("Reading free times failed", error)
            if status == .ok { status = .serviceUnavailable }
            alert = alert ?? Copy.scheduleUnavailable
            return (nil, nil)
        }
    }
}
