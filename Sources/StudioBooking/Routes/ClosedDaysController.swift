import HTTPMessages
import Postgres

/// Closed days, for admins (`/staff/libur`): the days from today on with the bookings that fall on
/// them, adding one, opening one again.
struct ClosedDaysController: Sendable {
    let views: Views
    let log: EventLog
    let calendar: BookingCalendar
    let caches: ScheduleCaches

    func addRoutes(to router: inout Router) {
        router.add(.get, "/staff/libur", access: .admin, name: "Closed days") { _, context, _ throws(PostgresError) in
            try page(ClosedDayForm(), errors: [:], context)
        }
        router.add(.post, "/staff/libur", access: .admin, name: "Adding a closed day") { request, context, _ throws(PostgresError) in
            try add(request, context)
        }
        router.add(.post, "/staff/libur/{id}/hapus", access: .admin, name: "Removing a closed day") { request, context, parameters throws(PostgresError) in
            try remove(parameters, request, context)
        }
    }

    // MARK: - GET /staff/libur

    /// The page: 200 with an empty form, or 422 with the form as typed and a message beside each bad field.
    func page(
        _ form: ClosedDayForm, errors: [ClosedDayForm.Field: String], _ context: RequestContext,
        studios known: [ScheduleStore.Studio]? = nil
    ) throws(PostgresError) -> Response {
        let today = calendar.localNow().day
        let zone = calendar.timeZone.identifier
        let (studios, days, bookings) = try context.database.run { db throws(PostgresError) in
            let studios = if let known { known } else { try ScheduleStore.studios(db) }
            return (studios, try ScheduleStore.closedDays(db, from: today, timeZone: zone),
                    try ScheduleStore.bookingsOnClosedDays(db, from: today))
        }
        var choices = studios.map { Choice(value: String($0.id), label: $0.nama, selected: String($0.id) == form.studioID.trimmed) }
        if !form.studioID.trimmed.isEmpty, !choices.contains(where: \.selected) {
            choices.append(Choice(value: form.studioID, label: "Studio \(form.studioID)", selected: true))
        }
        return views.page(
            ClosedDaysPage(
                staff: StaffChrome(context), alert: errors.isEmpty ? nil : Copy.invalid,
                tanggal: FieldView(value: form.tanggal, error: errors[.tanggal]),
                studio: FieldView(value: form.studioID, error: errors[.studioID]),
                keterangan: FieldView(value: form.keterangan, error: errors[.keterangan]),
                studios: choices, minDate: today.iso,
                days: days.map { day in ClosedDayView(day, bookings: bookings.filter { $0.closedDayID == day.id }) }),
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    // MARK: - POST /staff/libur

    func add(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(staff: request, context, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let form = ClosedDayForm(data)
        let studios = try context.database.run { db throws(PostgresError) in try ScheduleStore.studios(db) }
        let day: ValidClosedDay
        switch form.validated(today: calendar.localNow().day, studios: studios.map(\.id)) {
        case .invalid(let errors): return try page(form, errors: errors, context, studios: studios)
        case .valid(let checked): day = checked
        }
        let added: Int?
        do throws(PostgresError) {
            added = try context.database.run { db throws(PostgresError) in
                try ScheduleStore.addClosedDay(db, tanggal: day.tanggal, studioID: day.studioID, keterangan: day.keterangan)
            }
        } catch where error.code == .foreignKeyViolation {
            // The studio was removed since the list above was read.
            return try page(form, errors: [.studioID: "Studio tidak ditemukan, pilih dari daftar."], context)
        }
        guard added != nil else {
            return try page(form, errors: [.tanggal: "Tanggal ini sudah menjadi hari libur studio itu."], context, studios: studios)
        }
        caches.scheduleChanged()
        let which = day.studioID.map { "studio \($0)" } ?? "every studio"
        log.info("Closed day added by staff \(context.signedIn.username): \(day.tanggal.iso), \(which)")
        return .redirect(to: "/staff/libur")
    }

    // MARK: - POST /staff/libur/{id}/hapus

    /// Opens the day again; a day already opened (the form sent twice) changes nothing.
    func remove(_ parameters: PathParameters, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        switch PostedForm(staff: request, context, views: views) {
        case .form: break
        case .refused(let response): return response
        }
        guard let id: RecordID = parameters.get("id") else {
            return views.staffMessage(.notFound, heading: "Hari libur tidak ditemukan", "Tidak ada hari libur dengan nomor ini.", context)
        }
        if let removed = try context.database.run({ db throws(PostgresError) in try ScheduleStore.removeClosedDay(db, id: id.value) }) {
            caches.scheduleChanged()
            let which = removed.studioID.map { "studio \($0)" } ?? "every studio"
            log.info("Closed day removed by staff \(context.signedIn.username): \(removed.tanggal.iso), \(which)")
        }
        return .redirect(to: "/staff/libur")
    }
}
