import Foundation
import HTTPMessages
import HTTPTypes
import Postgres

/// Staff accounts, for admins (`/staff/akun`): the list, adding one, and changing one's role,
/// whether it is active, and its password. Some active admin always remains.
struct StaffAccountsController: Sendable {
    let views: Views
    let log: EventLog
    /// `BOOKING_TIMEZONE`: when an account was made is shown in the studios' time.
    let zone: String

    func addRoutes(to router: inout Router) {
        router.add(.get, "/staff/akun", access: .admin, name: "Account list") { _, context, _ throws(PostgresError) in
            try list(context)
        }
        router.add(.post, "/staff/akun", access: .admin, name: "Adding an account") { request, context, _ throws(PostgresError) in
            try add(request, context)
        }
        router.add(.post, "/staff/akun/{username}", access: .admin, name: "Changing an account") { request, context, parameters throws(PostgresError) in
            guard let username: AccountName = parameters.get("username") else { return notFound(context) }
            return try change(username.value, request, context)
        }
    }

    // MARK: - GET and POST /staff/akun

    /// The page: 200, or `status` with the refused form's values (never its password) and its messages.
    func list(
        _ context: RequestContext, status: HTTPResponse.Status = .ok, alert: String? = nil,
        adding: AccountFormView = .empty, changing: AccountFormView? = nil
    ) throws(PostgresError) -> Response {
        let accounts = try context.database.run { db throws(PostgresError) in try StaffAccountStore.accounts(db, zone: zone) }
        return views.page(
            StaffAccountsPage(
                staff: StaffChrome(context), alert: alert, adding: adding,
                accounts: accounts.map { AccountRowView($0, refused: changing?.username.value == $0.username ? changing : nil) }),
            status: status)
    }

    func add(_ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(staff: request, context, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let form = StaffAccountForm(data)
        let valid: StaffAccountForm.Valid
        switch form.validatedNew() {
        case .invalid(let errors):
            return try list(context, status: .unprocessableContent, alert: Copy.invalid, adding: AccountFormView(form, errors))
        case .valid(let checked): valid = checked
        }
        guard let hash = passwordHash(form.password, context) else { return unavailable(context) }
        let added = try context.database.run { db throws(PostgresError) in
            try StaffAccountStore.add(db, username: form.username, passwordHash: hash, role: valid.role)
        }
        guard added else {
            return try list(
                context, status: .conflict, alert: Copy.accountUsernameTaken,
                adding: AccountFormView(form, [.username: Copy.accountUsernameTaken]))
        }
        log.info("Staff account added by staff \(context.signedIn.username): \(form.username) (\(valid.role.rawValue))")
        return .redirect(to: "/staff/akun")
    }

    // MARK: - POST /staff/akun/{username}

    func change(_ username: String, _ request: Request, _ context: RequestContext) throws(PostgresError) -> Response {
        let data: FormData
        switch PostedForm(staff: request, context, views: views) {
        case .form(let form): data = form
        case .refused(let response): return response
        }
        let form = StaffAccountForm(data)
        let valid: StaffAccountForm.Valid
        switch form.validatedChange() {
        case .invalid(let errors):
            return try list(
                context, status: .unprocessableContent, alert: Copy.invalid,
                changing: AccountFormView(form, errors, username: username))
        case .valid(let checked): valid = checked
        }
        var hash: String? = nil
        if let password = valid.password {
            guard let made = passwordHash(password, context) else { return unavailable(context) }
            hash = made
        }
        let outcome = try context.database.run { db throws(PostgresError) in
            try StaffAccountStore.change(db, username: username, role: valid.role, aktif: form.aktif, passwordHash: hash)
        }
        switch outcome {
        case .notFound:
            return notFound(context)
        case .lastAdmin:
            return try list(
                context, status: .unprocessableContent, alert: Copy.accountLastAdmin,
                changing: AccountFormView(form, [.peran: Copy.accountLastAdmin], username: username))
        case .changed:
            let what = [valid.role.rawValue, form.aktif ? "aktif" : "nonaktif"] + (hash == nil ? [] : ["new password"])
            log.info("Staff account changed by staff \(context.signedIn.username): \(username) (\(what.joined(separator: ", ")))")
            return .redirect(to: "/staff/akun")
        }
    }

    // MARK: - Helpers

    /// The argon2id hash, or nil (logged) when libsodium could not make one: no memory, most likely.
    func passwordHash(_ password: String, _ context: RequestContext) -> String? {
        do {
            return try Password.hash(password)
        } catch {
            log.error("Hashing a staff password for \(context.signedIn.username) failed: \(error)")
            return nil
        }
    }

    func unavailable(_ context: RequestContext) -> Response {
        views.staffMessage(.serviceUnavailable, heading: "Layanan sedang terganggu", Copy.staffDatabaseDown, context)
    }

    func notFound(_ context: RequestContext) -> Response {
        views.staffMessage(.notFound, heading: "Akun tidak ditemukan", Copy.accountNotFound, context)
    }
}

/// A user name in a path, percent-decoded: one `StaffAccount.isValid` accepts, or no page.
struct AccountName: PathParameter {
    let value: String

    init?(pathSegment: Substring) {
        guard let decoded = String(pathSegment).removingPercentEncoding, StaffAccount.isValid(username: decoded) else { return nil }
        value = decoded
    }
}
