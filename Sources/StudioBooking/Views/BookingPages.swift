import Mustache

/// The public pages' view models (the booking form, a message), one per template; a booking's own
/// pages are in SelfServicePages.swift.

/// One input's value as typed and the message beside it.
struct FieldView {
    let value: String
    let error: String?
}

struct Choice: Hashable {
    let value: String
    let label: String
    let selected: Bool
}

struct BookingFormPage: Page {
    static let template = "booking_form"
    let alert: String?
    let csrfToken: String
    let nama, telp, email, alamat: FieldView
    let jenisKelamin: FieldView
    let genders: [Choice]
    /// A var: the kept form with free starts puts placeholders in (BookingController.choiceForm).
    var schedule: ScheduleFields
}

/// Studio, date, length and start: the part of the booking form the change of a booking's time
/// shares with it (the partial `booking_schedule`).
struct ScheduleFields {
    let studio: FieldView
    var tanggal: FieldView
    let durasi: FieldView
    /// The studios' `<option>`s, the chosen one selected (Views.studioOptions).
    let studioOptions: String
    let durations: [Choice]
    /// The start's field (JamField), rendered apart, so that a kept page can take it in whole.
    var jamField: String
    let minDate: String
    let maxDate: String
}

/// The start's field: the free starts and what to say about them (template `booking_jam_field`).
struct JamField: Page {
    static let template = "booking_jam_field"
    let jam: FieldView
    /// The free starts of the chosen studio, day and length; empty until all three are chosen.
    let slots: [Choice]
    /// Why there is nothing to choose yet, or nothing free.
    let slotsNote: String?
    /// The next day with a free start, when the chosen one has none.
    let nextFreeDay: Link?
}

struct Link {
    let url: String
    let label: String
}

struct MessagePage: Page {
    static let template = "message"
    let heading: String
    let message: String
}

extension BookingFormPage {
    /// The form as typed: every value kept, a message beside each bad field.
    /// `starts`: the free starts, when studio, day and length are chosen and could be read. `path`:
    /// the page the link to the next free day asks again (the desk's form has its own).
    init(
        _ form: BookingForm, errors: FieldErrors, alert: String?, token: String, studios: [BookingStore.Studio],
        calendar: BookingCalendar, views: Views, starts: [Int]? = nil, nextFreeDay: Day? = nil, path: String = "/booking"
    ) {
        self.init(
            alert: alert,
            csrfToken: token,
            nama: FieldView(value: form.nama, error: errors[.nama]),
            telp: FieldView(value: form.telp, error: errors[.telp]),
            email: FieldView(value: form.email, error: errors[.email]),
            alamat: FieldView(value: form.alamat, error: errors[.alamat]),
            jenisKelamin: FieldView(value: form.jenisKelamin, error: errors[.jenisKelamin]),
            genders: BookingValidator.genders.map { Choice(value: $0, label: $0, selected: $0 == form.jenisKelamin) },
            schedule: ScheduleFields(
                form, errors: errors, studios: studios, calendar: calendar, views: views, starts: starts,
                nextFreeDay: nextFreeDay, path: path))
    }
}

