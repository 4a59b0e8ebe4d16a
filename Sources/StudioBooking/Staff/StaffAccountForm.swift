/// The accounts page's two forms (`/staff/akun`): a new account (`username`, `password`, `peran`),
/// and a change to one (`peran` always, `aktif` as a checkbox, `password` empty to keep it).
/// The password is read to be hashed and never shown again: a refused form comes back without it.
struct StaffAccountForm {
    enum Field: String {
        case username, password, peran
    }

    let username: String
    let password: String
    let peran: String
    let aktif: Bool

    init(_ data: FormData) {
        username = (data["username"] ?? "").trimmed
        password = data["password"] ?? ""
        peran = (data["peran"] ?? "").trimmed
        aktif = data["aktif"] != nil
        malformed = data.malformed
    }

    /// Fields whose bytes were not UTF-8 or held a NUL: refused whatever they say.
    private let malformed: Set<String>

    /// What a valid form says.
    struct Valid {
        let role: StaffRole
        /// Nil: the password stays (a change with the field left empty).
        let password: String?
    }

    enum Checked {
        case valid(Valid)
        case invalid([Field: String])
    }

    /// A new account: every field required.
    func validatedNew() -> Checked {
        var errors = [Field: String]()
        if malformed.contains(Field.username.rawValue) || !StaffAccount.isValid(username: username) {
            errors[.username] = Copy.accountUsernameInvalid
        }
        errors[.password] = passwordProblem
        return finish(errors, password: password)
    }

    /// A change: the password only when one was typed.
    func validatedChange() -> Checked {
        var errors = [Field: String]()
        if !password.isEmpty { errors[.password] = passwordProblem }
        return finish(errors, password: password.isEmpty ? nil : password)
    }

    private func finish(_ found: [Field: String], password: String?) -> Checked {
        var errors = found
        let role = malformed.contains(Field.peran.rawValue) ? nil : StaffRole(rawValue: peran)
        if role == nil { errors[.peran] = Copy.accountRoleInvalid }
        guard errors.isEmpty, let role else { return .invalid(errors) }
        return .valid(Valid(role: role, password: password))
    }

    /// The rules of `StaffAccount.problem` (shared with `staff add`), in the page's words.
    private var passwordProblem: String? {
        if malformed.contains(Field.password.rawValue) { return Copy.accountPasswordControl }
        if password.count < 8 { return Copy.accountPasswordShort }
        if password.utf8.count > 1024 { return Copy.accountPasswordLong }
        return StaffAccount.problem(password: password) == nil ? nil : Copy.accountPasswordControl
    }
}
