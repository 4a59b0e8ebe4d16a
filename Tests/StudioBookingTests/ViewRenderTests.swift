import Foundation
import Postgres
import Testing
import TestSupport
@testable import StudioBooking

/// Every template rendered through the real `Views` with a view model whose every value is a marker
/// of its own (`‹…›`, which no URL encoding leaves intact): each `{{name}}` of the template must
/// name a field of the view model and print that field's marker. A field renamed on one side only
/// would otherwise render blank without a sound.
///
/// To add a page or rename a view model, change `fillings` only: one or more filled view models per
/// template, enough of them that every tag is reached (an inverted section needs a filling where
/// its value is empty).
@Suite struct ViewRenderTests {
    static let templates = TestEnvironment.root + "/templates"

    static var staff: StaffChrome { StaffChrome(username: "‹staff.username›", csrfToken: "‹staff.csrfToken›", isAdmin: true) }

    static func field(_ name: String, error: Bool = true) -> FieldView {
        FieldView(value: "‹\(name).value›", error: error ? "‹\(name).error›" : nil)
    }

    static func choice(_ name: String) -> Choice {
        Choice(value: "‹\(name).value›", label: "‹\(name).label›", selected: true)
    }

    static var fillings: [any Page] { [
        // The staff booking page's messages section, alone (its page includes it as a partial).
        BookingMessagesSection(
            staff: staff,
            pesan: BookingMessagesView(items: [
                BookingMessagesView.Row(
                    kejadian: "‹kejadian›", saluran: "‹saluran›", status: "‹status›", state: "‹state›", percobaan: 7305,
                    galat: "‹galat›", dibuat: "‹dibuat›", terkirim: "‹terkirim›", resendURL: "‹resendURL›"),
            ])),
        BookingFormPage(
            alert: "‹alert›", csrfToken: "‹csrfToken›", nama: field("nama"), telp: field("telp"), email: field("email"),
            alamat: field("alamat"), jenisKelamin: field("jenisKelamin"), genders: [choice("genders")],
            schedule: schedule),
        ChangePage(
            alert: "‹alert›", csrfToken: "‹csrfToken›", current: "‹current›", changeURL: "‹changeURL›",
            bookingURL: "‹bookingURL›", freeStartsURL: "‹freeStartsURL›", schedule: schedule),
        bookingPage(cancelled: false),
        // Cancelled: the other lead, and the status marked so.
        bookingPage(cancelled: true),
        MessagePage(heading: "‹heading›", message: "‹message›"),
        StudioOptions(studios: [choice("studios")]),
        JamField(
            jam: field("jam"), slots: [choice("slots")], slotsNote: "‹slotsNote›",
            nextFreeDay: Link(url: "‹nextFreeDay.url›", label: "‹nextFreeDay.label›")),
        StaffLoginPage(alert: "‹alert›", username: "‹username›", csrfToken: "‹csrfToken›"),
        CustomerListPage(
            staff: staff, q: "‹q›", alert: nil, customers: [customer("c1")], nextURL: "‹nextURL›", firstURL: "‹firstURL›",
            csvURL: "‹csvURL›"),
        // Nothing searched and no customer yet: the empty state.
        CustomerListPage(staff: staff, q: "", alert: nil, customers: [], nextURL: nil, firstURL: nil, csvURL: "‹csvURL›"),
        // No customer found: the message that repeats the search.
        CustomerListPage(staff: staff, q: "‹q›", alert: nil, customers: [], nextURL: nil, firstURL: nil, csvURL: "‹csvURL›"),
        // A search or page address that cannot be asked for: the alert instead of the list.
        CustomerListPage(staff: staff, q: "‹q›", alert: "‹alert›", customers: [], nextURL: nil, firstURL: nil, csvURL: "‹csvURL›"),
        CustomerPage(
            staff: staff, customer: customer("c1"), bookings: [booking("b1", ref: true), booking("b2", ref: false)],
            capped: 7301, changes: changes(erased: false)),
        // Erased, with no history: the note instead of the forms and the table.
        CustomerPage(staff: staff, customer: customer("c1"), bookings: [], capped: nil, changes: changes(erased: true)),
        // Bookings by staff: the desk's form (with customers found) and a booking's page, active and
        // begun (the attendance form, a message), and cancelled (no move form, no messages).
        StaffNewBookingPage(
            staff: staff,
            form: BookingFormPage(
                alert: "‹alert›", csrfToken: "‹csrfToken›", nama: field("nama"), telp: field("telp"), email: field("email"),
                alamat: field("alamat"), jenisKelamin: field("jenisKelamin"), genders: [choice("genders")],
                schedule: schedule),
            cari: "‹cari›",
            found: [DeskCustomerView(kodeCS: "‹f1.kodeCS›", nama: "‹f1.nama›", telp: "‹f1.telp›", fillURL: "‹f1.fillURL›")],
            searched: true),
        staffBookingPage(cancelled: false),
        staffBookingPage(cancelled: true),
        DayBookingsPage(
            staff: staff, tanggal: "‹tanggal›", heading: "‹heading›", alert: nil, previousURL: "‹previousURL›",
            nextURL: "‹nextURL›", todayURL: "‹todayURL›",
            studios: [
                StudioTimeline(
                    name: "‹studio.name›", note: "‹studio.note›",
                    items: [
                        item("i1", session: session("b1", kode: true), doubleBooked: true),
                        item("i2", session: session("b2", kode: false), doubleBooked: false),
                        item("i3", session: nil, doubleBooked: false),
                    ],
                    cancelled: [
                        item("i4", session: session("b3", kode: true), doubleBooked: false),
                        item("i5", session: session("b4", kode: false), doubleBooked: false),
                    ])
            ],
            count: 7302),
        // A date that does not exist: the alert instead of the count.
        DayBookingsPage(
            staff: staff, tanggal: "‹tanggal›", heading: "‹heading›", alert: "‹alert›", previousURL: nil, nextURL: nil,
            todayURL: "‹todayURL›", studios: [], count: 0),
        StaffMessagePage(staff: staff, heading: "‹heading›", message: "‹message›"),
        StudiosPage(
            staff: staff, alert: "‹alert›",
            studios: [
                StudioSummaryView(
                    id: "‹s1.id›", nama: "‹s1.nama›", editURL: "‹s1.editURL›", status: "‹s1.status›",
                    durasiMaks: "‹s1.durasiMaks›", aktif: false, hours: (1...7).map { WeekdayHours(hari: "‹s1.hari\($0)›", jam: "‹s1.hours\($0)›") })
            ],
            nama: field("nama")),
        StudioEditPage(
            staff: staff, alert: "‹alert›", heading: "‹heading›", actionURL: "‹actionURL›", nama: field("nama"),
            aktif: true, durasiMaks: field("durasiMaks"),
            days: [
                WeekdayFields(
                    hari: "‹d1.hari›", bukaName: "‹d1.bukaName›", tutupName: "‹d1.tutupName›", buka: field("d1.buka"),
                    tutup: field("d1.tutup"), bukaChoices: [choice("d1.bukaChoices")], tutupChoices: [choice("d1.tutupChoices")])
            ]),
        ClosedDaysPage(
            staff: staff, alert: "‹alert›", tanggal: field("tanggal"), studio: field("studio"), keterangan: field("keterangan"),
            studios: [choice("studios")], minDate: "‹minDate›",
            days: [
                ClosedDayView(
                    tanggal: "‹l1.tanggal›", studio: "‹l1.studio›", keterangan: "‹l1.keterangan›",
                    dibuatPada: "‹l1.dibuatPada›", removeURL: "‹l1.removeURL›",
                    bookings: [closedDayBooking("lb1", customer: true), closedDayBooking("lb2", customer: false)]),
                // A closed day without bookings: the note that says so.
                ClosedDayView(
                    tanggal: "‹l2.tanggal›", studio: "‹l2.studio›", keterangan: "‹l2.keterangan›",
                    dibuatPada: "‹l2.dibuatPada›", removeURL: "‹l2.removeURL›", bookings: []),
            ]),
        // The accounts page: a refused change (its messages, inactive) and an account as saved.
        StaffAccountsPage(
            staff: staff, alert: "‹alert›", adding: accountForm("adding", errors: true, aktif: true),
            accounts: [accountRow("r1", errors: true, aktif: false), accountRow("r2", errors: false, aktif: true)]),
    ] }

