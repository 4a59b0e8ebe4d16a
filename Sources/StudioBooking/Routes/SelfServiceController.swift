import Foundation
import HTTPMessages
import HTTPTypes
import Postgres

/// A customer's own booking (docs/behaviour.md: Your booking): its page `/booking/{ref}`, its
/// calendar file, and cancel and change while the start is more than `cancelHours` away. Nothing
/// changes on a GET; every change is a POST with the page's CSRF token, decided by one SQL function
/// (`sb_cancel_booking`, `sb_reschedule_booking`) in one transaction. The ref is the only key: it
/// reaches no other booking.
final class SelfServiceController: Sendable {
    /// The booking form's studio list, free starts and rules, which the change of a time shares.
    let booking: BookingController
    let cancelHours: Int
    /// `62812…`, or nil: no WhatsApp link.
    let studioWhatsApp: String?

    var views: Views { booking.views }
    var log: EventLog { booking.log }
    var calendar: BookingCalendar { booking.calendar }

    init(booking: BookingController, config: AppConfig) {
        self.booking = booking
        cancelHours = config.cancelHours
        studioWhatsApp = config.studioWhatsApp
    }

    func addRoutes(to router: inout Router) {
        router.add(.get, "/booking/{ref}", name: "Booking page") { [self] _, context, parameters throws(PostgresError) in
            // A malformed ref gets the same 404 as an unknown one, without asking the database.
            switch parameters.get("ref", as: BookingAddress.self) {
            case .page(let ref)?: try show(ref, context)
            case .calendar(let ref)?: try calendarFile(ref, context)
            case nil: views.notFound()
            }
        }
        router.add(.post, "/booking/{ref}/batal", name: "Booking cancel") { [self] request, context, parameters throws(PostgresError) in
            guard let ref: BookingRef = parameters.get("ref") else { return views.notFound() }
            return try cancel(ref, request, context)
        }
        router.add(.get, "/booking/{ref}/ubah", name: "Booking change form") { [self] request, context, parameters throws(PostgresError) in
            guard let ref: BookingRef = parameters.get("ref") else { return views.notFound() }
            return try showChange(ref, request, context)
        }
        router.add(.get, "/booking/{ref}/jam", name: "Free times for a change") { [self] request, context, parameters throws(PostgresError) in
            guard let ref: BookingRef = parameters.get("ref") else { return views.notFound() }
            return try changeFreeStartsJSON(ref, request, context)
        }
        router.add(.post, "/booking/{ref}/ubah", name: "Booking change") { [self] request, context, parameters throws(PostgresError) in
            guard let ref: BookingRef = parameters.get("ref") else { return views.notFound() }
            return try change(ref, request, context)
        }
    }

    /// The booking, and whether it may still change, now.
    func read(_ ref: BookingRef, _ context: RequestContext) throws(PostgresError) -> SelfServiceStore.Booking? {
        try context.database.run { db throws(PostgresError) in
            try SelfServiceStore.booking(db, ref: ref.value, now: calendar.localTimestamp(), cutoffHours: cancelHours)
        }
    }

    /// The booking's page; a form token only when it carries the cancel form.
    func page(
        _ booking: SelfServiceStore.Booking, _ ref: BookingRef, _ context: RequestContext,
        status: HTTPResponse.Status = .ok, alert: String? = nil
    ) -> Response {
        views.page(
            BookingPage(
                booking, ref: ref.value, token: booking.changeable ? context.csrfToken() : "", alert: alert,
                cancelHours: cancelHours, studioWhatsApp: studioWhatsApp),
            status: status)
    }

    // MARK: - GET /booking/{ref}, /booking/{ref}.ics

    func show(_ ref: BookingRef, _ context: RequestContext) throws(PostgresError) -> Response {
        guard let booking = try read(ref, context) else { return views.notFound() }
        return page(booking, ref, context)
    }

