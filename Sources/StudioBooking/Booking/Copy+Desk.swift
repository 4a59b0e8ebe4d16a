/// Indonesian copy of bookings by staff (docs/behaviour.md: Bookings by staff).
extension Copy {
    static let deskBookingNotFound = "Tidak ada booking dengan nomor ini."
    static let deskSearchNone = "Tidak ada customer yang cocok. Isi data customer baru di bawah."
    static let deskCustomerNotFound = "Customer dengan kode itu tidak ditemukan. Isi datanya di bawah."
    static let deskOfCancelled = "Booking ini sudah dibatalkan, jadi jadwalnya tidak dapat diubah. Buat booking baru bila perlu."
    static let deskMoveToPast = "Jam mulai baru sudah lewat. Pilih jam yang belum dimulai."
    static let deskAttendanceNotBegun = "Kehadiran baru dapat dicatat setelah sesi dimulai."
    static let deskAttendanceOfCancelled = "Booking ini sudah dibatalkan: tidak ada kehadiran yang dicatat."
    static let deskAttendanceInvalid = "Pilih apakah customer datang: ya atau tidak."
    static let deskChangeFailed = "Perubahan gagal disimpan dan booking tidak berubah. Silakan coba lagi."
    static let deskChangeOutcomeUnknown = "Perubahan mungkin sudah tersimpan, tetapi hasilnya tidak dapat dipastikan. Muat ulang halaman booking untuk memeriksanya."
    static func deskWhatsAppText(nama: String, booking: String) -> String {
        "Halo \(nama), kami dari studio tentang booking Anda: \(booking)."
    }
}
