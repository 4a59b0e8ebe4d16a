import FastCGI

/// Who is filling in the form, as far as CSRF is concerned: the id in the visitor cookie,
/// or a new one that the response sets.
struct Visitor {
    let id: String
    let isNew: Bool
    /// Behind HTTPS (nginx's `fastcgi_params` pass `HTTPS=on`) the cookie is `Secure` too.
    let overHTTPS: Bool

    init(_ request: Request) {
        overHTTPS = request.parameters["HTTPS"]?.lowercased() == "on"
        if let existing = Self.cookie(named: CSRFGuard.cookieName, in: request.header("Cookie") ?? ""),
            RandomID.isWellFormed(existing)
        {
            id = existing
            isNew = false
        } else {
            id = CSRFGuard.newVisitorID()
            isNew = true
        }
    }

    /// The `Set-Cookie` header a new visitor needs; HttpOnly, so page scripts cannot read it.
    var setCookie: String? {
        isNew ? "\(CSRFGuard.cookieName)=\(id); Path=/; HttpOnly; SameSite=Lax; Max-Age=86400\(overHTTPS ? "; Secure" : "")" : nil
    }

    static func cookie(named name: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, String(pair[0]).trimmed == name {
                return String(pair[1]).trimmed
            }
        }
        return nil
    }
}
