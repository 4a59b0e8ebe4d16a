/// The rules of docs/behaviour.md: The public pages: parse → validate → field errors.
public struct BookingValidator: Sendable {
    public let calendar: BookingCalendar
    public static let genders = ["Laki-laki", "Perempuan"]

    public init(calendar: BookingCalendar) { self.calendar = calendar }

    /// The booking, or a message for every field that breaks a rule.
    /// Lengths count Unicode scalars, as PostgreSQL's `VARCHAR(n)` does.
    /// `studios`: the longest session of each studio that may be booked, by id. Whether the session
    /// lies within the studio's hours and is free is the database's to say (sb_book_many).
    public func validate(_ form: BookingForm, studios: [Int: Int]) -> Result<ValidBooking, ValidationFailure> {
        var errors = FieldErrors()
        let person = Self.person(
            nama: form.nama, jenisKelamin: form.jenisKelamin, telp: form.telp, email: form.email, alamat: form.alamat,
            malformed: form.malformed, telpRequired: true, errors: &errors)
        let studioID = Int(form.studioID.trimmed)
        if form.studioID.trimmed.isEmpty {
            errors[.studioID] = "Pilih studio."
        } else if studioID.flatMap({ studios[$0] }) == nil {
            errors[.studioID] = "Studio tidak ditemukan, pilih dari daftar."
        }
        let durasi = Self.durasi(form.durasi)
        if let durasi, let longest = studioID.flatMap({ studios[$0] }), durasi > longest {
            errors[.durasi] = "Studio ini menerima sesi paling lama \(longest) jam."
        } else if durasi == nil {
            errors[.durasi] = "Pilih lama sesi: 1 sampai \(Self.longestSession) jam."
        }
        let (today, minute) = calendar.localNow()
        let day = Day(iso: form.tanggal.trimmed)
        if form.tanggal.trimmed.isEmpty {
            errors[.tanggal] = "Tanggal booking wajib diisi."
        } else if let day {
            if day < today {
                errors[.tanggal] = "Tanggal sudah lewat, pilih hari ini atau sesudahnya."
            } else if day.ordinal - today.ordinal > calendar.daysAhead {
                errors[.tanggal] = "Booking paling jauh \(calendar.daysAhead) hari dari hari ini."
            }
        } else {
            errors[.tanggal] = "Tanggal tidak valid, gunakan format YYYY-MM-DD."
        }
        let jam = form.jam.trimmed
        let hour = Self.hour(jam)
        if jam.isEmpty {
            errors[.jam] = "Pilih jam mulai."
        } else if hour == nil {
            errors[.jam] = "Jam mulai tidak valid: pilih dari daftar jam yang kosong."
        } else if let hour, let day, day == today, hour * 60 <= minute {
            errors[.jam] = "Jam \(jam) hari ini sudah lewat, pilih jam lain."
        }

        guard errors.isEmpty, let telp = person.telp, let studioID, let day, let durasi else {
            return .failure(ValidationFailure(errors: errors))
        }
        return .success(
            ValidBooking(
                nama: person.nama, jenisKelamin: form.jenisKelamin, telpEntered: person.telpEntered, telp: telp,
                email: person.email, alamat: person.alamat, studioID: studioID, tanggal: day, jam: jam,
                durasi: durasi))
    }

    /// No studio takes a longer session (the database's `studio_durasi_maks_check`).
    static let longestSession = 12

    /// A length as the form sends it: empty is one hour; otherwise 1…12.
    static func durasi(_ text: String) -> Int? {
        let text = text.trimmed
        if text.isEmpty { return 1 }
        guard text.utf8.count <= 2, let value = Int(text), (1...longestSession).contains(value) else { return nil }
        return value
    }

    /// The hour of a start written `HH:00` (00-23), as the form offers them.
    public static func hour(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"), bytes[3] == UInt8(ascii: "0"), bytes[4] == UInt8(ascii: "0"),
            bytes[0...1].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let value = Int(text.prefix(2)), value < 24
        else { return nil }
        return value
    }

    static let phoneCharacters = Set("0123456789 +-().".unicodeScalars)
    static let emailLocalCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~.-".unicodeScalars)
    static let emailDomainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".unicodeScalars)

    /// An address as people type them: `local@domain.tld`, the local part of RFC 5322's atom
    /// characters, the domain of dotted labels of letters, digits and hyphens.
    static func looksLikeEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty,
            parts[0].unicodeScalars.allSatisfy(emailLocalCharacters.contains),
            !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), !parts[0].contains("..")
        else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy(emailDomainCharacters.contains)
        }
    }
}

public struct ValidationFailure: Error, Sendable {
    public let errors: FieldErrors
}

extension String {
    var trimmed: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(Substring(scalars))
    }

    /// Control characters (NUL among them) have no place in a name or a phone number;
    /// an address may keep its line breaks and tabs.
    func hasForbiddenControls(allowNewlines: Bool) -> Bool {
        unicodeScalars.contains { scalar in
            // ASCII, nearly every character typed here, without a Unicode property lookup.
            let isControl = scalar.isASCII
                ? scalar.value < 0x20 || scalar.value == 0x7F : scalar.properties.generalCategory == .control
            guard isControl else { return false }
            return !(allowNewlines && (scalar == "\n" || scalar == "\r" || scalar == "\t"))
        }
    }
}
