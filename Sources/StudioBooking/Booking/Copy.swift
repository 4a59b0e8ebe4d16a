/// Indonesian copy that several answers share.
enum Copy {
    static let invalid = "Beberapa isian perlu diperbaiki. Lihat pesan di bawah setiap kolom."
    static let csrfFailed = "Formulir sudah kedaluwarsa atau tidak berasal dari halaman ini. Periksa isian Anda lalu kirim ulang."
    static let slotTaken = "Maaf, sebagian waktu sesi itu sudah dipesan orang lain. Pilih jam atau tanggal lain."
    static let slotTakenField = "Waktu ini sudah dipesan. Pilih jam lain yang masih kosong."
    static let closedField = "Studio tidak buka sepanjang sesi ini pada tanggal itu. Pilih jam lain yang masih kosong."
    static func tooManyActive(_ limit: Int) -> String {
        "Nomor telepon ini sudah punya \(limit) booking aktif. Untuk booking lebih banyak, hubungi studio."
    }
    static let databaseDown = "Layanan sedang terganggu, booking belum disimpan. Isian Anda masih ada: silakan coba kirim lagi sebentar lagi."
    static let outcomeUnknown = "Booking Anda mungkin sudah tersimpan, tetapi hasilnya tidak dapat dipastikan. Jangan kirim ulang dulu: hubungi studio untuk memastikannya."
    static let scheduleUnavailable = "Jadwal sedang tidak dapat dibaca. Silakan coba lagi sebentar lagi."
    static func noFreeStart(_ hours: Int) -> String { "Tidak ada jam kosong untuk sesi \(hours) jam pada tanggal ini." }
    static let bookingFailed = "Booking gagal disimpan dan tidak ada data yang berubah. Isian Anda masih ada: silakan coba lagi."

    // MARK: - A booking's own page

    static func whatsAppText(kodeCS: String, booking: String) -> String {
        "Halo, saya customer dengan kode \(kodeCS), booking \(booking)."
    }
    static func changeDeadline(day: String, time: String) -> String {
        "Anda dapat mengubah jadwal atau membatalkan booking ini sebelum \(day) pukul \(time)."
    }
    static func pastCutoff(hours: Int, whatsApp: Bool) -> String {
        "Booking ini tidak dapat lagi dibatalkan atau diubah di sini: batasnya \(hours) jam sebelum sesi dimulai. "
            + (whatsApp ? "Untuk perubahan, hubungi studio lewat WhatsApp." : "Untuk perubahan, hubungi studio secara langsung.")
    }
    static let cancelTooLate = "Booking ini tidak dapat dibatalkan lagi di sini."
    static let changeTooLate = "Jadwal booking ini tidak dapat diubah lagi di sini."
    static let changeOfCancelled = "Booking ini sudah dibatalkan, jadi jadwalnya tidak dapat diubah. Silakan buat booking baru."
    static func changeTooSoon(_ hours: Int) -> String {
        "Jadwal baru harus dimulai lebih dari \(hours) jam dari sekarang. Pilih tanggal atau jam lain."
    }
    static let changeOutcomeUnknown = "Perubahan mungkin sudah tersimpan, tetapi hasilnya tidak dapat dipastikan. Buka lagi halaman booking Anda untuk memeriksanya sebelum mencoba lagi."
    static let cancelFailed = "Pembatalan gagal dan booking Anda tidak berubah. Silakan coba lagi, atau hubungi studio."
    static let changeFailed = "Jadwal gagal diubah dan booking Anda tidak berubah. Silakan coba lagi, atau hubungi studio."
    static let changeDatabaseDown = "Layanan sedang terganggu, jadwal belum diubah. Silakan coba lagi sebentar lagi."
    static let cancelDatabaseDown = "Layanan sedang terganggu, booking belum dibatalkan. Silakan coba lagi sebentar lagi."

    // MARK: - Staff area

    static let signInFailed = "Nama pengguna atau kata sandi salah."
    static let staffDatabaseDown = "Layanan sedang terganggu. Silakan coba lagi sebentar lagi."
    static let staffCSRFFailed = "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi."
    static let usernameMalformed = "Nama pengguna mengandung karakter yang tidak diizinkan."
    static let searchMalformed = "Pencarian mengandung karakter yang tidak diizinkan. Hapus karakter itu lalu cari lagi."
    static let pageMalformed = "Alamat halaman tidak valid. Mulai lagi dari halaman pertama."
    static let adminOnly = "Halaman ini hanya untuk admin. Minta admin studio bila Anda perlu mengubah studio, jam buka atau hari libur."
}

// MARK: - Editing, merging and erasing customers (issue 16)

extension Copy {
    static let customerBusy = "Customer ini sedang diubah oleh staf lain. Muat ulang halaman, periksa datanya, lalu coba lagi."
    static let customerChanged = "Data customer ini sudah diubah (oleh staf lain atau oleh booking) sejak halaman dibuka. Lihat riwayat perubahan di bawah; bila isian Anda tetap benar, simpan lagi."
    static let customerGone = "Customer ini sudah digabung ke customer lain atau datanya sudah dihapus sejak halaman dibuka. Buka lagi halamannya."
    static func customerTaken(field: String, kodeCS: String) -> String {
        "Customer lain (\(kodeCS)) sudah memakai \(field) ini. Bila keduanya orang yang sama, gabungkan customer ini ke \(kodeCS)."
    }
    static let mergeRefused = "Penggabungan tidak dapat dilakukan. Lihat pesan di bawah kolom kode tujuan."
    static let mergeItself = "Customer tidak dapat digabung ke dirinya sendiri."
    static let mergeTargetUnknown = "Tidak ada customer dengan kode ini."
    static let mergeTargetMerged = "Customer tujuan sudah digabung ke customer lain: pilih customer yang dipertahankan."
    static let mergeTargetErased = "Data customer tujuan sudah dihapus."
    static let eraseConfirmation = "Ketik kode customer ini persis untuk menghapus datanya."
    static let eraseRefused = "Data belum dihapus. Lihat pesan di bawah kolom konfirmasi."
    static let eraseMerged = "Customer ini sudah digabung ke customer lain sejak halaman dibuka: hapus data customer tujuannya."
}
