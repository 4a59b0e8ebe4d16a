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
    /// The empty form and the forms with free starts as bytes, for the current studio list and day.
    private let kept = Mutex<KeptForms?>(nil)

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
            if studios.available {
                switch scheduleChoice(asked, studios: studios.list) {
                case .failure(let failure): errors = failure.errors
                case .success(let choice):
                    if let page = choiceForm(choice, asked, studios: studios.list, context) { return page }
                }
            }
            return renderForm(
                studios.available ? .ok : .serviceUnavailable, asked,
                errors: errors.filter { !(asked[$0.key] ?? "").isEmpty },
                alert: studios.available ? nil : Copy.databaseDown, context, studios: studios.list)
        }
        if studios.available, context.csrf != nil {
            return .html(status: .ok, blankForm(studios: studios.list).page([.token: context.csrfToken()]))
        }
        return renderForm(
            studios.available ? .ok : .serviceUnavailable, BookingForm(), errors: [:], alert: studios.available ? nil : Copy.databaseDown,
            context, studios: studios.list)
    }

    // MARK: - Rendering

    /// The empty form for these studios and today, rendered at most once a day or studio change.
    func blankForm(studios: [BookingStore.Studio]) -> PageSkeleton {
        keptForm(nil, studios: studios) {
            BookingFormPage(
                BookingForm(), errors: [:], alert: nil, token: PageSkeleton.Slot.token.rawValue, studios: studios,
                calendar: calendar, views: views)
        }
    }

    /// The form of a studio, day and length asked for as the form's own links and script ask (each
    /// value as the form writes it, no other field): its page for that studio and length is kept,
    /// and only its start field is rendered. nil: not such an ask, or no CSRF key yet (the database
    /// away since the start); the caller renders the page whole. A failure to read the free starts is the whole page too, with
    /// what was read.
    func choiceForm(
        _ choice: ScheduleChoice, _ asked: BookingForm, studios: [BookingStore.Studio], _ context: RequestContext
    ) -> Response? {
        guard context.csrf != nil, asked.studioID == String(choice.studio.id), asked.tanggal == choice.day.iso,
            asked.durasi == String(choice.durasi)
        else { return nil }
        var (status, alert): (HTTPResponse.Status, String?) = (.ok, nil)
        let (starts, nextDay) = readFreeStarts(asked, studios: studios, context, status: &status, alert: &alert)
        guard status == .ok, alert == nil else {
            return formPage(status, asked, errors: [:], alert: alert, context, studios: studios, starts: starts, nextDay: nextDay)
        }
        let skeleton = keptForm(KeptForms.Key(studio: choice.studio.id, durasi: choice.durasi), studios: studios) {
            var page = BookingFormPage(
                asked, errors: [:], alert: nil, token: PageSkeleton.Slot.token.rawValue, studios: studios, calendar: calendar,
                views: views)
            page.schedule.tanggal = FieldView(value: PageSkeleton.Slot.tanggal.rawValue, error: nil)
            page.schedule.jamField = PageSkeleton.Slot.jamField.rawValue
            return page
        }
        let jamField = views.render(JamField(asked, errors: [:], starts: starts, nextFreeDay: nextDay, path: "/booking"))
        return .html(status: .ok, skeleton.page([.token: context.csrfToken(), .tanggal: choice.day.iso, .jamField: jamField]))
    }

    /// The kept page `key` for these studios and today, rendered from `page` when there is none.
    private func keptForm(
        _ key: KeptForms.Key?, studios: [BookingStore.Studio], page: () -> BookingFormPage
    ) -> PageSkeleton {
        let today = calendar.localNow().day
        if let skeleton = kept.withLock({ $0?.page(key, studios: studios, day: today) }) { return skeleton }
        let slots: [PageSkeleton.Slot] = key == nil ? [.token] : [.token, .tanggal, .jamField]
        // The templates are ours and hold each slot once; anything else is a broken template.
        let skeleton = PageSkeleton(rendered: views.render(page()), slots: slots)!
        kept.withLock { KeptForms.keep(skeleton, key, studios: studios, day: today, in: &$0) }
        return skeleton
    }

    /// The form again, with the free starts of the chosen studio, day and length when all three are
    /// valid and the database answers (a failure to read them leaves the list empty, and says so).
    func renderForm(
        _ status: HTTPResponse.Status, _ form: BookingForm, errors: FieldErrors, alert: String?,
        _ context: RequestContext, studios: [BookingStore.Studio]
    ) -> Response {
        var (status, alert) = (status, alert)
        let (starts, nextDay) = readFreeStarts(form, studios: studios, context, status: &status, alert: &alert)
        return formPage(status, form, errors: errors, alert: alert, context, studios: studios, starts: starts, nextDay: nextDay)
    }

    /// The form rendered whole, with the free starts read.
    private func formPage(
        _ status: HTTPResponse.Status, _ form: BookingForm, errors: FieldErrors, alert: String?, _ context: RequestContext,
        studios: [BookingStore.Studio], starts: [Int]?, nextDay: Day?
    ) -> Response {
        views.page(
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
