import HTTPMessages
import HTTPTypes
import Postgres

extension BookingController {
    // MARK: - POST /booking

    /// Parse → CSRF → validate → the batch: each refusal re-renders the form with every value kept.
    func submit(_ request: Request, _ context: RequestContext) -> Response {
        let data: FormData
        switch PostedForm(request, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let form = BookingForm(data)
        // A field people cannot see: whoever fills it in is a bot. Refused without a word.
        if !(data[BookingForm.honeypot] ?? "").isEmpty {
            log.info("Booking refused: the hidden honeypot field was filled in")
            return .redirect(to: "/booking")
        }
        let studios = studios.studios(context.database, including: form.studioID)
        // "Tampilkan jam kosong" without the script: the same form, every value kept, with the free
        // starts of what is chosen now. Nothing is booked, so no token is needed for it.
        if data[BookingForm.showFreeStarts] != nil {
            var errors = FieldErrors()
            if studios.available, case .failure(let failure) = scheduleChoice(form, studios: studios.list) {
                errors = failure.errors
            }
            return renderForm(
                studios.available ? .ok : .serviceUnavailable, form, errors: errors,
                alert: studios.available ? nil : Copy.databaseDown, context, studios: studios.list)
        }
        func again(_ status: HTTPResponse.Status, errors: FieldErrors = [:], alert: String) -> Response {
            renderForm(status, form, errors: errors, alert: alert, context, studios: studios.list)
        }
        // No key (the database could not be asked for it) or no studio list: an outage, not a
        // forged form, whatever the token says.
        switch studios.available ? context.verify(data) : .unavailable {
        case .valid: break
        case .unavailable: return again(.serviceUnavailable, alert: Copy.databaseDown)
        case .forged: return again(.forbidden, alert: Copy.csrfFailed)
        }
        let booking: ValidBooking
        switch validator.validate(form, studios: Dictionary(uniqueKeysWithValues: studios.list.map { ($0.id, $0.durasiMaks) })) {
        case .success(let valid): booking = valid
        case .failure(let failure): return again(.unprocessableContent, errors: failure.errors, alert: Copy.invalid)
        }

        let ref = RandomID.make()
        switch batcher.submit((booking, ref)) {
        case .success(.booked(let outcome)):
            log.info(outcome.logLine)
            return .redirect(to: "/booking/\(ref)")
        case .success(.slotTaken):
            return again(.conflict, errors: [.jam: Copy.slotTakenField], alert: Copy.slotTaken)
        case .success(.closed):
            return again(.unprocessableContent, errors: [.jam: Copy.closedField], alert: Copy.invalid)
        case .success(.tooManyActive):
            return again(.unprocessableContent, errors: [.telp: Copy.tooManyActive(maxActivePerPhone)], alert: Copy.invalid)
        case .failure(let error) where error.code == .unexpectedAnswer:
            // The database ran the batch and answered something this version cannot read (a function
            // from another version?): the booking may be saved. Say so rather than invite a resend.
            log.error("Booking outcome unknown, it may be saved", error)
            return again(.internalServerError, alert: Copy.outcomeUnknown)
        case .failure(let error):
            log.error("Booking failed, nothing saved", error)
            let unavailable = error.isConnectionLoss || error.isTransient
            return again(
                unavailable ? .serviceUnavailable : .internalServerError,
                alert: unavailable ? Copy.databaseDown : Copy.bookingFailed)
        }
    }
}
