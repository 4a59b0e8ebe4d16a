/// The booking form as typed: every value kept as a string, so a refused form comes back whole.
public struct BookingForm: Sendable, Equatable {
    public var nama = ""
    public var jenisKelamin = ""
    public var telp = ""
    public var email = ""
    public var alamat = ""
    public var studioID = ""
    public var tanggal = ""
    public var jam = ""
    /// Hours, as typed; empty means one.
    public var durasi = ""
    /// Fields that arrived with bytes that are not UTF-8 or with a NUL (`FormData.malformed`).
    public var malformed: Set<Field> = []

    public enum Field: String, CaseIterable, Sendable {
        case nama = "nama_customer"
        case jenisKelamin = "jenis_kelamin"
        case telp = "telp_customer"
        case email = "email_customer"
        case alamat = "alamat_customer"
        case studioID = "studio_id"
        case tanggal = "tanggal_booking"
        case jam = "jam_booking"
        case durasi = "durasi_jam"
    }

    /// The honeypot: hidden from people by the stylesheet, filled in by bots.
    public static let honeypot = "website"
    /// The button that asks for the free starts instead of booking (for browsers without the script).
    public static let showFreeStarts = "lihat_jam"

    public init() {}

    /// Only the studio, day and length, as a query string asks about them (`GET /booking?…`,
    /// `/booking/jam`): never the person, who has no place in an address.
    public init(scheduleQuery query: FormData) {
        studioID = query[Field.studioID.rawValue] ?? ""
        tanggal = query[Field.tanggal.rawValue] ?? ""
        durasi = query[Field.durasi.rawValue] ?? ""
    }

    /// A field's value by the name the form sends it under.
    subscript(field: Field) -> String? {
        switch field {
        case .nama: nama
        case .jenisKelamin: jenisKelamin
        case .telp: telp
        case .email: email
        case .alamat: alamat
        case .studioID: studioID
        case .tanggal: tanggal
        case .jam: jam
        case .durasi: durasi
        }
    }

    public init(_ data: FormData) {
        nama = data[Field.nama.rawValue] ?? ""
        jenisKelamin = data[Field.jenisKelamin.rawValue] ?? ""
        telp = data[Field.telp.rawValue] ?? ""
        email = data[Field.email.rawValue] ?? ""
        alamat = data[Field.alamat.rawValue] ?? ""
        studioID = data[Field.studioID.rawValue] ?? ""
        tanggal = data[Field.tanggal.rawValue] ?? ""
        jam = data[Field.jam.rawValue] ?? ""
        durasi = data[Field.durasi.rawValue] ?? ""
        malformed = Set(Field.allCases.filter { data.malformed.contains($0.rawValue) })
    }
}

/// A booking that passed every rule of docs/behaviour.md: The public pages, its values trimmed and normalized.
public struct ValidBooking: Sendable, Equatable {
    public let nama: String
    public let jenisKelamin: String
    /// The phone as typed (trimmed), for the booking row.
    public let telpEntered: String
    /// The normalized phone, for matching and the customer master.
    public let telp: String
    public let email: String?
    public let alamat: String
    public let studioID: Int
    public let tanggal: Day
    /// `HH:00`.
    public let jam: String
    /// The session's length in hours, 1 up to the studio's `durasiMaks`.
    public let durasi: Int
}

/// A message in Indonesian beside each field that was refused.
public typealias FieldErrors = [BookingForm.Field: String]