extension ScheduleFields {
    /// The choice as typed, a message beside each bad field, and a choice kept even when the list
    /// no longer has it (or never had it, with the database away). `starts`: the free starts, when
    /// studio, day and length are chosen and could be read. `path`: the page the link to the next
    /// free day asks again.
    init(
        _ form: BookingForm, errors: FieldErrors, studios: [BookingStore.Studio], calendar: BookingCalendar,
        views: Views, starts: [Int]?, nextFreeDay: Day?, path: String
    ) {
        let today = calendar.localNow().day
        var studioChoices = studios.map {
            Choice(value: String($0.id), label: $0.name, selected: String($0.id) == form.studioID)
        }
        if !form.studioID.isEmpty, !studioChoices.contains(where: \.selected) {
            studioChoices.append(Choice(value: form.studioID, label: "Studio \(form.studioID)", selected: true))
        }
        let chosenStudio = studios.first { String($0.id) == form.studioID.trimmed }
        let longest = chosenStudio?.durasiMaks ?? studios.map(\.durasiMaks).max() ?? 4
        let durasi = Self.durasiShown(form)
        var durationChoices = (1...max(1, longest)).map {
            Choice(value: String($0), label: "\($0) jam", selected: String($0) == durasi)
        }
        if !durationChoices.contains(where: \.selected) {
            durationChoices.append(Choice(value: form.durasi, label: form.durasi, selected: true))
        }
        self.init(
            studio: FieldView(value: form.studioID, error: errors[.studioID]),
            tanggal: FieldView(value: form.tanggal, error: errors[.tanggal]),
            durasi: FieldView(value: form.durasi, error: errors[.durasi]),
            studioOptions: views.studioOptions(studioChoices),
            durations: durationChoices,
            jamField: views.render(JamField(form, errors: errors, starts: starts, nextFreeDay: nextFreeDay, path: path)),
            minDate: today.iso,
            maxDate: today.adding(days: calendar.daysAhead).iso)
    }

    /// The length the form shows chosen: one hour until one is chosen.
    static func durasiShown(_ form: BookingForm) -> String {
        form.durasi.trimmed.isEmpty ? "1" : form.durasi.trimmed
    }
}

extension JamField {
    /// The start as typed (kept even when it is not free, or no longer), the free starts, and what
    /// to say when there are none yet or none at all. `path`: as ScheduleFields'.
    init(_ form: BookingForm, errors: FieldErrors, starts: [Int]?, nextFreeDay: Day?, path: String) {
        var slotChoices = (starts ?? []).map(StudioDay.label).map {
            Choice(value: $0, label: IndonesianDate.time($0), selected: $0 == form.jam)
        }
        if !form.jam.isEmpty, !slotChoices.contains(where: \.selected) {
            slotChoices.append(Choice(value: form.jam, label: IndonesianDate.time(form.jam), selected: true))
        }
        let durasi = ScheduleFields.durasiShown(form)
        let slotsNote: String? = switch starts {
        case nil: "Pilih studio, tanggal dan lama sesi dulu: jam yang masih kosong muncul di sini."
        case let starts? where starts.isEmpty: Copy.noFreeStart(Int(durasi) ?? 1)
        default: nil
        }
        let nextLink = nextFreeDay.map { day in
            Link(
                url: "\(path)?studio_id=\(form.studioID.trimmed.urlQueryEncoded)&tanggal_booking=\(day.iso)&durasi_jam=\(durasi.urlQueryEncoded)",
                label: IndonesianDate.day(day))
        }
        self.init(
            jam: FieldView(value: form.jam, error: errors[.jam]), slots: slotChoices, slotsNote: slotsNote, nextFreeDay: nextLink)
    }
}

// MARK: - Without reflection

// The booking form is the most requested page, with every studio and start a choice: looked up
// by name here rather than through swift-mustache's `Mirror`, which made a Mirror per lookup.
// ViewRenderTests renders every key of the template, so a name missed here cannot go unseen.

extension BookingFormPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "alert": alert
        case "csrfToken": csrfToken
        case "nama": nama
        case "telp": telp
        case "email": email
        case "alamat": alamat
        case "jenisKelamin": jenisKelamin
        case "genders": genders
        case "schedule": schedule
        default: nil
        }
    }
}

extension ScheduleFields: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "studio": studio
        case "tanggal": tanggal
        case "durasi": durasi
        case "studioOptions": studioOptions
        case "durations": durations
        case "jamField": jamField
        case "minDate": minDate
        case "maxDate": maxDate
        default: nil
        }
    }
}

extension JamField: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "jam": jam
        case "slots": slots
        case "slotsNote": slotsNote
        case "nextFreeDay": nextFreeDay
        default: nil
        }
    }
}

extension FieldView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "error": error
        default: nil
        }
    }
}

extension Choice: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

extension Link: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "url": url
        case "label": label
        default: nil
        }
    }
}
