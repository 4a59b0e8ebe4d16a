import HTTPMessages
import HTTPTypes
import Postgres

extension SelfServiceController {
    // MARK: - GET /booking/{ref}/ubah

    /// The change form: the booking's time, or the studio, day and length in the query (the link to
    /// the next free day), with the free starts it may move to.
    func showChange(_ ref: BookingRef, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        guard let current = try read(ref, context) else { return views.notFound() }
        guard current.changeable else { return page(current, ref, context, alert: Self.whyNot(current)) }
        let asked = BookingForm(scheduleQuery: request.queryFields)
        let form = asked == BookingForm() ? Self.form(of: current) : asked
        let studios = booking.studios.studios(context.database, including: form.studioID)
        var errors = FieldErrors()
        if studios.available, asked != BookingForm(), case .failure(let failure) = booking.scheduleChoice(form, studios: studios.list) {
            errors = failure.errors.filter { !(asked[$0.key] ?? "").isEmpty }
        }
        return renderChange(
            studios.available ? .ok : .serviceUnavailable, form, errors: errors,
            alert: studios.available ? nil : Copy.changeDatabaseDown, current, ref, context, studios: studios.list)
    }

    // MARK: - GET /booking/{ref}/jam

    /// The change form's free starts for its script, as `/booking/jam` answers them: only those
    /// more than `cancelHours` away, the booking's own hours counted as free.
    func changeFreeStartsJSON(_ ref: BookingRef, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        guard let current = try read(ref, context) else { return views.notFound() }
        guard current.changeable else {
            return .json(status: .unprocessableContent, BookingController.ErrorJSON(error: Self.whyNot(current)))
        }
        return booking.freeStartsJSON(
            request, context, after: cancelHours * 60,
            moving: BookingController.MovingBooking(ref: ref.value, studio: current.studioID, day: current.tanggal))
    }

    // MARK: - POST /booking/{ref}/ubah

