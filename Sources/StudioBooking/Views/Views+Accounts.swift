/// The accounts page (`/staff/akun`, admins): every account with a form to change it, and the
/// form that adds one. A password is never put back into a page.
struct StaffAccountsPage: Page {
    static let template = "staff_akun"
    let staff: StaffChrome
    let alert: String?
    let adding: AccountFormView
    let accounts: [AccountRowView]
}

/// A form's values as typed, the password aside, and a message beside each field that broke a rule.
struct AccountFormView {
    let username: FieldView
    let passwordError: String?
    let peranError: String?
    let roles: [Choice]
    let aktif: Bool

    static let empty = AccountFormView(
        username: FieldView(value: "", error: nil), passwordError: nil, peranError: nil, roles: roleChoices(chosen: "staf"),
        aktif: true)

    static func roleChoices(chosen: String) -> [Choice] {
        [Choice(value: "staf", label: "Staf", selected: chosen == "staf"), Choice(value: "admin", label: "Admin", selected: chosen == "admin")]
    }
}

extension AccountFormView {
    /// A refused form; `username` names the account a change was for (the form's own field otherwise).
    init(_ form: StaffAccountForm, _ errors: [StaffAccountForm.Field: String], username: String? = nil) {
        self.username = FieldView(value: username ?? form.username, error: errors[.username])
        passwordError = errors[.password]
        peranError = errors[.peran]
        roles = Self.roleChoices(chosen: form.peran)
        aktif = form.aktif
    }
}

/// One account in the list, with its change form: as saved, or as typed when that form was refused.
struct AccountRowView {
    let username, peran, status, createdAt, actionURL: String
    let form: AccountFormView
    let refused: Bool
}

extension AccountRowView {
    init(_ account: StaffAccountStore.Account, refused: AccountFormView?) {
        username = account.username
        peran = account.role == .admin ? "Admin" : "Staf"
        status = account.aktif ? "Aktif" : "Nonaktif"
        createdAt = IndonesianDate.dateTime(account.createdAt)
        actionURL = "/staff/akun/\(account.username)"
        self.refused = refused != nil
        form = refused ?? AccountFormView(
            username: FieldView(value: account.username, error: nil), passwordError: nil, peranError: nil,
            roles: AccountFormView.roleChoices(chosen: account.role.rawValue), aktif: account.aktif)
    }
}
