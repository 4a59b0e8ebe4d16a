import HTTPMessages

/// The `application/x-www-form-urlencoded` body of a POST, or the answer that refuses it.
enum PostedForm {
    case form(FormData)
    case refused(Response)

    init(_ request: Request, views: Views) {
        switch request.body {
        case .complete(let body):
            let contentType = request.headerFields[.contentType]?.lowercased() ?? ""
            guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
                self = .refused(views.message(.unsupportedMediaType, heading: "Format tidak didukung", "Kirim formulir dari halamannya sendiri."))
                return
            }
            self = .form(FormData(urlEncoded: body))
        case .tooLarge:
            self = .refused(views.message(.contentTooLarge, heading: "Data terlalu besar", "Isian formulir melebihi 64 KiB. Periksa kembali isian Anda."))
        case .malformed:
            self = .refused(views.message(.badRequest, heading: "Permintaan tidak lengkap", "Data formulir tidak diterima utuh. Silakan kirim ulang."))
        }
    }
}

extension Request {
    /// The query string's fields, decoded as a form is.
    var queryFields: FormData { FormData(urlEncoded: Array(query.utf8)) }
}
