/// The admin pages of the schedule (docs/behaviour.md: The staff area): studios with their hours,
/// one studio's form, closed days. Short lists: every value is found through a `Mirror`.

/// The studio list, with the form that adds one.
struct StudiosPage: Page {
    static let template = "staff_studios"
    let staff: StaffChrome
    let alert: String?
    let studios: [StudioSummaryView]
    /// The new studio's name, as typed.
    let nama: FieldView
}

/// A weekday's hours in the list of studios: `Sen`, `09.00–21.00` or `Tutup`.
struct WeekdayHours {
    let hari, jam: String
}

/// One studio in the list: its state and its hours per weekday.
struct StudioSummaryView {
    let id, nama, editURL, status, durasiMaks: String
    let aktif: Bool
    /// One per ISO weekday, Senin first.
    let hours: [WeekdayHours]
}

extension StudioSummaryView {
    init(_ studio: ScheduleStore.Studio) {
        id = String(studio.id)
        nama = studio.nama
        editURL = "/staff/studios/\(studio.id)"
        aktif = studio.aktif
        status = studio.aktif ? "Aktif" : "Tidak aktif"
        durasiMaks = "\(studio.durasiMaks) jam"
        hours = zip(IndonesianDate.weekdays, zip(studio.buka, studio.tutup)).map { hari, hours in
            guard let open = hours.0, let close = hours.1 else { return WeekdayHours(hari: hari, jam: "Tutup") }
            return WeekdayHours(hari: hari, jam: "\(IndonesianDate.hour(open))–\(IndonesianDate.hour(close))")
        }
    }
}

/// One studio's form: every value as typed, a message beside each field that broke a rule.
struct StudioEditPage: Page {
    static let template = "staff_studio"
    let staff: StaffChrome
    let alert: String?
    /// The studio's name as saved, for the heading.
    let heading: String
    let actionURL: String
    let nama: FieldView
    let aktif: Bool
    let durasiMaks: FieldView
    let days: [WeekdayFields]
}

extension StudioEditPage {
    init(staff: StaffChrome, studio: ScheduleStore.Studio, form: StudioForm, errors: [StudioForm.Field: String], alert: String?) {
        self.staff = staff
        self.alert = alert
        heading = studio.nama
        actionURL = "/staff/studios/\(studio.id)"
        nama = FieldView(value: form.nama, error: errors[.nama])
        aktif = form.aktif
        durasiMaks = FieldView(value: form.durasiMaks, error: errors[.durasiMaks])
        days = (1...7).map { weekday in
            WeekdayFields(
                weekday: weekday, buka: FieldView(value: form.buka[weekday - 1], error: errors[.buka(weekday)]),
                tutup: FieldView(value: form.tutup[weekday - 1], error: errors[.tutup(weekday)]))
        }
    }
}

/// One weekday's opening and closing hour: two choices, `—` (closed) or on the hour.
struct WeekdayFields {
    let hari: String
    let bukaName, tutupName: String
    let buka, tutup: FieldView
    let bukaChoices, tutupChoices: [Choice]
}

extension WeekdayFields {
    init(weekday: Int, buka: FieldView, tutup: FieldView) {
        hari = StudioForm.weekdays[weekday - 1]
        bukaName = StudioForm.Field.buka(weekday).name
        tutupName = StudioForm.Field.tutup(weekday).name
        self.buka = buka
        self.tutup = tutup
        bukaChoices = Self.choices(0...23, chosen: buka.value)
        tutupChoices = Self.choices(1...24, chosen: tutup.value)
    }

    /// The hours offered, with a value typed that is not one of them kept (and chosen) at the end.
    static func choices(_ hours: ClosedRange<Int>, chosen: String) -> [Choice] {
        var choices = hours.map(StudioForm.label).map { Choice(value: $0, label: IndonesianDate.time($0), selected: $0 == chosen) }
        if !chosen.isEmpty, !choices.contains(where: \.selected) {
            choices.append(Choice(value: chosen, label: chosen, selected: true))
        }
        return choices
    }
}

/// The closed days from today on, each with the bookings that fall on it, and the form that adds one.
struct ClosedDaysPage: Page {
    static let template = "staff_libur"
    let staff: StaffChrome
    let alert: String?
    let tanggal, studio, keterangan: FieldView
    /// Every studio, to close one; the form's first choice (every studio) is the template's.
    let studios: [Choice]
    let minDate: String
    let days: [ClosedDayView]
}

struct ClosedDayView {
    let tanggal, studio, keterangan, dibuatPada, removeURL: String
    let bookings: [ClosedDayBookingView]
}

extension ClosedDayView {
    init(_ day: ScheduleStore.ClosedDay, bookings: [ScheduleStore.BookingOnClosedDay]) {
        tanggal = IndonesianDate.day(day.tanggal)
        studio = day.studio ?? "Semua studio"
        keterangan = Optional(day.keterangan).shown
        dibuatPada = IndonesianDate.dateTime(day.dibuatPada)
        removeURL = "/staff/libur/\(day.id)/hapus"
        self.bookings = bookings.map(ClosedDayBookingView.init)
    }
}

struct ClosedDayBookingView {
    let studio, jam, durasi, nama, telp, kodeCS: String
    let customerURL: String?
}

extension ClosedDayBookingView {
    init(_ booking: ScheduleStore.BookingOnClosedDay) {
        studio = booking.studio
        jam = IndonesianDate.time(booking.jam)
        durasi = "\(booking.durasi) jam"
        nama = booking.nama
        telp = booking.telp
        kodeCS = booking.kodeCS.shown
        customerURL = booking.kodeCS.map { "/staff/customers/\($0.urlQueryEncoded)" }
    }
}
