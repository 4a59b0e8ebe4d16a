import Testing
@testable import StudioBooking

/// The rules of the admin forms (docs/behaviour.md: The staff area), without a database.
@Suite struct StudioFormTests {
    /// A form as a browser sends it: open 09:00-21:00 every day unless `changes` say otherwise.
    static func form(_ changes: [String: String] = [:], aktif: Bool = true) -> StudioForm {
        var fields = ["nama_studio": "Studio Anggrek", "durasi_maks": "4"]
        for day in 1...7 { (fields["buka_\(day)"], fields["tutup_\(day)"]) = ("09:00", "21:00") }
        if aktif { fields["aktif"] = "1" }
        fields.merge(changes) { $1 }
        return StudioForm(FormData(fields))
    }

    @Test func aValidFormIsTrimmedAndReadPerWeekday() {
        let checked = Self.form(
            ["nama_studio": "  Studio Baru ", "durasi_maks": "12", "buka_6": "00:00", "tutup_6": "24:00", "buka_7": "", "tutup_7": ""],
            aktif: false
        ).validated()
        guard case .valid(let studio) = checked else {
            Issue.record("refused: \(checked)")
            return
        }
        #expect(studio == ValidStudio(
            nama: "Studio Baru", aktif: false, durasiMaks: 12,
            buka: [9, 9, 9, 9, 9, 0, nil], tutup: [21, 21, 21, 21, 21, 24, nil]))
    }

    /// Each bad value is refused with a message beside its own field, and only there.
    @Test(arguments: [
        (["nama_studio": ""], StudioForm.Field.nama, "wajib diisi"),
        (["nama_studio": "   "], .nama, "wajib diisi"),
        (["nama_studio": String(repeating: "a", count: 101)], .nama, "paling banyak 100"),
        (["nama_studio": "Studio\u{0}1"], .nama, "tidak diizinkan"),
        (["durasi_maks": "0"], .durasiMaks, "1 sampai 12"),
        (["durasi_maks": "13"], .durasiMaks, "1 sampai 12"),
        (["durasi_maks": ""], .durasiMaks, "1 sampai 12"),
        (["durasi_maks": "2.5"], .durasiMaks, "1 sampai 12"),
        (["durasi_maks": "004"], .durasiMaks, "1 sampai 12"),
        (["buka_1": "09:30"], .buka(1), "tepat jam"),
        (["buka_2": "9:00"], .buka(2), "tepat jam"),
        (["buka_3": "24:00", "tutup_3": "24:00"], .buka(3), "tepat jam"),
        (["tutup_4": "21:15"], .tutup(4), "tepat jam"),
        (["tutup_5": "25:00"], .tutup(5), "tepat jam"),
        (["buka_6": "00:00", "tutup_6": "00:00"], .tutup(6), "tepat jam"),
        (["buka_7": "21:00", "tutup_7": "09:00"], .tutup(7), "sesudah jam buka"),
        (["buka_1": "12:00", "tutup_1": "12:00"], .tutup(1), "sesudah jam buka"),
        (["buka_2": ""], .buka(2), "Isi jam buka"),
        (["tutup_3": ""], .tutup(3), "Isi jam tutup"),
    ])
    func aBadValueIsRefusedBesideItsField(_ changes: [String: String], _ field: StudioForm.Field, _ message: String) {
        guard case .invalid(let errors) = Self.form(changes).validated() else {
            Issue.record("\(changes) was accepted")
            return
        }
        #expect(Array(errors.keys) == [field], "\(changes): \(errors)")
        #expect(errors[field]?.contains(message) == true, "\(changes): \(errors)")
    }

    /// What the database holds reads back as the form shows it, and is valid as it is.
    @Test func aSavedStudioIsItsOwnForm() {
        let saved = ScheduleStore.Studio(
            id: 3, nama: "Studio 3", aktif: true, durasiMaks: 6, buka: [9, 10, nil, 0, 9, 9, 8], tutup: [21, 22, nil, 24, 17, 21, 12])
        let form = StudioForm(saved)
        #expect(form.buka == ["09:00", "10:00", "", "00:00", "09:00", "09:00", "08:00"])
        #expect(form.tutup[3] == "24:00")
        guard case .valid(let studio) = form.validated() else {
            Issue.record("refused")
            return
        }
        #expect(studio.buka == saved.buka && studio.tutup == saved.tutup && studio.durasiMaks == 6)
    }
}