    static func changes(erased: Bool) -> CustomerChangesView {
        CustomerChangesView(
            editURL: "‹editURL›", mergeURL: "‹mergeURL›", eraseURL: "‹eraseURL›", dataURL: "‹dataURL›", isAdmin: true,
            erased: erased, alert: "‹changes.alert›", nama: field("cs.nama"), jenisKelamin: field("cs.jenisKelamin"),
            telp: field("cs.telp"), email: field("cs.email"), alamat: field("cs.alamat"), versi: "‹versi›",
            genders: [choice("genders")],
            holder: .init(kodeCS: "‹holder.kodeCS›", url: "‹holder.url›", field: "‹holder.field›"),
            ke: field("ke"), konfirmasi: field("konfirmasi"),
            history: erased ? [] : [
                ChangeView(kolom: "‹h1.kolom›", lama: "‹h1.lama›", baru: "‹h1.baru›", pada: "‹h1.pada›", oleh: "‹h1.oleh›", olehURL: "‹h1.olehURL›"),
                ChangeView(kolom: "‹h2.kolom›", lama: "‹h2.lama›", baru: "‹h2.baru›", pada: "‹h2.pada›", oleh: "‹h2.oleh›", olehURL: nil),
            ],
            moreHistory: erased ? nil : 7305)
    }

