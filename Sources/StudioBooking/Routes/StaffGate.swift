import HTTPMessages
import Postgres

/// A signed-in staff member, as far as a request is concerned.
struct StaffUser {
    let username: String
    let role: StaffRole
    let session: StaffSession

    var isAdmin: Bool { role == .admin }
}

/// The staff area's door (every `/staff/…` page but sign-in), and the one place its access rules
/// live: a live session of an active account goes through, with who it is in the context; anyone
/// else is sent to sign in; a `staf` account at an admin page (`Router.Access.admin`) gets 403.
/// When the database cannot say, that is an outage, not a reason to send someone back to sign in.
struct StaffGate: Middleware {
    let views: Views
    let log: EventLog

    func handle(_ request: Request, _ context: RequestContext, next: Next) throws(PostgresError) -> Response {
        switch lookUp(request, context) {
        case .signedIn(let staff):
            context.staff = staff
            guard context.access != .admin || staff.isAdmin else {
                return views.staffMessage(.forbidden, heading: "Khusus admin", Copy.adminOnly, context)
            }
            return try next(request, context)
        case .signedOut:
            return .redirect(to: "/staff/login")
        case .unavailable:
            return views.message(.serviceUnavailable, heading: "Layanan sedang terganggu", Copy.staffDatabaseDown)
        }
    }

    enum SignIn {
        case signedIn(StaffUser)
        case signedOut
        case unavailable
    }

    /// The live session the request carries, if any; a cookie that is not even well formed asks
    /// nothing of the database.
    func lookUp(_ request: Request, _ context: RequestContext) -> SignIn {
        guard let session = StaffSession(request) else { return .signedOut }
        do {
            guard let user = try context.database.run({ db throws(PostgresError) in
                try StaffStore.sessionUser(db, tokenHash: session.tokenHash)
            }) else { return .signedOut }
            return .signedIn(StaffUser(username: user.username, role: user.role, session: session))
        } catch {
            log.error("Reading a staff session failed", error)
            return .unavailable
        }
    }
}
