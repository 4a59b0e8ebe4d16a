import HTTPMessages

/// Who is filling in the form, as far as CSRF is concerned: the id in the visitor cookie,
/// or a new one that the response sets.
struct Visitor {
    let id: String
    let isNew: Bool
    /// Behind HTTPS (nginx's `fastcgi_params` pass `HTTPS=on`) the cookie is `Secure` too.
    let overHTTPS: Bool

    init(_ request: Request) {
        overHTTPS = request.isHTTPS
        if let existing = request.cookie(named: CSRFGuard.cookieName), RandomID.isWellFormed(existing) {
            id = existing
            isNew = false
        } else {
            id = CSRFGuard.newVisitorID()
            isNew = true
        }
    }

    /// The `Set-Cookie` line a new visitor needs; a day long.
    var setCookie: String? {
        isNew ? SetCookie.line(name: CSRFGuard.cookieName, value: id, path: "/", maxAge: 86400, overHTTPS: overHTTPS) : nil
    }
}
