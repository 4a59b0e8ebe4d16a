import HTTPMessages
import Postgres

/// A signed-in staff member, as far as a request is concerned.
struct StaffUser {
    let username: String
    let session: StaffSession
}

/// The staff area's door (every `/staff/…` page but sign-in): a live session goes through, with
/// who it is in the context; anyone else is sent to sign in. When the database cannot say, that
/// is an outage, not a reason to send someone back to the sign-in page.
struct StaffGate: Middleware {
    let views: Views
    let log: EventLog

    func handle(_ request: Request, _ context: RequestContext, next: Next) throws(PostgresError) -> Response {
        switch lookUp(request, context) {
        case .signedIn(let staff):
            context.staff = staff
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
            guard let username = try context.database.run({ db throws(PostgresError) in
                try StaffStore.sessionUser(db, tokenHash: session.tokenHash)
            }) else { return .signedOut }
            return .signedIn(StaffUser(username: username, session: session))
        } catch {
            log.error("Reading a staff session failed", error)
            return .unavailable
        }
    }
}
