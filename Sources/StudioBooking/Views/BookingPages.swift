/// The public pages' view models (the booking form, its confirmation, a message), one per template.

/// One input's value as typed and the message beside it.
struct FieldView {
    let value: String
    let error: String?
}

struct Choice {
    let value: String
    let label: String
    let selected: Bool
}

struct BookingFormPage: Page {
    static let template = "booking_form"
    let alert: String?
    let csrfToken: String
    let nama, telp, email, alamat, tanggal: FieldView
    let jenisKelamin, studio, jam: FieldView
    let genders: [Choice]
    let studios: [Choice]
    let slots: [Choice]
    let minDate: String
    let maxDate: String
}

struct ConfirmationPage: Page {
    static let template = "booking_confirmation"
    let kodeCS, studio, tanggal, jam, nama, jenisKelamin, telp: String
    let email: String?
    let alamat: String
}

struct MessagePage: Page {
    static let template = "message"
    let heading: String
    let message: String
}

extension BookingFormPage {
    /// The form as typed: every value kept, a message beside each bad field, and a choice kept
    /// even when the list no longer has it (or never had it, with the database away).
    init(
        _ form: BookingForm, errors: FieldErrors, alert: String?, token: String, studios: [BookingStore.Studio],
        calendar: BookingCalendar
    ) {
        let today = calendar.localNow().day
        var studioChoices = studios.map {
            Choice(value: String($0.id), label: $0.name, selected: String($0.id) == form.studioID)
        }
        if !form.studioID.isEmpty, !studioChoices.contains(where: \.selected) {
            studioChoices.append(Choice(value: form.studioID, label: "Studio \(form.studioID)", selected: true))
        }
        var slotChoices = calendar.slots.map { Choice(value: $0, label: $0, selected: $0 == form.jam) }
        if !form.jam.isEmpty, !slotChoices.contains(where: \.selected) {
            slotChoices.append(Choice(value: form.jam, label: form.jam, selected: true))
        }
        self.init(
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
