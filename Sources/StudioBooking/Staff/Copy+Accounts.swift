/// The Indonesian copy of the accounts page and of a sign-in slowed per user name.
extension Copy {
    static let signInThrottled =
        "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. Tunggu 15 menit lalu coba lagi."
    static let accountUsernameInvalid = "Nama pengguna 1–50 karakter: huruf, angka, titik, tanda hubung, garis bawah atau @."
    static let accountUsernameTaken = "Nama pengguna ini sudah dipakai."
    static let accountPasswordShort = "Kata sandi minimal 8 karakter."
    static let accountPasswordLong = "Kata sandi maksimal 1024 byte."
    static let accountPasswordControl = "Kata sandi tidak boleh berisi karakter kontrol (tab, baris baru)."
    static let accountRoleInvalid = "Pilih peran: admin atau staf."
    static let accountLastAdmin =
        "Admin aktif terakhir tidak dapat dinonaktifkan atau dijadikan staf. Jadikan akun lain admin terlebih dahulu."
    static let accountNotFound = "Tidak ada akun staf dengan nama ini."
}
