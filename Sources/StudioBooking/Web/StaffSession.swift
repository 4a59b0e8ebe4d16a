import Crypto
import HTTPMessages

/// The staff session cookie: a random token the browser keeps (HttpOnly, SameSite=Lax, path
/// `/staff`), whose SHA-256 is the session's key in the database.
struct StaffSession {
    static let cookieName = "sb_staff"
    let token: String

    /// The token the request carries, if it is well formed; nothing is asked of the database here.
    init?(_ request: Request) {
        guard let token = request.cookie(named: Self.cookieName), RandomID.isWellFormed(token) else { return nil }
        self.token = token
    }

    init(token: String) { self.token = token }

    static func new() -> StaffSession { StaffSession(token: RandomID.make()) }

    var tokenHash: String { SHA256.hash(data: Array(token.utf8)).hex }

    func setCookie(overHTTPS: Bool) -> String {
        SetCookie.line(
            name: Self.cookieName, value: token, path: "/staff", maxAge: StaffStore.sessionHours * 3600, overHTTPS: overHTTPS)
    }

    /// Tells the browser to forget the cookie.
    static func clearCookie(overHTTPS: Bool) -> String {
        SetCookie.line(name: cookieName, value: "", path: "/staff", maxAge: 0, overHTTPS: overHTTPS)
    }
}
