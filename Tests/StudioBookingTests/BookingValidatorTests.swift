import Foundation
import Testing
@testable import StudioBooking

/// Every rule of docs/behaviour.md: The public pages and its boundaries, at a fixed moment: 2026-11-25 10:30 in Jakarta.
@Suite struct BookingValidatorTests {
    static let now = Date(timeIntervalSince1970: 1_795_577_400)  // 2026-11-25T03:30:00Z = 10:30 WIB
    let validator = BookingValidator(
        calendar: BookingCalendar(timeZone: TimeZone(identifier: "Asia/Jakarta")!, now: { BookingValidatorTests.now }))

    static func valid() -> BookingForm {
        var form = BookingForm()
        form.nama = "John Doe"
        form.jenisKelamin = "Laki-laki"
        form.telp = "08123456789"
        form.email = "john@email.com"
        form.alamat = "Jl. Contoh No. 123, Jakarta"
        form.studioID = "1"
        form.tanggal = "2026-11-26"
        form.jam = "10:00"
        return form
    }

    func errors(_ change: (inout BookingForm) -> Void) -> FieldErrors {
        var form = Self.valid()
        change(&form)
        switch validator.validate(form, studios: [1: 4, 2: 4, 3: 2]) {
        case .success: return [:]
        case .failure(let failure): return failure.errors
        }
    }

    @Test func theClockIsWhereTheTestsThinkItIs() {
        #expect(validator.calendar.localNow().day == Day(year: 2026, month: 11, day: 25))
        #expect(validator.calendar.localNow().minute == 10 * 60 + 30)
    }

    @Test func aValidBookingIsTrimmedAndNormalized() throws {
        var form = Self.valid()
        form.nama = "  John Doe \n"
        form.telp = " +62 812-3456-789 "
        form.email = " john@email.com "
        let booking = try validator.validate(form, studios: [1: 4]).get()
        #expect(booking.nama == "John Doe")
        #expect(booking.telp == "08123456789")
        #expect(booking.telpEntered == "+62 812-3456-789")
        #expect(booking.email == "john@email.com")
        #expect(booking.studioID == 1)
        #expect(booking.tanggal == Day(year: 2026, month: 11, day: 26))
    }

    @Test func emailIsOptional() throws {
        #expect(errors { $0.email = "" } == [:])
        #expect(errors { $0.email = "   " } == [:])
        var form = Self.valid()
        form.email = ""
        #expect(try validator.validate(form, studios: [1: 4]).get().email == nil)
    }

    @Test func nameLength() {
        #expect(errors { $0.nama = String(repeating: "a", count: 100) } == [:])
        #expect(errors { $0.nama = String(repeating: "a", count: 101) }.keys.elementsEqual([.nama]))
        #expect(errors { $0.nama = "" }[.nama] == "Nama wajib diisi.")
        #expect(errors { $0.nama = " \t\n " }[.nama] == "Nama wajib diisi.")
        // PostgreSQL counts code points: a combining accent is a character of its own there.
        #expect(errors { $0.nama = String(repeating: "e\u{301}", count: 51) }[.nama] != nil)
    }

    @Test func addressLength() {
        #expect(errors { $0.alamat = String(repeating: "a", count: 500) } == [:])
        #expect(errors { $0.alamat = String(repeating: "a", count: 501) }.keys.elementsEqual([.alamat]))
        #expect(errors { $0.alamat = "   " }[.alamat] == "Alamat wajib diisi.")
        #expect(errors { $0.alamat = "Jl. Baru\nNo. 4\tBandung" } == [:])
    }

    @Test func emailRules() {
        let local = String(repeating: "a", count: 88)
        #expect(errors { $0.email = local + "@example.com" } == [:])  // 100 characters
        #expect(errors { $0.email = local + "a@example.com" }.keys.elementsEqual([.email]))
        #expect(errors { $0.email = "o'brien+studio@mail.example.co.id" } == [:])
        for bad in ["john", "john@", "@x.com", "john@x", "jo hn@x.com", "a@b@c.com", "john@x..com",
                    "<script>@x.com", "john@<x>.com", "john.@x.com", "john@-x.com", "jöhn@x.com"] {
            #expect(errors { $0.email = bad }.keys.elementsEqual([.email]), "\(bad)")
        }
    }

    @Test func phoneDigitCounts() {
        #expect(errors { $0.telp = "081234567" }.keys.elementsEqual([.telp]))  // 9 digits
        #expect(errors { $0.telp = "0812345678" } == [:])  // 10
        #expect(errors { $0.telp = "081234567890123" } == [:])  // 15
        #expect(errors { $0.telp = "0812345678901234" }.keys.elementsEqual([.telp]))  // 16
        #expect(errors { $0.telp = "+62 812 3456 7890" } == [:])
        #expect(errors { $0.telp = "8123456789" }.keys.elementsEqual([.telp]))  // must start with 0
        #expect(errors { $0.telp = "" }[.telp] == "Nomor telepon wajib diisi.")
        #expect(errors { $0.telp = "   " }[.telp] == "Nomor telepon wajib diisi.")
        #expect(errors { $0.telp = "telepon saya" }.keys.elementsEqual([.telp]))
        #expect(errors { $0.telp = "0812 3456 7890 - 1 - 2" }.keys.elementsEqual([.telp]))  // over 20 characters
        #expect(errors { $0.telp = "(0812) 3456.789" } == [:])
        #expect(errors { $0.telp = "0812<b>3456789" }.keys.elementsEqual([.telp]))
        #expect(errors { $0.telp = "0812/3456/789" }.keys.elementsEqual([.telp]))
    }

