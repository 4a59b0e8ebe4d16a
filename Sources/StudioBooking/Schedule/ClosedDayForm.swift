/// The closed-day form as typed (`POST /staff/libur`), every value kept for a refused form.
struct ClosedDayForm: Equatable {
    var tanggal = ""
    /// Empty: every studio.
    var studioID = ""
    var keterangan = ""
    var malformed: Set<String> = []

    enum Field: String, Hashable {
        case tanggal
        case studioID = "studio_id"
        case keterangan
    }

    /// The reason's longest, the column's (`hari_libur.keterangan varchar(200)`).
    static let maxKeterangan = 200

    init() {}

    init(_ data: FormData) {
        tanggal = data[Field.tanggal.rawValue] ?? ""
        studioID = data[Field.studioID.rawValue] ?? ""
        keterangan = data[Field.keterangan.rawValue] ?? ""
        malformed = data.malformed
    }

    /// The day, or a message beside each field that breaks a rule: a real date from `today` on,
    /// no studio or one of `studios`, a reason of at most 200 characters.
    func validated(today: Day, studios: [Int]) -> Checked<ValidClosedDay, Field> {
        var errors: [Field: String] = [:]
        let text = tanggal.trimmed
        let day = Day(iso: text)
        if text.isEmpty {
            errors[.tanggal] = "Tanggal wajib diisi."
        } else if let day, day < today {
            errors[.tanggal] = "Tanggal sudah lewat: pilih hari ini atau sesudahnya."
        } else if day == nil {
            errors[.tanggal] = "Tanggal tidak valid, gunakan format YYYY-MM-DD."
        }
        let studio = studioID.trimmed
        let studioNumber = studio.utf8.count <= 10 ? Int(studio) : nil
        if !studio.isEmpty, studioNumber.map(studios.contains) != true {
            errors[.studioID] = "Studio tidak ditemukan, pilih dari daftar."
        }
        let reason = keterangan.trimmed
        if malformed.contains(Field.keterangan.rawValue) || reason.hasForbiddenControls(allowNewlines: false) {
            errors[.keterangan] = "Keterangan mengandung karakter yang tidak diizinkan."
        } else if reason.unicodeScalars.count > Self.maxKeterangan {
            errors[.keterangan] = "Keterangan paling banyak \(Self.maxKeterangan) karakter."
        }
        guard errors.isEmpty, let day else { return .invalid(errors) }
        return .valid(ValidClosedDay(tanggal: day, studioID: studio.isEmpty ? nil : studioNumber, keterangan: reason))
    }
}

struct ValidClosedDay: Equatable {
    let tanggal: Day
    /// nil: every studio.
    let studioID: Int?
    let keterangan: String
}
