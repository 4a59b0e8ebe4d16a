import FastCGI

/// The `application/x-www-form-urlencoded` body of a POST, or the answer that refuses it.
enum PostedForm {
    case form(FormData)
    case refused(Response)

    init(_ request: Request, refuse: (Int, String, String) -> Response) {
        switch request.body {
        case .complete(let body):
            let contentType = request.header("Content-Type")?.lowercased() ?? ""
            guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
                self = .refused(refuse(415, "Format tidak didukung", "Kirim formulir dari halamannya sendiri."))
                return
            }
            self = .form(FormData(urlEncoded: body))
        case .tooLarge:
            self = .refused(refuse(413, "Data terlalu besar", "Isian formulir melebihi 64 KiB. Periksa kembali isian Anda."))
        case .malformed:
            self = .refused(refuse(400, "Permintaan tidak lengkap", "Data formulir tidak diterima utuh. Silakan kirim ulang."))
        }
    }
}