    static func accountForm(_ tag: String, errors: Bool, aktif: Bool) -> AccountFormView {
        AccountFormView(
            username: field("\(tag).username", error: errors), passwordError: errors ? "‹\(tag).passwordError›" : nil,
            peranError: errors ? "‹\(tag).peranError›" : nil, roles: [choice("\(tag).roles")], aktif: aktif)
    }

    static func accountRow(_ tag: String, errors: Bool, aktif: Bool) -> AccountRowView {
        AccountRowView(
            username: "‹\(tag).username›", peran: "‹\(tag).peran›", status: "‹\(tag).status›", createdAt: "‹\(tag).createdAt›",
            actionURL: "‹\(tag).actionURL›", form: accountForm("\(tag).form", errors: errors, aktif: aktif), refused: errors)
    }

    static func session(_ tag: String, kode: Bool) -> SessionView {
        SessionView(
            nama: "‹\(tag).nama›", telp: "‹\(tag).telp›", kodeCS: "‹\(tag).kodeCS›", durasi: "‹\(tag).durasi›",
            customerURL: kode ? "‹\(tag).customerURL›" : nil, bookingURL: "‹\(tag).bookingURL›")
    }

    static func item(_ tag: String, session: SessionView?, doubleBooked: Bool) -> TimelineItem {
        TimelineItem(
            start: 0, end: 60, waktu: "‹\(tag).waktu›", spanClass: "‹\(tag).spanClass›", session: session,
            doubleBooked: doubleBooked)
    }

    static func closedDayBooking(_ tag: String, customer: Bool) -> ClosedDayBookingView {
        ClosedDayBookingView(
            studio: "‹\(tag).studio›", jam: "‹\(tag).jam›", durasi: "‹\(tag).durasi›", nama: "‹\(tag).nama›",
            telp: "‹\(tag).telp›", kodeCS: "‹\(tag).kodeCS›", customerURL: customer ? "‹\(tag).customerURL›" : nil)
    }

    static var schedule: ScheduleFields {
        ScheduleFields(
            studio: field("studio"), tanggal: field("tanggal"), durasi: field("durasi"), studioOptions: "‹studioOptions›",
            durations: [choice("durations")], jamField: "‹jamField›", minDate: "‹minDate›", maxDate: "‹maxDate›")
    }

    static func bookingPage(cancelled: Bool) -> BookingPage {
        BookingPage(
            heading: "‹heading›", alert: "‹alert›", csrfToken: "‹csrfToken›", status: "‹status›", cancelled: cancelled,
            kodeCS: "‹kodeCS›", studio: "‹studio›", tanggal: "‹tanggal›", jam: "‹jam›", selesai: "‹selesai›",
            durasi: "‹durasi›", nama: "‹nama›", jenisKelamin: "‹jenisKelamin›", telp: "‹telp›", email: "‹email›",
            alamat: "‹alamat›", calendarURL: "‹calendarURL›", changeURL: "‹changeURL›", cancelURL: "‹cancelURL›",
            whatsApp: Link(url: "‹whatsApp.url›", label: "‹whatsApp.label›"), deadline: "‹deadline›",
            closedNote: "‹closedNote›")
    }

