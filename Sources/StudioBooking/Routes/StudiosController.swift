import HTTPMessages
import Postgres

/// The studios and their opening hours, for admins (`/staff/studios`, `/staff/studios/{id_studio}`).
struct StudiosController: Sendable {
    let views: Views
    let log: EventLog
    let caches: ScheduleCaches

    func addRoutes(to router: inout Router) {
        router.add(.get, "/staff/studios", access: .admin, name: "Studio list") { _, context, _ throws(PostgresError) in
            try list(context)
        }
        router.add(.post, "/staff/studios", access: .admin, name: "Adding a studio") { request, context, _ throws(PostgresError) in
            try add(request, context)
        }
        router.add(.get, "/staff/studios/{id_studio}", access: .admin, name: "Studio page") { _, context, parameters throws(PostgresError) in
            try withStudio(parameters, context) { studio throws(PostgresError) in
                render(studio, form: StudioForm(studio), errors: [:], context)
            }
        }
        router.add(.post, "/staff/studios/{id_studio}", access: .admin, name: "Editing a studio") { request, context, parameters throws(PostgresError) in
            try withStudio(parameters, context) { studio throws(PostgresError) in try edit(studio, request, context) }
        }
    }

    // MARK: - GET and POST /staff/studios

    func list(_ context: RequestContext, nama: FieldView = FieldView(value: "", error: nil)) throws(PostgresError) -> Response {
        let studios = try context.database.run { db throws(PostgresError) in try ScheduleStore.studios(db) }
        return views.page(
            StudiosPage(
                staff: StaffChrome(context), alert: nama.error == nil ? nil : Copy.invalid,
                studios: studios.map(StudioSummaryView.init), nama: nama),
            status: nama.error == nil ? .ok : .unprocessableContent)
    }

    func add(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(staff: request, context, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        // The add form is the edit form's name alone: the same rule, the columns' defaults for the rest.
        var form = StudioForm(data)
        (form.durasiMaks, form.aktif) = ("4", true)
        let studio: ValidStudio
        switch form.validated() {
        case .invalid(let errors): return try list(context, nama: FieldView(value: form.nama, error: errors[.nama]))
        case .valid(let checked): studio = checked
        }
        let id = try context.database.run { db throws(PostgresError) in try ScheduleStore.addStudio(db, nama: studio.nama) }
        caches.scheduleChanged()
        log.info("Studio added by staff \(context.signedIn.username): \(id) \(studio.nama)")
        return .redirect(to: "/staff/studios")
    }

    // MARK: - GET and POST /staff/studios/{id_studio}

    /// The studio the path names, or the page that says there is none.
    func withStudio(
        _ parameters: PathParameters, _ context: RequestContext,
        _ body: (ScheduleStore.Studio) throws(PostgresError) -> Response
    ) throws(PostgresError) -> Response {
        guard let id: RecordID = parameters.get("id_studio"),
            let studio = try context.database.run({ db throws(PostgresError) in try ScheduleStore.studio(db, id: id.value) })
        else {
            return views.staffMessage(.notFound, heading: "Studio tidak ditemukan", "Tidak ada studio dengan nomor ini.", context)
        }
        return try body(studio)
    }

    func edit(_ studio: ScheduleStore.Studio, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(staff: request, context, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let form = StudioForm(data)
        let valid: ValidStudio
        switch form.validated() {
        case .invalid(let errors): return render(studio, form: form, errors: errors, context)
        case .valid(let checked): valid = checked
        }
        guard try context.database.run({ db throws(PostgresError) in try ScheduleStore.updateStudio(db, id: studio.id, valid) }) else {
            return views.staffMessage(.notFound, heading: "Studio tidak ditemukan", "Tidak ada studio dengan nomor ini.", context)
        }
        caches.scheduleChanged()
        log.info("Studio edited by staff \(context.signedIn.username): \(studio.id) \(valid.nama)")
        return .redirect(to: "/staff/studios")
    }

    /// The form: 200 as saved, 422 with every value as typed and a message beside each bad field.
    func render(
        _ studio: ScheduleStore.Studio, form: StudioForm, errors: [StudioForm.Field: String], _ context: RequestContext
    ) -> Response {
        views.page(
            StudioEditPage(
                staff: StaffChrome(context), studio: studio, form: form, errors: errors,
                alert: errors.isEmpty ? nil : Copy.invalid),
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}

/// A row's serial id in a path (`/staff/studios/3`): digits only, 1 up to PostgreSQL's `integer`.
struct RecordID: PathParameter {
    let value: Int

    init?(pathSegment: Substring) {
        guard pathSegment.utf8.count <= 10, pathSegment.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(pathSegment), (1...Int(Int32.max)).contains(value)
        else { return nil }
        self.value = value
    }
}
