import FastCGI
import Foundation
import Postgres

extension AppResponder {
    // MARK: - GET /booking

    func showForm(_ request: Request) -> Response {
        let visitor = Visitor(request)
        let studios = studioList()
        if studios.available, let guardKey = csrfGuard() {
            let blank = blankForm(studios: studios.list)
            return .html(
                status: 200, blank.page(token: guardKey.token(for: visitor.id)),
                headers: visitor.setCookie.map { [("Set-Cookie", $0)] } ?? [])
        }
        return renderForm(
            status: studios.available ? 200 : 503, BookingForm(), errors: [:],
            alert: studios.available ? nil : Copy.databaseDown, visitor: visitor, studios: studios.list)
    }

    // MARK: - POST /booking

    func submitBooking(_ request: Request) -> Response {
        let data: FormData
        switch PostedForm(request, refuse: message) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let form = BookingForm(data)
        let visitor = Visitor(request)
        // A field people cannot see: whoever fills it in is a bot. Refused without a word.
        if !(data[BookingForm.honeypot] ?? "").isEmpty {
            app.log.info("Booking refused: the hidden honeypot field was filled in")
            return .redirect(to: "/booking")
        }

        let studios = studioList(including: form.studioID)
        // No key (the database could not be asked for it) or no studio list: an outage, not a
        // forged form, whatever the token says.
        guard let guardKey = csrfGuard(), studios.available else {
            return renderForm(status: 503, form, errors: [:], alert: Copy.databaseDown, visitor: visitor, studios: studios.list)
        }
        guard !visitor.isNew, guardKey.isValid(token: data["csrf_token"] ?? "", for: visitor.id) else {
            return renderForm(status: 403, form, errors: [:], alert: Copy.csrfFailed, visitor: visitor, studios: studios.list)
        }

        let booking: ValidBooking
        switch app.validator.validate(form, studioIDs: Set(studios.list.map(\.id))) {
        case .success(let valid): booking = valid
        case .failure(let failure):
            return renderForm(status: 422, form, errors: failure.errors, alert: Copy.invalid, visitor: visitor, studios: studios.list)
        }

        let ref = RandomID.make()
        let answer = app.batcher.submit((booking, ref))
        switch answer {
        case .success(.booked(let outcome)):
            app.log.info(
                outcome.customerCreated
                    ? "New customer auto-created from booking: \(outcome.namaCS) (\(outcome.telp))"
                    : "Existing customer booking date updated: \(outcome.namaCS) (\(outcome.telp))")
            return .redirect(to: "/booking/\(ref)")
        case .success(.slotTaken):
            return renderForm(
                status: 409, form, errors: [.jam: Copy.slotTakenField], alert: Copy.slotTaken, visitor: visitor,
                studios: studios.list)
        case .success(.tooManyActive):
            return renderForm(
                status: 422, form, errors: [.telp: Copy.tooManyActive(app.config.maxActiveBookingsPerPhone)],
                alert: Copy.invalid, visitor: visitor, studios: studios.list)
        case .failure(let error) where error.code == .unexpectedAnswer:
            // The database ran the batch and answered something this version cannot read (a function
            // from another version?): the booking may be saved. Say so rather than invite a resend.
            app.log.error("Booking outcome unknown, it may be saved: \(error.code) \(error.message)")
            return renderForm(
                status: 500, form, errors: [:], alert: Copy.outcomeUnknown, visitor: visitor, studios: studios.list)
        case .failure(let error):
            app.log.error("Booking failed, nothing saved: \(error.code) \(error.message)")
            let unavailable = error.isConnectionLoss || error.isTransient
            return renderForm(
                status: unavailable ? 503 : 500, form, errors: [:],
                alert: unavailable ? Copy.databaseDown : Copy.bookingFailed, visitor: visitor, studios: studios.list)
        }
    }

    // MARK: - GET /booking/{ref}

    func showConfirmation(ref: String) -> Response {
        // A malformed ref gets the same 404 as an unknown one, without asking the database.
        guard RandomID.isWellFormed(ref) else { return notFound() }
        do {
            guard let booking = try database.run({ db throws(PostgresError) in try BookingStore.confirmation(db, ref: ref) })
            else { return notFound() }
            return .html(
                status: 200,
                app.views.render(
                    ConfirmationPage(
                        kodeCS: booking.kodeCS, studio: booking.studio, tanggal: booking.tanggal, jam: booking.jam,
                        nama: booking.nama, jenisKelamin: booking.jenisKelamin, telp: booking.telp,
                        email: booking.email, alamat: booking.alamat)))
        } catch {
            app.log.error("Confirmation page failed: \(error.code) \(error.message)")
            return message(status: 503, heading: "Layanan sedang terganggu", Copy.databaseDown)
        }
    }

    // MARK: - Helpers

