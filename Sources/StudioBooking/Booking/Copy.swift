/// Indonesian copy that several answers share.
enum Copy {
    static let invalid = "Beberapa isian perlu diperbaiki. Lihat pesan di bawah setiap kolom."
    static let csrfFailed = "Formulir sudah kedaluwarsa atau tidak berasal dari halaman ini. Periksa isian Anda lalu kirim ulang."
    static let slotTaken = "Maaf, slot studio pada tanggal dan jam tersebut sudah dipesan. Pilih jam atau tanggal lain."
    static let slotTakenField = "Slot ini sudah dipesan."
    static func tooManyActive(_ limit: Int) -> String {
        "Nomor telepon ini sudah punya \(limit) booking aktif. Untuk booking lebih banyak, hubungi studio."
    }
    static let databaseDown = "Layanan sedang terganggu, booking belum disimpan. Isian Anda masih ada: silakan coba kirim lagi sebentar lagi."
    static let outcomeUnknown = "Booking Anda mungkin sudah tersimpan, tetapi hasilnya tidak dapat dipastikan. Jangan kirim ulang dulu: hubungi studio untuk memastikannya."
    static let bookingFailed = "Booking gagal disimpan dan tidak ada data yang berubah. Isian Anda masih ada: silakan coba lagi."

    // MARK: - Staff area

    static let signInFailed = "Nama pengguna atau kata sandi salah."
    static let staffDatabaseDown = "Layanan sedang terganggu. Silakan coba lagi sebentar lagi."
    static let staffCSRFFailed = "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi."
    static let usernameMalformed = "Nama pengguna mengandung karakter yang tidak diizinkan."
    static let searchMalformed = "Pencarian mengandung karakter yang tidak diizinkan. Hapus karakter itu lalu cari lagi."
    static let pageMalformed = "Alamat halaman tidak valid. Mulai lagi dari halaman pertama."
}
