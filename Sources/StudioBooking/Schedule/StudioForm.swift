/// A studio's edit form as typed (`POST /staff/studios/{id}`): every value kept as a string, so a
/// refused form comes back whole. Weekdays are ISO: index 0 = Senin (`buka_1`) … 6 = Minggu (`buka_7`).
struct StudioForm: Equatable {
    static let weekdays = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    /// The longest session a studio may take, in hours (the `studio_durasi_maks_check` constraint).
    static let longestSession = 1...12

    var nama = ""
    var aktif = false
    var durasiMaks = ""
    var buka = Array(repeating: "", count: 7)
    var tutup = Array(repeating: "", count: 7)
    /// Field names whose bytes were not UTF-8 or held a NUL (`FormData.malformed`).
    var malformed: Set<String> = []

    /// What a field is called in the form, and in the messages beside it.
    enum Field: Hashable {
        case nama, durasiMaks
        /// 1 = Senin … 7 = Minggu
        case buka(Int), tutup(Int)

        var name: String {
            switch self {
            case .nama: "nama_studio"
            case .durasiMaks: "durasi_maks"
            case .buka(let weekday): "buka_\(weekday)"
            case .tutup(let weekday): "tutup_\(weekday)"
            }
        }
    }

    init() {}

    /// As posted. A checkbox is sent only when ticked: `aktif` present is active.
    init(_ data: FormData) {
        nama = data[Field.nama.name] ?? ""
        aktif = data["aktif"] != nil
        durasiMaks = data[Field.durasiMaks.name] ?? ""
        buka = (1...7).map { data[Field.buka($0).name] ?? "" }
        tutup = (1...7).map { data[Field.tutup($0).name] ?? "" }
        malformed = data.malformed
    }

    /// As the database has it, for the form's first showing.
    init(_ studio: ScheduleStore.Studio) {
        nama = studio.nama
        aktif = studio.aktif
        durasiMaks = String(studio.durasiMaks)
        buka = studio.buka.map { $0.map(Self.label) ?? "" }
        tutup = studio.tutup.map { $0.map(Self.label) ?? "" }
    }

    /// An hour as the form shows and sends it: `09:00`, and `24:00` for midnight at the close.
    static func label(_ hour: Int) -> String { BookingCalendar.twoDigits(hour) + ":00" }

    /// The hour of `HH:00` (00-24), or nil.
    static func hour(_ text: String) -> Int? {
        if text == "24:00" { return 24 }
        return BookingValidator.hour(text)
    }

    /// The studio, or a message in Indonesian beside each field that breaks a rule.
    func validated() -> Checked<ValidStudio, Field> {
        var errors: [Field: String] = [:]
        let nama = nama.trimmed
        if malformed.contains(Field.nama.name) || nama.hasForbiddenControls(allowNewlines: false) {
            errors[.nama] = "Nama studio mengandung karakter yang tidak diizinkan."
        } else if nama.isEmpty {
            errors[.nama] = "Nama studio wajib diisi."
        } else if nama.unicodeScalars.count > 100 {
            errors[.nama] = "Nama studio paling banyak 100 karakter."
        }
        let durasi = durasiMaks.trimmed
        let longest = durasi.utf8.count <= 2 ? Int(durasi) : nil
        if longest.map(Self.longestSession.contains) != true {
            errors[.durasiMaks] = "Sesi terpanjang harus 1 sampai 12 jam."
        }
        var opens: [Int?] = [], closes: [Int?] = []
        for weekday in 1...7 {
            let (open, close) = (buka[weekday - 1].trimmed, tutup[weekday - 1].trimmed)
            let (openHour, closeHour) = (Self.hour(open), Self.hour(close))
            opens.append(openHour)
            closes.append(closeHour)
            if open.isEmpty && close.isEmpty { continue }
            if open.isEmpty {
                errors[.buka(weekday)] = "Isi jam buka, atau kosongkan jam tutup juga bila studio tutup hari itu."
            } else if openHour.map({ $0 < 24 }) != true {
                errors[.buka(weekday)] = "Jam buka harus tepat jam: 00:00 sampai 23:00."
            }
            if close.isEmpty {
                errors[.tutup(weekday)] = "Isi jam tutup, atau kosongkan jam buka juga bila studio tutup hari itu."
            } else if closeHour.map({ $0 > 0 }) != true {
                errors[.tutup(weekday)] = "Jam tutup harus tepat jam: 01:00 sampai 24:00."
            } else if let openHour, let closeHour, openHour < 24, closeHour <= openHour {
                errors[.tutup(weekday)] = "Jam tutup harus sesudah jam buka."
            }
        }
        guard errors.isEmpty, let longest else { return .invalid(errors) }
        return .valid(ValidStudio(nama: nama, aktif: aktif, durasiMaks: longest, buka: opens, tutup: closes))
    }
}

/// A studio that passed every rule: trimmed name, and per ISO weekday both hours or neither.
struct ValidStudio: Equatable {
    let nama: String
    let aktif: Bool
    let durasiMaks: Int
    let buka, tutup: [Int?]
}

/// What a form's rules made of it: the value, or a message beside each field that broke one.
enum Checked<Value, Field: Hashable> {
    case valid(Value)
    case invalid([Field: String])
}
