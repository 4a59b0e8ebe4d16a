import HTTPMessages
import HTTPTypes
import Postgres

extension StaffDeskController {
    // MARK: - GET /staff/bookings/{id_booking}

    /// The booking's page; a studio, day and length in the query (the link to the next free day)
    /// fill its move form.
    func show(_ id: Int, _ request: Request? = nil, _ context: RequestContext) throws(PostgresError) -> Response {
        guard let current = try read(id, context) else { return notFound(context) }
        let asked = request.map { BookingForm(scheduleQuery: $0.queryFields) } ?? BookingForm()
        return page(current, context, moveForm: asked == BookingForm() ? nil : asked)
    }

    func read(_ id: Int, _ context: RequestContext) throws(PostgresError) -> StaffBookingStore.Booking? {
        try context.database.run { db throws(PostgresError) in
            try StaffBookingStore.booking(db, id: id, now: calendar.localTimestamp())
        }
    }

    /// The page, with the move form as the booking has it (or `moveForm`, as typed) and its free
    /// starts, the booking's own hours counted as free.
    func page(
        _ current: StaffBookingStore.Booking, _ context: RequestContext, status: HTTPResponse.Status = .ok,
        alert: String? = nil, moveForm: BookingForm? = nil, moveErrors: FieldErrors = [:]
    ) -> Response {
        var (status, alert) = (status, alert)
        var schedule: ScheduleFields? = nil
        if !current.cancelled {
            let form = moveForm ?? Self.form(of: current)
            let studios = booking.studios.studios(context.database, including: form.studioID)
            if !studios.available, status == .ok { status = .serviceUnavailable }
            if !studios.available { alert = alert ?? Copy.scheduleUnavailable }
            let moving = BookingController.MovingBooking(ref: current.ref, studio: current.studioID, day: current.tanggal, id: current.id)
            let (starts, nextDay) = booking.readFreeStarts(
                form, studios: studios.list, context, status: &status, alert: &alert, moving: moving)
            schedule = ScheduleFields(
                form, errors: moveErrors, studios: studios.list, calendar: calendar, views: views, starts: starts,
                nextFreeDay: nextDay, path: "/staff/bookings/\(current.id)")
        }
        // Its messages (docs/behaviour.md: Messages to customers). Unreadable (the database gone since
        // the booking was read): the page without them, as the move form goes without its free starts.
        let messages = try? context.database.run { db throws(PostgresError) in
            try MessageStore.messages(db, booking: current.id, zone: calendar.timeZone.identifier)
        }
        if messages == nil { alert = alert ?? Copy.staffDatabaseDown }
        return views.page(
            StaffBookingPage(
                current, staff: StaffChrome(context), token: context.csrfToken(), alert: alert, schedule: schedule,
                pesan: BookingMessagesView(booking: current.id, messages ?? [])),
            status: status)
    }

    static func form(of booking: StaffBookingStore.Booking) -> BookingForm {
        var form = BookingForm()
        form.studioID = String(booking.studioID)
        form.tanggal = booking.tanggal.iso
        form.durasi = String(booking.durasi)
        form.jam = booking.jam
        return form
    }

    // MARK: - GET /staff/bookings/{id_booking}/jam

    /// The move form's free starts for its script, as `/booking/jam` answers them, the booking's own
    /// hours counted as free.
    func moveFreeStartsJSON(_ id: Int, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        guard let current = try read(id, context) else {
            return .json(status: .notFound, BookingController.ErrorJSON(error: Copy.deskBookingNotFound))
        }
        guard !current.cancelled else {
            return .json(status: .unprocessableContent, BookingController.ErrorJSON(error: Copy.deskOfCancelled))
        }
        return booking.freeStartsJSON(
            request, context,
            moving: BookingController.MovingBooking(ref: current.ref, studio: current.studioID, day: current.tanggal, id: current.id))
    }

    // MARK: - POST /staff/bookings/{id_booking}/batal

    /// Cancels, whenever it starts (legacy bookings too); a booking already cancelled stays as it is.
    func cancel(_ parameters: PathParameters, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        switch PostedForm(staff: request, context, views: views) {
        case .form: break
        case .refused(let response): return response
        }
        guard let id: RecordID = parameters.get("id_booking") else { return notFound(context) }
        let change: SelfServiceStore.Change
        do throws(PostgresError) {
            change = try selfService.retryingConflicts { () throws(PostgresError) in
                try context.database.run { db throws(PostgresError) in
                    try SelfServiceStore.cancel(db, ref: nil, id: id.value, now: calendar.localTimestamp(), cutoffHours: nil)
                }
            }
        } catch {
            return failed("Cancelling a booking by staff", error, context)
        }
        switch change.outcome {
        case .done(let namaCS, let telp):
            selfService.freed(change)
            log.info("Booking cancelled by staff \(context.signedIn.username): \(namaCS) (\(telp))")
        case .notFound:
            return notFound(context)
        default:
            break
        }
        return .redirect(to: "/staff/bookings/\(id.value)")
    }

    // MARK: - POST /staff/bookings/{id_booking}/ubah