    func calendarFile(_ ref: BookingRef, _ context: RequestContext) throws(PostgresError) -> Response {
        guard let booking = try read(ref, context) else { return views.notFound() }
        let minutes = TimeInterval((Int(booking.jam.suffix(2)) ?? 0) * 60)
        let file = CalendarFile(
            uid: "\(ref.value)@studio-booking", sequence: booking.versi, stamp: calendar.now(),
            start: calendar.instant(booking.tanggal, hour: booking.hour) + minutes,
            end: calendar.instant(booking.tanggal, hour: booking.hour + booking.durasi) + minutes,
            summary: "Sesi studio: \(booking.studio)",
            description: "Kode customer: \(booking.kodeCS)\nLama sesi: \(booking.durasi) jam\n"
                + "Status: \(booking.cancelled ? "Dibatalkan" : "Aktif")",
            cancelled: booking.cancelled)
        return Response(
            status: .ok,
            headerFields: [
                .contentType: "text/calendar; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"studio-booking.ics\"",
            ],
            body: file.bytes)
    }

    // MARK: - POST /booking/{ref}/batal

    func cancel(_ ref: BookingRef, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(request, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        switch context.verify(data) {
        case .valid: break
        case .unavailable: return views.message(.serviceUnavailable, heading: "Layanan sedang terganggu", Copy.cancelDatabaseDown)
        case .forged:
            // Nothing changed; the page again, with a fresh token, says so.
            guard let booking = try read(ref, context) else { return views.notFound() }
            return page(booking, ref, context, status: .forbidden, alert: Copy.csrfFailed)
        }
        let change: SelfServiceStore.Change
        do throws(PostgresError) {
            change = try retryingConflicts { () throws(PostgresError) in
                try context.database.run { db throws(PostgresError) in
                    try SelfServiceStore.cancel(db, ref: ref.value, now: calendar.localTimestamp(), cutoffHours: cancelHours)
                }
            }
        } catch where error.code == .unexpectedAnswer {
            log.error("Cancelling a booking: outcome unknown, it may be cancelled", error)
            return views.message(.internalServerError, heading: "Hasil belum pasti", Copy.changeOutcomeUnknown)
        } catch {
            log.error("Cancelling a booking failed, nothing changed", error)
            let unavailable = error.isConnectionLoss || error.isTransient
            return views.message(
                unavailable ? .serviceUnavailable : .internalServerError, heading: "Booking belum dibatalkan",
                unavailable ? Copy.cancelDatabaseDown : Copy.cancelFailed)
        }
        switch change.outcome {
        case .done(let namaCS, let telp):
            freed(change)
            log.info("Booking cancelled by customer: \(namaCS) (\(telp))")
            return .redirect(to: "/booking/\(ref.value)")
        case .unchanged:
            return .redirect(to: "/booking/\(ref.value)")
        case .notFound:
            return views.notFound()
        default:
            // Too late: the page again, which says why and how to reach the studio.
            guard let booking = try read(ref, context) else { return views.notFound() }
            return page(booking, ref, context, status: .unprocessableContent, alert: Copy.cancelTooLate)
        }
    }

    /// Drops the days a committed change freed or took from this responder's free-times cache at
    /// once, before the answer: the customer's next page here shows them as they are. The other
    /// responders hear of it from the database (sb_schedule_changed's NOTIFY), a moment later.
    func freed(_ change: SelfServiceStore.Change, movedTo choice: BookingController.ScheduleChoice? = nil) {
        if let studio = change.studio, let day = change.day {
            booking.freeTimes.changed(ScheduleAnnouncements.payload(studio: studio, day: day))
        }
        if let choice {
            booking.freeTimes.changed(ScheduleAnnouncements.payload(studio: choice.studio.id, day: choice.day))
        }
    }

    /// `body` again, up to three times in all, when PostgreSQL resolved a conflict between
    /// concurrent transactions by undoing this one (a deadlock or serialization failure).
    func retryingConflicts<T>(_ body: () throws(PostgresError) -> T) throws(PostgresError) -> T {
        var tries = 0
        while true {
            do throws(PostgresError) {
                return try body()
            } catch where error.isTransient && tries < 2 {
                tries += 1
            }
        }
    }
}
