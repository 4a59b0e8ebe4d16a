import HTTPMessages
import Postgres

/// An admin's `POST /staff/bookings/{id_booking}/pesan/{message_id}/kirim`, which sends a failed
/// message again (the staff booking page lists the messages: StaffDeskController, BookingMessagesView).
struct BookingMessagesController: Sendable {
    let views: Views
    let log: EventLog

    func addRoutes(to router: inout Router) {
        router.add(.post, "/staff/bookings/{id_booking}/pesan/{message_id}/kirim", access: .admin, name: "Sending a message again") {
            request, context, parameters throws(PostgresError) in
            try resend(parameters, request, context)
        }
    }

    // MARK: - POST /staff/bookings/{id_booking}/pesan/{message_id}/kirim

    /// A failed message due again at once → 303 to the booking; one not failed (sent twice, or sent
    /// meanwhile): 303, nothing changes; another booking's or none: 404.
    func resend(_ parameters: PathParameters, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        switch PostedForm(staff: request, context, views: views) {
        case .form: break
        case .refused(let response): return response
        }
        guard let booking: RecordID = parameters.get("id_booking"), let message: RecordID = parameters.get("message_id") else {
            return notFound(context)
        }
        let outcome = try context.database.run { db throws(PostgresError) in
            try MessageStore.resend(db, booking: booking.value, message: message.value)
        }
        switch outcome {
        case .notFound: return notFound(context)
        case .notFailed: break
        case .queued: log.info("Message \(message.value) sent again by staff \(context.signedIn.username)")
        }
        return .redirect(to: "/staff/bookings/\(booking.value)")
    }

    private func notFound(_ context: RequestContext) -> Response {
        views.staffMessage(.notFound, heading: "Pesan tidak ditemukan", "Booking ini tidak punya pesan dengan nomor itu.", context)
    }
}