    /// The studios, from the cache while it is fresh; the stale list when the database is away.
    /// A studio the cache does not know yet (just added by staff) sends it back to the database:
    /// one small query, and only for a booking that names a studio it has not seen.
    func studioList(including wanted: String? = nil) -> (list: [BookingStore.Studio], available: Bool) {
        let cached = app.studioCache.withLock { $0 }
        let unknown = wanted.flatMap { Int($0) }.map { id in !cached.studios.contains { $0.id == id } } ?? false
        if cached.isFresh && !unknown { return (cached.studios, true) }
        do {
            let studios = try database.run { db throws(PostgresError) in try BookingStore.studios(db) }
            app.studioCache.withLock { $0 = StudioCache(studios: studios, readAt: Date()) }
            return (studios, true)
        } catch {
            app.log.error("Reading studios failed: \(error.code) \(error.message)")
            return (cached.studios, false)
        }
    }

    /// The CSRF guard, once this process has read the shared key; nil while it cannot.
    func csrfGuard() -> CSRFGuard? {
        if let known = app.csrf.withLock({ $0 }) { return known }
        try? database.run { db throws(PostgresError) in try app.loadCSRFKey(db) }
        return app.csrf.withLock { $0 }
    }

    /// The empty form for these studios and today, rendered at most once a day or studio change.
    func blankForm(studios: [BookingStore.Studio]) -> BlankForm {
        let today = app.validator.calendar.localNow().day
        if let cached = app.blankForm.withLock({ $0 }), cached.day == today, cached.studios == studios {
            return cached
        }
        let rendered = formPage(BookingForm(), errors: [:], alert: nil, token: BlankForm.placeholder, studios: studios)
        // The template is ours and holds the token once; anything else is a broken template.
        let blank = BlankForm(studios: studios, day: today, rendered: app.views.render(rendered))!
        app.blankForm.withLock { $0 = blank }
        return blank
    }

    func renderForm(
        status: Int, _ form: BookingForm, errors: FieldErrors, alert: String?, visitor: Visitor,
        studios: [BookingStore.Studio]
    ) -> Response {
        let page = formPage(
            form, errors: errors, alert: alert, token: csrfGuard()?.token(for: visitor.id) ?? "", studios: studios)
        return .html(status: status, app.views.render(page), headers: visitor.setCookie.map { [("Set-Cookie", $0)] } ?? [])
    }

    /// The form's view model: every value as typed, a message beside each bad field.
    func formPage(
        _ form: BookingForm, errors: FieldErrors, alert: String?, token: String, studios: [BookingStore.Studio]
    ) -> BookingFormPage {
        let calendar = app.validator.calendar
        let today = calendar.localNow().day
        var studioChoices = studios.map {
            Choice(value: String($0.id), label: $0.name, selected: String($0.id) == form.studioID)
        }
        // Keep a choice the list no longer has (or never had, with the database away).
        if !form.studioID.isEmpty, !studioChoices.contains(where: \.selected) {
            studioChoices.append(Choice(value: form.studioID, label: "Studio \(form.studioID)", selected: true))
        }
        var slotChoices = calendar.slots.map { Choice(value: $0, label: $0, selected: $0 == form.jam) }
        if !form.jam.isEmpty, !slotChoices.contains(where: \.selected) {
            slotChoices.append(Choice(value: form.jam, label: form.jam, selected: true))
        }
        return BookingFormPage(
            alert: alert,
            csrfToken: token,
            nama: FieldView(value: form.nama, error: errors[.nama]),
            telp: FieldView(value: form.telp, error: errors[.telp]),
            email: FieldView(value: form.email, error: errors[.email]),
            alamat: FieldView(value: form.alamat, error: errors[.alamat]),
            tanggal: FieldView(value: form.tanggal, error: errors[.tanggal]),
            jenisKelamin: FieldView(value: form.jenisKelamin, error: errors[.jenisKelamin]),
            studio: FieldView(value: form.studioID, error: errors[.studioID]),
            jam: FieldView(value: form.jam, error: errors[.jam]),
            genders: BookingValidator.genders.map { Choice(value: $0, label: $0, selected: $0 == form.jenisKelamin) },
            studios: studioChoices,
            slots: slotChoices,
            minDate: today.iso,
            maxDate: today.adding(days: calendar.daysAhead).iso)
    }
}

/// Indonesian copy shared by several answers.
enum Copy {
    static let invalid = "Beberapa isian perlu diperbaiki. Lihat pesan di bawah setiap kolom."
    static let csrfFailed = "Formulir sudah kedaluwarsa atau tidak berasal dari halaman ini. Periksa isian Anda lalu kirim ulang."
    static let slotTaken = "Maaf, slot studio pada tanggal dan jam tersebut sudah dipesan. Pilih jam atau tanggal lain."
    static let slotTakenField = "Slot ini sudah dipesan."
    static func tooManyActive(_ limit: Int) -> String {
        "Nomor telepon ini sudah punya \(limit) booking aktif. Untuk booking lebih banyak, hubungi studio."
    }
    static let databaseDown = "Layanan sedang terganggu, booking belum disimpan. Isian Anda masih ada: silakan coba kirim lagi sebentar lagi."
    static let outcomeUnknown = "Booking Anda mungkin sudah tersimpan, tetapi hasilnya tidak dapat dipastikan. Jangan kirim ulang dulu: hubungi studio untuk memastikannya."
    static let bookingFailed = "Booking gagal disimpan dan tidak ada data yang berubah. Isian Anda masih ada: silakan coba lagi."
}
