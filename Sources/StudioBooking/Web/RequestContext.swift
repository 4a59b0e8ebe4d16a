import HTTPMessages
import HTTPTypes
import Postgres

/// What a handler may use besides the request: this worker's database connection, the visitor
/// as far as CSRF is concerned, and in the staff area who is signed in. One per request.
final class RequestContext {
    let database: Database
    private let request: Request
    private let keyring: CSRFKeyring
    /// Set when the page carries a form token: a new visitor then gets the cookie it is bound to.
    private(set) var issuesVisitorCookie = false
    /// The route's name for the log, and who may reach it (set by the router).
    var routeName = "Request"
    var access = Router.Access.anyone
    /// Who is signed in, on a staff route (set by `StaffGate` before the handler runs).
    var staff: StaffUser?

    init(_ request: Request, database: Database, keyring: CSRFKeyring) {
        self.request = request
        self.database = database
        self.keyring = keyring
    }

    /// Made on first use: a page without a form never draws a random id.
    lazy var visitor = Visitor(request)

    /// The CSRF guard, once this process has the shared key; nil while the database cannot say.
    var csrf: CSRFGuard? { keyring.current(database) }

    /// The token for a form on this page ("" while the key is unknown), and the visitor cookie with it.
    func csrfToken() -> String {
        issuesVisitorCookie = true
        return csrf?.token(for: visitor.id) ?? ""
    }

    /// The staff member a staff route's handler serves: `StaffGate` has let only them through.
    var signedIn: StaffUser {
        guard let staff else { preconditionFailure("a staff route ran without StaffGate") }
        return staff
    }

    /// Whether a posted form came from one of this site's pages, for this visitor.
    func verify(_ form: FormData) -> CSRFVerdict {
        guard let csrf else { return .unavailable }
        guard !visitor.isNew, csrf.isValid(token: form["csrf_token"] ?? "", for: visitor.id) else { return .forged }
        return .valid
    }

    /// The answer, with the visitor cookie when a form token was issued to a new visitor.
    func finish(_ response: Response) -> Response {
        guard issuesVisitorCookie, let cookie = visitor.setCookie else { return response }
        var response = response
        response.headerFields.append(HTTPField(name: .setCookie, value: cookie))
        return response
    }
}

/// What the CSRF check made of a posted form.
enum CSRFVerdict {
    case valid
    /// No token, a wrong one, or a visitor without the cookie the token is bound to.
    case forged
    /// The key could not be read (the database is away): an outage, whatever the token says.
    case unavailable
}
