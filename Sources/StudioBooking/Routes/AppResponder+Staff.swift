import FastCGI
import Postgres

/// A signed-in staff member, as far as a request is concerned.
struct StaffUser {
    let username: String
    let session: StaffSession
}

extension AppResponder {
    // MARK: - /staff/…

    /// The staff area (CONTRACT.md §7): sign-in is open, everything else needs a live session.
    func respondStaff(to request: Request, method: String, path: String) -> Response {
        switch (method, path) {
        case ("GET", "/staff/login"): return showLogin(request)
        case ("POST", "/staff/login"): return submitLogin(request)
        case (_, "/staff/login"): return methodNotAllowed(allow: "GET, POST")
        default: break
        }
        let staff: StaffUser
        switch signedIn(request) {
        case .signedIn(let user): staff = user
        case .signedOut: return .redirect(to: "/staff/login")
        case .unavailable: return message(status: 503, heading: "Layanan sedang terganggu", Copy.staffDatabaseDown)
        }
        switch (method, path) {
        case ("GET", "/staff"), ("GET", "/staff/"): return .redirect(to: "/staff/customers")
        case ("POST", "/staff/logout"): return logout(request, staff)
        case ("GET", "/staff/customers"): return customerList(request, staff)
        case ("GET", "/staff/customers.csv"): return customerCSV(request)
        case ("GET", _) where path.hasPrefix("/staff/customers/"):
            return customerDetail(kodeCS: String(path.dropFirst("/staff/customers/".count)), request, staff)
        case ("GET", "/staff/bookings"): return dayBookings(request, staff)
        case (_, "/staff/logout"): return methodNotAllowed(allow: "POST")
        case (_, "/staff/customers"), (_, "/staff/customers.csv"), (_, "/staff/bookings"):
            return methodNotAllowed(allow: "GET")
        default: return notFound()
        }
    }

    // MARK: - Sign-in

    func showLogin(_ request: Request) -> Response {
        if case .signedIn = signedIn(request) { return .redirect(to: "/staff/customers") }
        // Without the CSRF key the form could not be sent back: say so now, not after typing.
        guard csrfGuard() != nil else {
            return loginForm(status: 503, username: "", alert: Copy.staffDatabaseDown, visitor: Visitor(request))
        }
        return loginForm(status: 200, username: "", alert: nil, visitor: Visitor(request))
    }

    func submitLogin(_ request: Request) -> Response {
        let data: FormData
        switch PostedForm(request, refuse: message) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let visitor = Visitor(request)
        let username = (data["username"] ?? "").trimmed
        let password = data["password"] ?? ""
        guard let guardKey = csrfGuard() else {
            return loginForm(status: 503, username: username, alert: Copy.staffDatabaseDown, visitor: visitor)
        }
        guard !visitor.isNew, guardKey.isValid(token: data["csrf_token"] ?? "", for: visitor.id) else {
            return loginForm(status: 403, username: username, alert: Copy.csrfFailed, visitor: visitor)
        }
        guard !username.isEmpty, !password.isEmpty, username.utf8.count <= 100, password.utf8.count <= 1024 else {
            return loginForm(status: 401, username: username, alert: Copy.signInFailed, visitor: visitor)
        }
        let session = StaffSession.new()
        do {
            let stored = try database.run { db throws(PostgresError) in try StaffStore.passwordHash(db, username: username) }
            // An unknown name costs a hash too, so the answer's timing does not say which names exist.
            guard Password.verify(password, against: stored ?? Password.unknownUser), stored != nil else {
                app.log.info("Staff sign-in refused for \(username)")
                return loginForm(status: 401, username: username, alert: Copy.signInFailed, visitor: visitor)
            }
            try database.run { db throws(PostgresError) in
                try StaffStore.startSession(db, username: username, tokenHash: session.tokenHash)
            }
        } catch {
            app.log.error("Staff sign-in failed: \(error.code) \(error.message)")
            return loginForm(status: 503, username: username, alert: Copy.staffDatabaseDown, visitor: visitor)
        }
        app.log.info("Staff signed in: \(username)")
        var response = Response.redirect(to: "/staff/customers")
        response.headers.append(("Set-Cookie", session.setCookie(overHTTPS: visitor.overHTTPS)))
        return response
    }

    func logout(_ request: Request, _ staff: StaffUser) -> Response {
        let visitor = Visitor(request)
        guard case .form(let data) = PostedForm(request, refuse: message), let guardKey = csrfGuard(),
            !visitor.isNew, guardKey.isValid(token: data["csrf_token"] ?? "", for: visitor.id)
        else {
            return message(status: 403, heading: "Permintaan ditolak", Copy.staffCSRFFailed)
        }
        do {
            try database.run { db throws(PostgresError) in try StaffStore.endSession(db, tokenHash: staff.session.tokenHash) }
        } catch {
            app.log.error("Staff sign-out failed: \(error.code) \(error.message)")
            return message(status: 503, heading: "Layanan sedang terganggu", Copy.staffDatabaseDown)
        }
        app.log.info("Staff signed out: \(staff.username)")
        var response = Response.redirect(to: "/staff/login")
        response.headers.append(("Set-Cookie", StaffSession.clearCookie(overHTTPS: visitor.overHTTPS)))
        return response
    }

    // MARK: - Helpers

    enum SignIn {
        case signedIn(StaffUser)
        case signedOut
        /// The database could not say: not a reason to send someone back to the sign-in page.
        case unavailable
    }

    func signedIn(_ request: Request) -> SignIn {
        guard let session = StaffSession(request) else { return .signedOut }
        do {
            guard let username = try database.run({ db throws(PostgresError) in
                try StaffStore.sessionUser(db, tokenHash: session.tokenHash)
            }) else { return .signedOut }
            return .signedIn(StaffUser(username: username, session: session))
        } catch {
            app.log.error("Reading a staff session failed: \(error.code) \(error.message)")
            return .unavailable
        }
    }

    func loginForm(status: Int, username: String, alert: String?, visitor: Visitor) -> Response {
        staffPage(
            StaffLoginPage(alert: alert, username: username, csrfToken: csrfGuard()?.token(for: visitor.id) ?? ""),
            status: status, visitor: visitor)
    }

    /// What every staff page shows in its header: who is signed in, and the sign-out button.
    func staffChrome(_ staff: StaffUser, visitor: Visitor) -> StaffChrome {
        StaffChrome(username: staff.username, csrfToken: csrfGuard()?.token(for: visitor.id) ?? "")
    }

    func methodNotAllowed(allow: String) -> Response {
        var response = message(status: 405, heading: "Metode tidak didukung", "Permintaan ini tidak dapat diproses.")
        response.headers.append(("Allow", allow))
        return response
    }
}

extension Copy {
    static let signInFailed = "Nama pengguna atau kata sandi salah."
    static let staffDatabaseDown = "Layanan sedang terganggu. Silakan coba lagi sebentar lagi."
    static let staffCSRFFailed = "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi."
}