    static func staffBookingPage(cancelled: Bool) -> StaffBookingPage {
        StaffBookingPage(
            staff: staff, alert: "‹alert›", csrfToken: "‹csrfToken›", heading: "‹heading›", status: "‹status›",
            cancelled: cancelled, nama: "‹nama›", jenisKelamin: "‹jenisKelamin›", telp: "‹telp›", email: "‹email›",
            alamat: "‹alamat›", studio: "‹studio›", tanggal: "‹tanggal›", jam: "‹jam›", selesai: "‹selesai›",
            durasi: "‹durasi›", customer: cancelled ? nil : Link(url: "‹customer.url›", label: "‹customer.label›"),
            publicURL: "‹publicURL›", whatsApp: Link(url: "‹whatsApp.url›", label: "‹whatsApp.label›"),
            kehadiran: "‹kehadiran›", attendanceOpen: !cancelled, cancelURL: "‹cancelURL›", moveURL: "‹moveURL›",
            attendanceURL: "‹attendanceURL›", freeStartsURL: "‹freeStartsURL›", schedule: cancelled ? nil : schedule,
            pesan: BookingMessagesView(items: cancelled ? [] : [
                BookingMessagesView.Row(
                    kejadian: "‹m1.kejadian›", saluran: "‹m1.saluran›", status: "‹m1.status›", state: "‹m1.state›",
                    percobaan: 7311, galat: "‹m1.galat›", dibuat: "‹m1.dibuat›", terkirim: "‹m1.terkirim›",
                    resendURL: "‹m1.resendURL›"),
            ]))
    }

    // MARK: - Rows the staff views are made from (adapt here when the store's types change)

    static func customer(_ tag: String) -> CustomerView {
        let columns = ["1", "‹\(tag).kodeCS›", "‹\(tag).nama›", "‹\(tag).jenisKelamin›", "‹\(tag).telp›", "‹\(tag).email›",
                       "‹\(tag).alamat›", "‹\(tag).studio›", "‹\(tag).latestBooking›", "7303"]
        var view = CustomerView(try! CustomerMasterStore.Customer(Postgres.Row(columns: columns)))
        view.cancelled = 7306
        view.noShow = 7307
        view.cancelledNote = "‹\(tag).cancelledNote›"
        return view
    }

    static func row(_ tag: String, ref: Bool = true, kode: Bool = true) -> CustomerMasterStore.Booking {
        let columns = ["1", "‹\(tag).studio›", "‹\(tag).tanggal›", "‹\(tag).jam›", "‹\(tag).nama›", "‹\(tag).telp›",
                       "‹\(tag).email›", kode ? "‹\(tag).kodeCS›" : nil, ref ? "‹\(tag).ref›" : nil, "‹\(tag).createdAt›",
                       "7304", "f", String(7400 + tag.unicodeScalars.reduce(0) { $0 + Int($1.value) }), ref ? "t" : "f"]
        return try! CustomerMasterStore.Booking(Postgres.Row(columns: columns))
    }

    static func booking(_ tag: String, ref: Bool = true, kode: Bool = true) -> BookingView {
        BookingView(row(tag, ref: ref, kode: kode))
    }

    // MARK: - The test

    @Test func everyKeyOfEveryTemplateRendersItsField() throws {
        let views = try Views(directory: Self.templates)
        var keys = TemplateKeys(directory: Self.templates)
        var reachedTags: Set<String> = []
        var rendered: Set<String> = []
        for page in Self.fillings {
            let template = type(of: page).template
            let html = views.render(page)
            let (reached, unknown) = try keys.walk(template, model: page)
            for tag in unknown { Issue.record("\(type(of: page)): \(tag) names no field of the view model") }
            // Each field prints its own marker, and no marker hides inside another's.
            let texts = Dictionary(reached.map { ($0.field, $0.text) }) { first, _ in first }
            // A value left empty on purpose (nothing searched) has nothing to find.
            for (field, text) in texts where !text.isEmpty {
                let shown = html.contains(text)
                #expect(shown, "\(template): \(field) (\(text)) is not in the page")
                for (other, otherText) in texts where other != field && otherText.contains(text) {
                    Issue.record("\(type(of: page)): \(field) and \(other) share a value; give each its own marker")
                }
            }
            reachedTags.formUnion(reached.map(\.tag))
            rendered.insert(template)
        }
        // Every template is rendered, itself or as a part of another, and every tag in it is reached.
        var all: Set<String> = []
        for template in rendered { all.formUnion(try keys.variables(template)) }
        #expect(all.subtracting(reachedTags).sorted() == [], "tags no filling reaches: add a filling")
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.templates)
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }
        #expect(Set(files).subtracting(keys.trees.keys).sorted() == [], "templates no filling renders")
        #expect(Set(Views.required) == Set(files))
    }
}