    /// Parse and CSRF → the booking → validate → `sb_reschedule_booking` by id without the cutoff;
    /// each refusal shows the booking's page with the move form as typed.
    func move(_ parameters: PathParameters, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(staff: request, context, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        guard let id: RecordID = parameters.get("id_booking"), let current = try read(id.value, context) else {
            return notFound(context)
        }
        var form = BookingForm(scheduleQuery: data)
        form.jam = data[BookingForm.Field.jam.rawValue] ?? ""
        func again(_ status: HTTPResponse.Status, errors: FieldErrors = [:], alert: String?) -> Response {
            page(current, context, status: status, alert: alert, moveForm: form, moveErrors: errors)
        }
        guard !current.cancelled else { return again(.unprocessableContent, alert: Copy.deskOfCancelled) }
        let studios = booking.studios.studios(context.database, including: form.studioID)
        guard studios.available else { return again(.serviceUnavailable, alert: Copy.changeDatabaseDown) }
        var errors = FieldErrors()
        var choice: BookingController.ScheduleChoice? = nil
        switch booking.scheduleChoice(form, studios: studios.list) {
        case .success(let valid): choice = valid
        case .failure(let failure): errors = failure.errors
        }
        // "Tampilkan jam kosong" without the script: the free starts of what is chosen, nothing changed.
        if data[BookingForm.showFreeStarts] != nil { return again(.ok, errors: errors, alert: nil) }
        let hour = BookingValidator.hour(form.jam.trimmed)
        if form.jam.trimmed.isEmpty {
            errors[.jam] = "Pilih jam mulai."
        } else if hour == nil {
            errors[.jam] = "Jam mulai tidak valid: pilih dari daftar jam yang kosong."
        }
        guard errors.isEmpty, let choice, let hour else { return again(.unprocessableContent, errors: errors, alert: Copy.invalid) }

        let change: SelfServiceStore.Change
        do throws(PostgresError) {
            change = try selfService.retryingConflicts { () throws(PostgresError) in
                try context.database.run { db throws(PostgresError) in
                    try SelfServiceStore.reschedule(
                        db, ref: nil, id: id.value, to: choice, hour: hour, now: calendar.localTimestamp(), cutoffHours: nil)
                }
            }
        } catch where error.code == .exclusionViolation {
            // A writer that bypassed the studio-day lock got there first: taken, nothing changed.
            change = SelfServiceStore.Change(outcome: .slotTaken, studio: nil, day: nil)
        } catch {
            return failed("Moving a booking by staff", error, context)
        }
        switch change.outcome {
        case .done(let namaCS, let telp):
            selfService.freed(change, movedTo: choice)
            log.info("Booking rescheduled by staff \(context.signedIn.username): \(namaCS) (\(telp))")
            return .redirect(to: "/staff/bookings/\(id.value)")
        case .unchanged:
            return .redirect(to: "/staff/bookings/\(id.value)")
        case .notFound:
            return notFound(context)
        case .cancelled:
            // Cancelled while the form was filled in.
            guard let now = try read(id.value, context) else { return notFound(context) }
            return page(now, context, status: .unprocessableContent, alert: Copy.deskOfCancelled)
        case .tooSoon, .tooLate:
            return again(.unprocessableContent, errors: [.jam: Copy.deskMoveToPast], alert: Copy.invalid)
        case .closed:
            return again(.unprocessableContent, errors: [.jam: Copy.closedField], alert: Copy.invalid)
        case .slotTaken:
            return again(.conflict, errors: [.jam: Copy.slotTakenField], alert: Copy.slotTaken)
        }
    }

    // MARK: - POST /staff/bookings/{id_booking}/kehadiran

    /// Whether the customer came (`hadir` = `ya` or `tidak`), once the session has begun.
    func attendance(_ parameters: PathParameters, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(staff: request, context, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        guard let id: RecordID = parameters.get("id_booking") else { return notFound(context) }
        let hadir: Bool? = switch data["hadir"] {
        case "ya": true
        case "tidak": false
        default: nil
        }
        guard let hadir else {
            guard let current = try read(id.value, context) else { return notFound(context) }
            return page(current, context, status: .unprocessableContent, alert: Copy.deskAttendanceInvalid)
        }
        let outcome = try context.database.run { db throws(PostgresError) in
            try StaffBookingStore.recordAttendance(db, id: id.value, hadir: hadir, now: calendar.localTimestamp())
        }
        switch outcome {
        case .recorded:
            log.info("Attendance recorded by staff \(context.signedIn.username): booking \(id.value), hadir \(hadir ? "ya" : "tidak")")
            return .redirect(to: "/staff/bookings/\(id.value)")
        case .notFound:
            return notFound(context)
        case .cancelled, .notBegun:
            guard let current = try read(id.value, context) else { return notFound(context) }
            return page(
                current, context, status: .unprocessableContent,
                alert: outcome == .cancelled ? Copy.deskAttendanceOfCancelled : Copy.deskAttendanceNotBegun)
        }
    }

    /// A cancel or move the database did not do: logged, and a page that says whether it may be done.
    func failed(_ what: String, _ error: PostgresError, _ context: RequestContext) -> Response {
        if error.code == .unexpectedAnswer {
            log.error("\(what): outcome unknown, it may be done", error)
            return views.staffMessage(.internalServerError, heading: "Hasil belum pasti", Copy.deskChangeOutcomeUnknown, context)
        }
        log.error("\(what) failed, nothing changed", error)
        let unavailable = error.isConnectionLoss || error.isTransient
        return views.staffMessage(
            unavailable ? .serviceUnavailable : .internalServerError, heading: "Booking tidak berubah",
            unavailable ? Copy.staffDatabaseDown : Copy.deskChangeFailed, context)
    }
}