    /// Parse → the booking → CSRF → validate → `sb_reschedule_booking`: each refusal shows the form
    /// again with the values kept, or the booking's page when the booking itself may not change.
    func change(_ ref: BookingRef, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(request, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        var form = BookingForm(scheduleQuery: data)
        form.jam = data[BookingForm.Field.jam.rawValue] ?? ""
        guard let current = try read(ref, context) else { return views.notFound() }
        let studios = booking.studios.studios(context.database, including: form.studioID)
        func again(_ status: HTTPResponse.Status, errors: FieldErrors = [:], alert: String?) -> Response {
            renderChange(status, form, errors: errors, alert: alert, current, ref, context, studios: studios.list)
        }
        guard studios.available else { return again(.serviceUnavailable, alert: Copy.changeDatabaseDown) }
        guard current.changeable else {
            return page(current, ref, context, status: .unprocessableContent, alert: Self.whyNot(current))
        }
        // "Tampilkan jam kosong" without the script: the free starts of what is chosen, nothing changed.
        if data[BookingForm.showFreeStarts] != nil {
            let errors = if case .failure(let failure) = booking.scheduleChoice(form, studios: studios.list) { failure.errors } else { FieldErrors() }
            return again(.ok, errors: errors, alert: nil)
        }
        switch context.verify(data) {
        case .valid: break
        case .unavailable: return again(.serviceUnavailable, alert: Copy.changeDatabaseDown)
        case .forged: return again(.forbidden, alert: Copy.csrfFailed)
        }
        var errors = FieldErrors()
        let choice: BookingController.ScheduleChoice?
        switch booking.scheduleChoice(form, studios: studios.list) {
        case .success(let valid): choice = valid
        case .failure(let failure): (choice, errors) = (nil, failure.errors)
        }
        let hour = BookingValidator.hour(form.jam.trimmed)
        if form.jam.trimmed.isEmpty {
            errors[.jam] = "Pilih jam mulai."
        } else if hour == nil {
            errors[.jam] = "Jam mulai tidak valid: pilih dari daftar jam yang kosong."
        }
        guard errors.isEmpty, let choice, let hour else { return again(.unprocessableContent, errors: errors, alert: Copy.invalid) }

        let change: SelfServiceStore.Change
        do throws(PostgresError) {
            change = try retryingConflicts { () throws(PostgresError) in
                try context.database.run { db throws(PostgresError) in
                    try SelfServiceStore.reschedule(
                        db, ref: ref.value, to: choice, hour: hour, now: calendar.localTimestamp(), cutoffHours: cancelHours)
                }
            }
        } catch where error.code == .exclusionViolation {
            // A writer that bypassed the studio-day lock got there first: taken, nothing changed.
            change = SelfServiceStore.Change(outcome: .slotTaken, studio: nil, day: nil)
        } catch where error.code == .unexpectedAnswer {
            log.error("Changing a booking's time: outcome unknown, it may be changed", error)
            return again(.internalServerError, alert: Copy.changeOutcomeUnknown)
        } catch {
            log.error("Changing a booking's time failed, nothing changed", error)
            let unavailable = error.isConnectionLoss || error.isTransient
            return again(
                unavailable ? .serviceUnavailable : .internalServerError,
                alert: unavailable ? Copy.changeDatabaseDown : Copy.changeFailed)
        }
        switch change.outcome {
        case .done(let namaCS, let telp):
            freed(change, movedTo: choice)
            log.info("Booking rescheduled by customer: \(namaCS) (\(telp))")
            return .redirect(to: "/booking/\(ref.value)")
        case .unchanged:
            return .redirect(to: "/booking/\(ref.value)")
        case .notFound:
            return views.notFound()
        case .cancelled, .tooLate:
            // It changed while the form was filled in: the page says why.
            guard let now = try read(ref, context) else { return views.notFound() }
            return page(now, ref, context, status: .unprocessableContent, alert: Self.whyNot(now))
        case .tooSoon:
            return again(.unprocessableContent, errors: [.jam: Copy.changeTooSoon(cancelHours)], alert: Copy.invalid)
        case .closed:
            return again(.unprocessableContent, errors: [.jam: Copy.closedField], alert: Copy.invalid)
        case .slotTaken:
            return again(.conflict, errors: [.jam: Copy.slotTakenField], alert: Copy.slotTaken)
        }
    }

    // MARK: - Rendering

    /// The change form with the free starts of the chosen studio, day and length: those more than
    /// `cancelHours` from now, the booking's own hours counted as free.
    func renderChange(
        _ status: HTTPResponse.Status, _ form: BookingForm, errors: FieldErrors, alert: String?,
        _ current: SelfServiceStore.Booking, _ ref: BookingRef, _ context: RequestContext, studios: [BookingStore.Studio]
    ) -> Response {
        var (status, alert) = (status, alert)
        let moving = BookingController.MovingBooking(ref: ref.value, studio: current.studioID, day: current.tanggal)
        let (starts, nextDay) = booking.readFreeStarts(
            form, studios: studios, context, status: &status, alert: &alert, after: cancelHours * 60, moving: moving)
        let path = "/booking/\(ref.value)/ubah"
        return views.page(
            ChangePage(
                alert: alert, csrfToken: context.csrfToken(), current: current.summary, changeURL: path,
                bookingURL: "/booking/\(ref.value)", freeStartsURL: "/booking/\(ref.value)/jam",
                schedule: ScheduleFields(
                    form, errors: errors, studios: studios, calendar: calendar, views: views, starts: starts,
                    nextFreeDay: nextDay, path: path)),
            status: status)
    }

    /// The form as the booking has it now.
    static func form(of booking: SelfServiceStore.Booking) -> BookingForm {
        var form = BookingForm()
        form.studioID = String(booking.studioID)
        form.tanggal = booking.tanggal.iso
        form.durasi = String(booking.durasi)
        form.jam = booking.jam
        return form
    }

    /// Why a booking that is not `changeable` cannot change.
    static func whyNot(_ booking: SelfServiceStore.Booking) -> String {
        booking.cancelled ? Copy.changeOfCancelled : Copy.changeTooLate
    }
}
