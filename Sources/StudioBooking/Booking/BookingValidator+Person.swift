/// The rules for a person's fields (name, gender, phone, e-mail, address), in one place: the
/// booking form's (`validate`) and the staff's edit of a customer (`CustomerForm`) both go through
/// them.
extension BookingValidator {
    /// A person's fields as checked: trimmed; the phone also normalized (nil when empty or not a
    /// number); an empty e-mail nil.
    struct Person {
        let nama, jenisKelamin, telpEntered, alamat: String
        let telp, email: String?
    }

    /// Checks the fields, adding a message to `errors` for every one that breaks a rule.
    /// `telpRequired` false (the customer master): an empty phone is no phone.
    static func person(
        nama: String, jenisKelamin: String, telp rawTelp: String, email rawEmail: String, alamat: String,
        malformed: Set<BookingForm.Field>, telpRequired: Bool, errors: inout FieldErrors
    ) -> Person {
        func text(_ field: BookingForm.Field, _ raw: String, max: Int, required: Bool, label: String,
                  allowNewlines: Bool = false) -> String {
            let value = raw.trimmed
            if malformed.contains(field) || value.hasForbiddenControls(allowNewlines: allowNewlines) {
                errors[field] = "\(label) mengandung karakter yang tidak diizinkan."
            } else if required && value.isEmpty {
                errors[field] = "\(label) wajib diisi."
            } else if value.unicodeScalars.count > max {
                errors[field] = "\(label) paling banyak \(max) karakter."
            }
            return value
        }

        let nama = text(.nama, nama, max: 100, required: true, label: "Nama")
        let alamat = text(.alamat, alamat, max: 500, required: true, label: "Alamat", allowNewlines: true)
        let email = text(.email, rawEmail, max: 100, required: false, label: "Email")
        if errors[.email] == nil, !email.isEmpty, !looksLikeEmail(email) {
            errors[.email] = "Alamat email tidak valid, contoh: nama@contoh.com."
        }
        let telpEntered = text(.telp, rawTelp, max: 20, required: telpRequired, label: "Nomor telepon")
        let telp = Phone.normalize(telpEntered)
        if errors[.telp] == nil, telpEntered.isEmpty {
            // Not required here (text() said so otherwise): no phone.
        } else if errors[.telp] == nil, !telpEntered.unicodeScalars.allSatisfy(phoneCharacters.contains) {
            errors[.telp] = "Nomor telepon hanya boleh berisi angka, spasi, +, -, tanda kurung dan titik."
        } else if errors[.telp] == nil, telp.map({ (10...15).contains($0.count) && $0.hasPrefix("0") }) != true {
            errors[.telp] = "Nomor telepon tidak valid: 10–15 digit, diawali 0 atau +62."
        }
        if !genders.contains(jenisKelamin) {
            errors[.jenisKelamin] = "Pilih jenis kelamin: Laki-laki atau Perempuan."
        }
        return Person(
            nama: nama, jenisKelamin: jenisKelamin, telpEntered: telpEntered, alamat: alamat, telp: telp,
            email: email.isEmpty ? nil : email)
    }
}