    @Test func gender() {
        #expect(errors { $0.jenisKelamin = "Perempuan" } == [:])
        for bad in ["", "laki-laki", "L", "Perempuan "] {
            #expect(errors { $0.jenisKelamin = bad }.keys.elementsEqual([.jenisKelamin]), "\(bad)")
        }
    }

    @Test func studio() {
        #expect(errors { $0.studioID = "" }[.studioID] == "Pilih studio.")
        #expect(errors { $0.studioID = "4" }.keys.elementsEqual([.studioID]))
        #expect(errors { $0.studioID = "satu" }.keys.elementsEqual([.studioID]))
        #expect(errors { $0.studioID = "3" } == [:])
    }

    @Test func dates() {
        #expect(errors { $0.tanggal = "2026-11-24" }.keys.elementsEqual([.tanggal]))  // yesterday
        #expect(errors { $0.tanggal = "2026-11-25"; $0.jam = "11:00" } == [:])  // today, later slot
        #expect(errors { $0.tanggal = "2027-05-24" } == [:])  // 180 days ahead
        #expect(errors { $0.tanggal = "2027-05-25" }.keys.elementsEqual([.tanggal]))  // 181
        #expect(errors { $0.tanggal = "25/11/2026" }.keys.elementsEqual([.tanggal]))
        #expect(errors { $0.tanggal = "2026-02-30" }.keys.elementsEqual([.tanggal]))
        #expect(errors { $0.tanggal = "" }[.tanggal] == "Tanggal booking wajib diisi.")
    }

    /// A start is any hour, on the hour: whether the studio is open then is the database's to say
    /// (sb_open_hours, ScheduleTests), not a fixed list of slots.
    @Test func starts() {
        #expect(errors { $0.jam = "09:00" } == [:])
        #expect(errors { $0.jam = "20:00" } == [:])
        #expect(errors { $0.jam = "00:00" } == [:])
        #expect(errors { $0.jam = "23:00" } == [:])
        #expect(errors { $0.jam = "24:00" }.keys.elementsEqual([.jam]))
        #expect(errors { $0.jam = "10:30" }.keys.elementsEqual([.jam]))  // off the hour
        #expect(errors { $0.jam = "10:00:00" }.keys.elementsEqual([.jam]))
        #expect(errors { $0.jam = "9:00" }.keys.elementsEqual([.jam]))
        #expect(errors { $0.jam = "+9:00" }.keys.elementsEqual([.jam]))
        #expect(errors { $0.jam = "" }[.jam] == "Pilih jam mulai.")
        // Today at 10:30: 10:00 has begun, 11:00 has not.
        #expect(errors { $0.tanggal = "2026-11-25"; $0.jam = "10:00" }.keys.elementsEqual([.jam]))
        #expect(errors { $0.tanggal = "2026-11-25"; $0.jam = "09:00" }.keys.elementsEqual([.jam]))
    }

    /// One hour when not given; at most the studio's longest session (studio 3 takes 2 hours).
    @Test func lengths() throws {
        #expect(try validator.validate(Self.valid(), studios: [1: 4]).get().durasi == 1)
        #expect(errors { $0.durasi = "4" } == [:])
        #expect(errors { $0.durasi = " 2 " } == [:])
        #expect(errors { $0.studioID = "3"; $0.durasi = "2" } == [:])
        #expect(errors { $0.studioID = "3"; $0.durasi = "3" }[.durasi] == "Studio ini menerima sesi paling lama 2 jam.")
        for bad in ["0", "13", "-1", "1.5", "dua", "001"] {
            #expect(errors { $0.durasi = bad }.keys.elementsEqual([.durasi]), "\(bad)")
        }
    }

    @Test func controlCharactersAreRefused() {
        #expect(errors { $0.nama = "John\u{0}Doe" }.keys.elementsEqual([.nama]))
        #expect(errors { $0.nama = "John\nDoe" }.keys.elementsEqual([.nama]))
        #expect(errors { $0.telp = "0812\u{7}3456789" }.keys.elementsEqual([.telp]))
        #expect(errors { $0.alamat = "Jl.\u{1b}[31m" }.keys.elementsEqual([.alamat]))
        #expect(errors { $0.email = "a\u{0}@b.com" }.keys.elementsEqual([.email]))
    }

    @Test func everyBadFieldAtOnce() {
        let all = errors {
            $0 = BookingForm()
            $0.email = "x"
            $0.durasi = "0"  // empty is one hour, not a mistake
        }
        #expect(Set(all.keys) == Set(BookingForm.Field.allCases))
    }
}
