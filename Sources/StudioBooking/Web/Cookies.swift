import HTTPMessages

extension Request {
    /// The value of the cookie `name` the browser sent, trimmed; nil when it sent none.
    func cookie(named name: String) -> String? {
        for part in (headerFields[.cookie] ?? "").split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, String(pair[0]).trimmed == name {
                return String(pair[1]).trimmed
            }
        }
        return nil
    }
}

/// The one way this app writes a `Set-Cookie` line: HttpOnly (page scripts never read its cookies),
/// SameSite=Lax, and `Secure` behind HTTPS.
enum SetCookie {
    static func line(name: String, value: String, path: String, maxAge: Int, overHTTPS: Bool) -> String {
        "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Lax; Max-Age=\(maxAge)" + (overHTTPS ? "; Secure" : "")
    }
}
