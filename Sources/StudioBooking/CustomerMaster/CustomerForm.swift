/// The customer edit form as typed (`POST /staff/customers/{kode_cs}`): every value kept as a
/// string, so a refused form comes back whole.
struct CustomerForm: Sendable, Equatable {
    var nama = "", jenisKelamin = "", telp = "", email = "", alamat = ""
    /// The customer's `version` when the form was shown; empty: not checked.
    var versi = ""
    /// Fields that arrived with bytes that are not UTF-8 or with a NUL.
    var malformed: Set<Field> = []

    /// The form's field names, the customer table's columns (CONTRACT.md §7b).
    enum Field: String, CaseIterable, Sendable {
        case nama = "nama_cs", jenisKelamin = "jenis_kelamin", telp, email, alamat

        /// The booking form's field whose rule this one follows.
        var rule: BookingForm.Field {
            switch self {
            case .nama: .nama
            case .jenisKelamin: .jenisKelamin
            case .telp: .telp
            case .email: .email
            case .alamat: .alamat
            }
        }
    }

    init(_ data: FormData) {
        nama = data[Field.nama.rawValue] ?? ""
        jenisKelamin = data[Field.jenisKelamin.rawValue] ?? ""
        telp = data[Field.telp.rawValue] ?? ""
        email = data[Field.email.rawValue] ?? ""
        alamat = data[Field.alamat.rawValue] ?? ""
        versi = data["versi"] ?? ""
        malformed = Set(Field.allCases.filter { data.malformed.contains($0.rawValue) })
    }

    /// The form of a customer as saved.
    init(_ customer: CustomerChangeStore.Locked) {
        nama = customer.nama
        jenisKelamin = customer.jenisKelamin ?? ""
        telp = customer.telp ?? ""
        email = customer.email ?? ""
        alamat = customer.alamat ?? ""
        versi = customer.version
    }

    /// Checked by the booking form's rules (`BookingValidator.person`); the phone and the e-mail may
    /// be empty. The phone is kept normalized and the e-mail lower-cased, as bookings keep them.
    func validated() -> Result<ValidCustomer, CustomerFormErrors> {
        var errors = FieldErrors()
        let person = BookingValidator.person(
            nama: nama, jenisKelamin: jenisKelamin, telp: telp, email: email, alamat: alamat,
            malformed: Set(malformed.map(\.rule)), telpRequired: false, errors: &errors)
        guard errors.isEmpty else {
            var byField: [Field: String] = [:]
            for field in Field.allCases { byField[field] = errors[field.rule] }
            return .failure(CustomerFormErrors(errors: byField))
        }
        return .success(
            ValidCustomer(
                nama: person.nama, jenisKelamin: person.jenisKelamin, telp: person.telp, email: person.email?.lowercased(),
                alamat: person.alamat))
    }
}

struct CustomerFormErrors: Error, Equatable {
    let errors: [CustomerForm.Field: String]
}
