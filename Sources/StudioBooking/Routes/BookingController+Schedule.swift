import Foundation
import HTTPMessages
import HTTPTypes
import Postgres

/// The free starts: on the form (`GET /booking?studio_id&tanggal_booking&durasi_jam`, and beside a
/// refused booking) and as JSON for the form's script (`GET /booking/jam`).
extension BookingController {
    /// A studio, day and length that may be asked about.
    struct ScheduleChoice {
        let studio: BookingStore.Studio
        let day: Day
        let durasi: Int
    }

    /// The choice in `form`, or a message for each of its three fields that is missing or wrong.
    func scheduleChoice(_ form: BookingForm, studios: [BookingStore.Studio]) -> Result<ScheduleChoice, ValidationFailure> {
        var errors = FieldErrors()
        let studio = Int(form.studioID.trimmed).flatMap { id in studios.first { $0.id == id } }
        if form.studioID.trimmed.isEmpty {
            errors[.studioID] = "Pilih studio."
        } else if studio == nil {
            errors[.studioID] = "Studio tidak ditemukan, pilih dari daftar."
        }
        let today = calendar.localNow().day
        let day = Day(iso: form.tanggal.trimmed)
        if form.tanggal.trimmed.isEmpty {
            errors[.tanggal] = "Pilih tanggal."
        } else if let day, day < today {
            errors[.tanggal] = "Tanggal sudah lewat, pilih hari ini atau sesudahnya."
        } else if let day, day.ordinal - today.ordinal > calendar.daysAhead {
            errors[.tanggal] = "Booking paling jauh \(calendar.daysAhead) hari dari hari ini."
        } else if day == nil {
            errors[.tanggal] = "Tanggal tidak valid, gunakan format YYYY-MM-DD."
        }
        let durasi = BookingValidator.durasi(form.durasi)
        if let durasi, let studio, durasi > studio.durasiMaks {
            errors[.durasi] = "Studio ini menerima sesi paling lama \(studio.durasiMaks) jam."
        } else if durasi == nil {
            errors[.durasi] = "Pilih lama sesi: 1 sampai \(BookingValidator.longestSession) jam."
        }
        guard errors.isEmpty, let studio, let day, let durasi else { return .failure(ValidationFailure(errors: errors)) }
        return .success(ScheduleChoice(studio: studio, day: day, durasi: durasi))
    }

    /// A booking being moved: on its own studio and day its hours count as free (sb_busy_hours
    /// leaves it out), so that it may move by an hour or grow.
    struct MovingBooking {
        let ref: String?
        let studio: Int
        let day: Day
        /// Staff name a booking by id (a legacy one has no ref).
        var id: Int? = nil
    }

    /// The starts at which the whole session is free, ascending, that begin more than `after`
    /// minutes from now (0: today, only those not yet begun). From `freeTimes` when it has the day;
    /// else one query, kept for the next ask. The day of a booking being moved (`moving`) is read
    /// without it, and not kept: it is this one booking's view.
    func freeStarts(
        _ database: Database, _ choice: ScheduleChoice, after: Int = 0, moving: MovingBooking? = nil
    ) throws(PostgresError) -> [Int] {
        let studioDay: StudioDay
        if let moving, moving.studio == choice.studio.id, moving.day == choice.day {
            studioDay = try database.run { db throws(PostgresError) in
                try AvailabilityStore.studioDay(db, studio: choice.studio.id, day: choice.day, except: moving.ref, id: moving.id)
            }
        } else {
            let key = FreeTimesCache.Key(studio: choice.studio.id, day: choice.day)
            let (cached, generation) = freeTimes.lookup(key)
            if let cached {
                studioDay = cached
            } else {
                studioDay = try database.run { db throws(PostgresError) in
                    try AvailabilityStore.studioDay(db, studio: choice.studio.id, day: choice.day)
                }
                freeTimes.store(studioDay, for: key, readAt: generation)
            }
        }
        let (today, minute) = calendar.localNow()
        // An hour has begun once its first minute has (BookingValidator refuses it likewise): the
        // first start offered is the first hour that begins after `after` minutes from now.
        let limit = (today.ordinal - choice.day.ordinal) * 1440 + minute + after
        return studioDay.freeStarts(hours: choice.durasi, from: limit < 0 ? 0 : limit / 60 + 1)
    }

    /// The first day after `choice.day`, within two weeks and the booking horizon, with a free start.
    func nextFreeDay(
        _ database: Database, after choice: ScheduleChoice, minutes: Int = 0, moving: MovingBooking? = nil
    ) throws(PostgresError) -> Day? {
        let last = min(14, calendar.daysAhead - (choice.day.ordinal - calendar.localNow().day.ordinal))
        guard last >= 1 else { return nil }
        for offset in 1...last {
            let next = ScheduleChoice(studio: choice.studio, day: choice.day.adding(days: offset), durasi: choice.durasi)
            if try !freeStarts(database, next, after: minutes, moving: moving).isEmpty { return next.day }
        }
        return nil
    }

    // MARK: - GET /booking/jam

    struct ErrorJSON: Encodable {
        let error: String
    }

    /// The free starts as JSON; `after` and `moving` as `freeStarts` (the change of a booking's time).
    func freeStartsJSON(
        _ request: Request, _ context: RequestContext, after: Int = 0, moving: MovingBooking? = nil
    ) -> Response {
        let form = BookingForm(scheduleQuery: request.queryFields)
        let studios = studios.studios(context.database, including: form.studioID)
        guard studios.available else { return .json(status: .serviceUnavailable, ErrorJSON(error: Copy.scheduleUnavailable)) }
        switch scheduleChoice(form, studios: studios.list) {
        case .failure(let failure):
            let message = [BookingForm.Field.studioID, .tanggal, .durasi].compactMap { failure.errors[$0] }.first!
            return .json(status: .unprocessableContent, ErrorJSON(error: message))
        case .success(let choice):
            do throws(PostgresError) {
                let starts = try freeStarts(context.database, choice, after: after, moving: moving)
                // Written out: every value is digits and dashes, and JSONEncoder cost more than the
                // rest of the request (the form's script asks at every change).
                let jam = starts.map { "\"\(StudioDay.label($0))\"" }.joined(separator: ",")
                return .json(
                    status: .ok,
                    """
                    {"durasi_jam":\(choice.durasi),"jam":[\(jam)],"studio_id":\(choice.studio.id),"tanggal_booking":"\(choice.day.iso)"}
                    """)
            } catch {
                log.error("Reading free times failed", error)
                return .json(status: .serviceUnavailable, ErrorJSON(error: Copy.scheduleUnavailable))
            }
        }
    }
}

extension Response {
    /// A JSON answer; the encoder's own failure cannot happen for these plain value types.
    static func json(status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return json(status: status, bytes: (try? encoder.encode(value)).map { Array($0) } ?? Array("{}".utf8))
    }

    /// A JSON answer written out by the caller.
    static func json(status: HTTPResponse.Status, _ text: String) -> Response {
        json(status: status, bytes: Array(text.utf8))
    }

    private static func json(status: HTTPResponse.Status, bytes: [UInt8]) -> Response {
        Response(
            status: status, headerFields: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: bytes)
    }
}