@Suite struct ClosedDayFormTests {
    static let today = Day(year: 2026, month: 12, day: 5)

    static func check(_ fields: [String: String]) -> Checked<ValidClosedDay, ClosedDayForm.Field> {
        ClosedDayForm(FormData(fields)).validated(today: today, studios: [1, 2, 7])
    }

    @Test func todayAndLaterForOneStudioOrAll() {
        guard case .valid(let all) = Self.check(["tanggal": "2026-12-05", "studio_id": "", "keterangan": " Nyepi "]),
            case .valid(let one) = Self.check(["tanggal": "2027-03-19", "studio_id": "7"])
        else {
            Issue.record("refused")
            return
        }
        #expect(all == ValidClosedDay(tanggal: Self.today, studioID: nil, keterangan: "Nyepi"))
        #expect(one == ValidClosedDay(tanggal: Day(year: 2027, month: 3, day: 19), studioID: 7, keterangan: ""))
    }

    @Test(arguments: [
        (["tanggal": "2026-12-04"], ClosedDayForm.Field.tanggal, "sudah lewat"),
        (["tanggal": ""], .tanggal, "wajib diisi"),
        (["tanggal": "2026-02-30"], .tanggal, "tidak valid"),
        (["tanggal": "05-12-2026"], .tanggal, "tidak valid"),
        (["tanggal": "2026-12-06", "studio_id": "3"], .studioID, "tidak ditemukan"),
        (["tanggal": "2026-12-06", "studio_id": "satu"], .studioID, "tidak ditemukan"),
        (["tanggal": "2026-12-06", "keterangan": String(repeating: "x", count: 201)], .keterangan, "200"),
        (["tanggal": "2026-12-06", "keterangan": "Libur\u{7}"], .keterangan, "tidak diizinkan"),
    ])
    func aBadValueIsRefusedBesideItsField(_ fields: [String: String], _ field: ClosedDayForm.Field, _ message: String) {
        guard case .invalid(let errors) = Self.check(fields) else {
            Issue.record("\(fields) was accepted")
            return
        }
        #expect(Array(errors.keys) == [field], "\(fields): \(errors)")
        #expect(errors[field]?.contains(message) == true, "\(fields): \(errors)")
    }
}

/// Admin pages are marked so in the one route table: the gate, not each handler, refuses `staf`.
@Suite struct AdminRouteTests {
    @Test func theScheduleRoutesAreAdminOnlyAndTheDeskRoutesAreNot() throws {
        let config = AppConfig(
            databaseURL: "host=/nonexistent-studio-booking dbname=none", logFile: "/dev/null",
            timeZone: .init(identifier: "Asia/Jakarta")!, templatesDirectory: RouterTests.root + "/templates")
        let router = try App(config: config).router
        // GET and POST of the studio list, a studio and the closed days; removing a closed day;
        // the accounts page, adding and changing an account; a customer's merge, erasure and data;
        // sending a failed message again.
        #expect(router.routes.filter { $0.access == .admin }.count == 7 + 3 + 3 + 1)
        for path in ["/staff/studios", "/staff/studios/3", "/staff/libur", "/staff/libur/4/hapus", "/staff/akun", "/staff/akun/rina",
                     "/staff/customers/CS-000001/gabung", "/staff/customers/CS-000001/hapus", "/staff/customers/CS-000001/data.json",
                     "/staff/bookings/5/pesan/6/kirim"] {
            for route in router.routes where route.pattern.match(PathPattern.segments(of: path)) != nil {
                #expect(route.access == .admin, "\(route.method) \(path)")
            }
        }
        for path in ["/staff/customers", "/staff/bookings", "/staff/customers/CS-000001"] {
            for route in router.routes where route.pattern.match(PathPattern.segments(of: path)) != nil {
                #expect(route.access == .staff, "\(route.method) \(path)")
            }
        }
    }
}
