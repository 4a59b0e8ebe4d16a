import HTTPMessages
import HTTPTypes
import Postgres

/// Signing in and out of the staff area (`/staff/login`, `/staff/logout`), and `/staff` itself.
struct StaffSignInController: Sendable {
    let views: Views
    let log: EventLog
    let gate: StaffGate

    func addRoutes(to router: inout Router) {
        router.add(.get, "/staff/login", name: "Sign-in page") { request, context, _ in showLogin(request, context) }
        router.add(.post, "/staff/login", name: "Staff sign-in") { request, context, _ in submitLogin(request, context) }
        router.add(.post, "/staff/logout", access: .staff, name: "Staff sign-out") { request, context, _ in
            logout(request, context)
        }
        for home in ["/staff", "/staff/"] as [PathPattern] {
            router.add(.get, home, access: .staff, name: "Staff home") { _, _, _ in .redirect(to: "/staff/customers") }
        }
    }

    func showLogin(_ request: Request, _ context: RequestContext) -> Response {
        if case .signedIn = gate.lookUp(request, context) { return .redirect(to: "/staff/customers") }
        // Without the CSRF key the form could not be sent back: say so now, not after typing.
        guard context.csrf != nil else { return loginForm(.serviceUnavailable, username: "", alert: Copy.staffDatabaseDown, context) }
        return loginForm(.ok, username: "", alert: nil, context)
    }

    func submitLogin(_ request: Request, _ context: RequestContext) -> Response {
        let data: FormData
        switch PostedForm(request, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let username = (data["username"] ?? "").trimmed
        let password = data["password"] ?? ""
        switch context.verify(data) {
        case .valid: break
        case .unavailable: return loginForm(.serviceUnavailable, username: username, alert: Copy.staffDatabaseDown, context)
        case .forged: return loginForm(.forbidden, username: username, alert: Copy.csrfFailed, context)
        }
        // A NUL or bytes that are not UTF-8 are no one's name, and not a question for the database.
        guard !data.malformed.contains("username") else {
            log.info("Staff sign-in refused for \(username)")
            return loginForm(.unprocessableContent, username: username, alert: Copy.usernameMalformed, context)
        }
        guard !username.isEmpty, !password.isEmpty, username.utf8.count <= 100, password.utf8.count <= 1024 else {
            return loginForm(.unauthorized, username: username, alert: Copy.signInFailed, context)
        }
        let session = StaffSession.new()
        do {
            // Counted before the password is checked: see SignInThrottle.
            guard try context.database.run({ db throws(PostgresError) in try SignInThrottle.begin(db, username: username) }) != nil
            else {
                log.info("Staff sign-in refused for \(username): too many failed attempts")
                return loginForm(.tooManyRequests, username: username, alert: Copy.signInThrottled, context)
            }
            let stored = try context.database.run { db throws(PostgresError) in try StaffStore.passwordHash(db, username: username) }
            // An unknown name costs a hash too, so the answer's timing does not say which names exist.
            let verified = Password.verify(password, against: stored ?? Password.unknownUser)
            guard let stored, verified else {
                log.info("Staff sign-in refused for \(username)")
                return loginForm(.unauthorized, username: username, alert: Copy.signInFailed, context)
            }
            let rehash = replacement(for: stored, password: password, username: username)
            try context.database.run { db throws(PostgresError) in
                try StaffStore.signIn(db, username: username, tokenHash: session.tokenHash, rehash: rehash)
            }
            if rehash != nil { log.info("Staff password rehashed to argon2id: \(username)") }
        } catch {
            log.error("Staff sign-in failed", error)
            return loginForm(.serviceUnavailable, username: username, alert: Copy.staffDatabaseDown, context)
        }
        log.info("Staff signed in: \(username)")
        var response = Response.redirect(to: "/staff/customers")
        response.headerFields.append(HTTPField(name: .setCookie, value: session.setCookie(overHTTPS: request.isHTTPS)))
        return response
    }

    /// The new hash for a stored one of an older kind (PBKDF2, or other argon2id limits), made from
    /// the password just verified; nil when none is needed, or when hashing failed (the old one
    /// still works: the next sign-in tries again).
    func replacement(for stored: String, password: String, username: String) -> (old: String, new: String)? {
        guard Password.needsRehash(stored) else { return nil }
        do {
            return (stored, try Password.hash(password))
        } catch {
            log.error("Rehashing the password of \(username) failed: \(error)")
            return nil
        }
    }

    func logout(_ request: Request, _ context: RequestContext) -> Response {
        let staff = context.signedIn
        guard case .form(let data) = PostedForm(request, views: views), context.verify(data) == .valid else {
            return views.message(.forbidden, heading: "Permintaan ditolak", Copy.staffCSRFFailed)
        }
        do {
            try context.database.run { db throws(PostgresError) in try StaffStore.endSession(db, tokenHash: staff.session.tokenHash) }
        } catch {
            log.error("Staff sign-out failed", error)
            return views.message(.serviceUnavailable, heading: "Layanan sedang terganggu", Copy.staffDatabaseDown)
        }
        log.info("Staff signed out: \(staff.username)")
        var response = Response.redirect(to: "/staff/login")
        response.headerFields.append(HTTPField(name: .setCookie, value: StaffSession.clearCookie(overHTTPS: request.isHTTPS)))
        return response
    }

    func loginForm(_ status: HTTPResponse.Status, username: String, alert: String?, _ context: RequestContext) -> Response {
        views.page(StaffLoginPage(alert: alert, username: username, csrfToken: context.csrfToken()), status: status)
    }
}
