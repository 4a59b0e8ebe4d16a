import HTTPMessages
import Postgres

/// A day's bookings for staff, by studio and slot (`/staff/bookings?tanggal=YYYY-MM-DD`).
struct StaffBookingsController: Sendable {
    let views: Views
    let calendar: BookingCalendar

    func addRoutes(to router: inout Router) {
        router.add(.get, "/staff/bookings", access: .staff, name: "Day's bookings") { request, context, _ throws(PostgresError) in
            try day(request, context)
        }
    }

    func day(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let asked = (request.queryFields["tanggal"] ?? "").trimmed
        guard let day = asked.isEmpty ? calendar.localNow().day : Day(iso: asked) else {
            return views.page(
                DayBookingsPage(
                    staff: StaffChrome(context), tanggal: asked, heading: asked, alert: "Tanggal harus berformat YYYY-MM-DD.",
                    previousURL: nil, nextURL: nil, todayURL: "/staff/bookings", studios: [], count: 0),
                status: .unprocessableContent)
        }
        let (rows, studios) = try context.database.run { db throws(PostgresError) in
            (try CustomerMasterStore.bookings(db, on: day, zone: calendar.timeZone.identifier), try ScheduleStore.hours(db, on: day))
        }
        return views.page(
            DayBookingsPage(
                staff: StaffChrome(context), tanggal: day.iso, heading: IndonesianDate.day(day), alert: nil,
                previousURL: "/staff/bookings?tanggal=\(day.adding(days: -1).iso)",
                nextURL: "/staff/bookings?tanggal=\(day.adding(days: 1).iso)",
                todayURL: "/staff/bookings",
                studios: StudioTimeline.day(rows, studios: studios),
                count: rows.filter { !$0.cancelled }.count))
    }
}
