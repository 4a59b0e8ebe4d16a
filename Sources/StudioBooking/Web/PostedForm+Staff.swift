import HTTPMessages

extension PostedForm {
    /// A form posted from a staff page: refused, with a staff page, when it is malformed or does not
    /// carry that page's `csrf_token` (403), or while the key to check it cannot be read (503).
    init(staff request: Request, _ context: RequestContext, views: Views) {
        self.init(request, views: views)
        guard case .form(let data) = self else { return }
        switch context.verify(data) {
        case .valid: break
        case .forged: self = .refused(views.staffMessage(.forbidden, heading: "Permintaan ditolak", Copy.staffCSRFFailed, context))
        case .unavailable:
            self = .refused(views.staffMessage(.serviceUnavailable, heading: "Layanan sedang terganggu", Copy.staffDatabaseDown, context))
        }
    }
}
