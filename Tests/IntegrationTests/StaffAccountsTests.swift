import Foundation
import HTTPMessages
import Postgres
import Synchronization
@testable import StudioBooking
import Testing
import TestSupport

/// The accounts page (`/staff/akun`) through the router, against a real PostgreSQL (issue 16):
/// who may reach it, adding and changing accounts, sessions ended, the last active admin kept.
@Suite(.needs(.database))
struct StaffAccountsTests {
    static let password = "rahasia-staf-1"
    static let passwordHash = try! StaffAccount.hash(password)

    /// An empty installation with an admin `ani` and a desk account `budi`, and a client signed in as `username`.
    static func accounts(signedInAs username: String = "ani") throws -> (TestDatabase, BookingClient, StaffClient) {
        let database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        let db = try database.connect()
        _ = try StaffStore.setPassword(db, username: "ani", passwordHash: passwordHash, admin: true)
        _ = try StaffStore.setPassword(db, username: "budi", passwordHash: passwordHash)
        let client = try BookingClient(database: database)
        var staff = StaffClient(client.app.makeResponder())
        #expect(staff.signIn(username, password).status == 303)
        return (database, client, staff)
    }

    static func post(_ staff: inout StaffClient, _ path: String, _ fields: [String: String]) -> Response {
        let token = BookingClient.csrfToken(in: staff.get("/staff/customers").text)
        return staff.post(path, fields.merging(["csrf_token": token]) { old, _ in old })
    }

    static func account(_ database: TestDatabase, _ username: String) throws -> [String?] {
        try database.rows("SELECT peran, aktif::text FROM staff_account WHERE username = '\(username)'").first ?? []
    }

    // MARK: - Who may

    @Test func aStafAccountGets403AndSeesNoLink() throws {
        var (database, _, staff) = try Self.accounts(signedInAs: "budi")
        #expect(!staff.get("/staff/customers").text.contains("href=\"/staff/akun\""))
        #expect(staff.get("/staff/akun").status == 403)
        let add = Self.post(&staff, "/staff/akun", ["username": "liar", "password": "rahasia-liar", "peran": "admin"])
        #expect(add.status == 403)
        let promote = Self.post(&staff, "/staff/akun/budi", ["peran": "admin", "aktif": "1"])
        #expect(promote.status == 403)
        #expect(try database.count("staff_account") == 2)
        #expect(try Self.account(database, "budi") == ["staf", "true"])
    }

    @Test func anAdminSeesEveryAccountAndTheLink() throws {
        var (_, _, staff) = try Self.accounts()
        #expect(staff.get("/staff/customers").text.contains("href=\"/staff/akun\""))
        let page = staff.get("/staff/akun")
        #expect(page.status == 200)
        #expect(page.text.contains("<td class=\"username\">ani</td><td>Admin</td><td>Aktif</td>"))
        #expect(page.text.contains("<td class=\"username\">budi</td><td>Staf</td><td>Aktif</td>"))
        #expect(page.text.contains("action=\"/staff/akun/budi\""))
    }

    @Test func withoutTheFormsTokenIs403() throws {
        var (database, _, staff) = try Self.accounts()
        #expect(staff.post("/staff/akun", ["username": "cici", "password": "rahasia-cici", "peran": "staf", "csrf_token": "00"]).status == 403)
        #expect(staff.post("/staff/akun/budi", ["peran": "admin", "aktif": "1", "csrf_token": "00"]).status == 403)
        #expect(try database.count("staff_account") == 2)
        #expect(try Self.account(database, "budi") == ["staf", "true"])
    }

    // MARK: - Adding

    @Test func anAddedAccountSignsInWithItsRole() throws {
        var (database, client, staff) = try Self.accounts()
        let added = Self.post(&staff, "/staff/akun", ["username": "cici", "password": "rahasia-cici", "peran": "staf"])
        #expect(added.status == 303)
        #expect(added.header("Location") == "/staff/akun")
        #expect(try Self.account(database, "cici") == ["staf", "true"])
        #expect(try database.scalar("SELECT password_hash FROM staff_account WHERE username = 'cici'")?.hasPrefix("$argon2id$") == true)
        var cici = StaffClient(client.app.makeResponder())
        #expect(cici.signIn("cici", "rahasia-cici").status == 303)
        #expect(cici.get("/staff/akun").status == 403)
        #expect(client.log().contains(" info Staff account added by staff ani: cici (staf)\n"))
        #expect(!client.log().contains("rahasia-cici"))
    }

    @Test(arguments: [
        (["username": "dua kata", "password": "rahasia-cici", "peran": "staf"], "Nama pengguna 1–50 karakter"),
        (["username": "cici", "password": "pendek", "peran": "admin"], "Kata sandi minimal 8 karakter."),
        (["username": "cici", "password": "rahasia\tcici", "peran": "admin"], "karakter kontrol"),
        (["username": "cici", "password": "rahasia-cici", "peran": "bos"], "Pilih peran: admin atau staf."),
        (["username": "", "password": "", "peran": ""], "Nama pengguna 1–50 karakter"),
    ])
    func anInvalidNewAccountIs422WithItsValuesKeptButNotThePassword(fields: [String: String], message: String) throws {
        var (database, _, staff) = try Self.accounts()
        let answer = Self.post(&staff, "/staff/akun", fields)
        #expect(answer.status == 422)
        #expect(answer.text.contains(message))
        #expect(answer.text.contains("value=\"\(fields["username"]!)\""))
        if let password = fields["password"], !password.isEmpty { #expect(!answer.text.contains(password)) }
        if fields["peran"] == "admin" { #expect(answer.text.contains("<option value=\"admin\" selected>")) }
        #expect(try database.count("staff_account") == 2)
    }

    @Test func aTakenNameIs409AndTheAccountStaysAsItWas() throws {
        var (database, client, staff) = try Self.accounts()
        let before = try database.scalar("SELECT password_hash FROM staff_account WHERE username = 'budi'")
        let answer = Self.post(&staff, "/staff/akun", ["username": "budi", "password": "rahasia-lain", "peran": "admin"])
        #expect(answer.status == 409)
        #expect(answer.text.contains("Nama pengguna ini sudah dipakai."))
        #expect(!answer.text.contains("rahasia-lain"))
        #expect(try Self.account(database, "budi") == ["staf", "true"])
        #expect(try database.scalar("SELECT password_hash FROM staff_account WHERE username = 'budi'") == before)
        _ = client
    }

    // MARK: - Changing

    @Test func disablingEndsItsSessionsAtOnce() throws {
        var (database, client, staff) = try Self.accounts()
        var budi = StaffClient(client.app.makeResponder())
        #expect(budi.signIn("budi", Self.password).status == 303)
        #expect(budi.get("/staff/customers").status == 200)
        let answer = Self.post(&staff, "/staff/akun/budi", ["peran": "staf"])
        #expect(answer.status == 303)
        #expect(try Self.account(database, "budi") == ["staf", "false"])
        #expect(try database.scalar("SELECT count(*) FROM staff_session WHERE username = 'budi'") == "0")
        #expect(budi.get("/staff/customers").header("Location") == "/staff/login")
        #expect(budi.signIn("budi", Self.password).status == 401)
        #expect(client.log().contains(" info Staff account changed by staff ani: budi (staf, nonaktif)\n"))
        // Active again: the same password signs in.
        #expect(Self.post(&staff, "/staff/akun/budi", ["peran": "staf", "aktif": "1"]).status == 303)
        #expect(budi.signIn("budi", Self.password).status == 303)
    }

    @Test func aNewPasswordAndARoleTakeEffect() throws {
        var (database, client, staff) = try Self.accounts()
        var budi = StaffClient(client.app.makeResponder())
        #expect(budi.signIn("budi", Self.password).status == 303)
        let answer = Self.post(&staff, "/staff/akun/budi", ["peran": "admin", "aktif": "1", "password": "kata-sandi-baru"])
        #expect(answer.status == 303)
        #expect(try Self.account(database, "budi") == ["admin", "true"])
        #expect(budi.get("/staff/customers").status == 303)
        #expect(budi.signIn("budi", Self.password).status == 401)
        #expect(budi.signIn("budi", "kata-sandi-baru").status == 303)
        #expect(budi.get("/staff/akun").status == 200)
        #expect(client.log().contains(" info Staff account changed by staff ani: budi (admin, aktif, new password)\n"))
        #expect(!client.log().contains("kata-sandi-baru"))
    }

    /// A role changed without a new password keeps the account's sessions: the role counts from its next request.
    @Test func aRoleChangeKeepsTheSession() throws {
        var (_, client, staff) = try Self.accounts()
        var budi = StaffClient(client.app.makeResponder())
        #expect(budi.signIn("budi", Self.password).status == 303)
        #expect(Self.post(&staff, "/staff/akun/budi", ["peran": "admin", "aktif": "1"]).status == 303)
        #expect(budi.get("/staff/akun").status == 200)
    }

    @Test func anInvalidChangeIs422WithItsValuesKept() throws {
        var (database, _, staff) = try Self.accounts()
        let short = Self.post(&staff, "/staff/akun/budi", ["peran": "admin", "password": "pendek"])
        #expect(short.status == 422)
        #expect(short.text.contains("Kata sandi minimal 8 karakter."))
        #expect(!short.text.contains("value=\"pendek\""))
        // The refused row shows what was sent: admin chosen, not active.
        let row = try #require(short.text.firstRange(of: "action=\"/staff/akun/budi\"")).upperBound
        let form = short.text[row...].prefix(900)
        #expect(form.contains("<option value=\"admin\" selected>"))
        #expect(!form.contains("checked"))
        let role = Self.post(&staff, "/staff/akun/budi", ["peran": "raja", "aktif": "1"])
        #expect(role.status == 422)
        #expect(try Self.account(database, "budi") == ["staf", "true"])
    }

    @Test func anUnknownAccountIs404() throws {
        var (_, _, staff) = try Self.accounts()
        #expect(Self.post(&staff, "/staff/akun/siapa", ["peran": "staf", "aktif": "1"]).status == 404)
        #expect(Self.post(&staff, "/staff/akun/dua%20kata", ["peran": "staf", "aktif": "1"]).status == 404)
    }

    // MARK: - The last active admin

    @Test func theLastActiveAdminCanNeitherBeDisabledNorDemoted() throws {
        var (database, client, staff) = try Self.accounts()
        for fields in [["peran": "admin"], ["peran": "staf", "aktif": "1"], ["peran": "staf"]] {
            let answer = Self.post(&staff, "/staff/akun/ani", fields)
            #expect(answer.status == 422, "\(fields)")
            #expect(answer.text.contains("Admin aktif terakhir"))
        }
        #expect(try Self.account(database, "ani") == ["admin", "true"])
        #expect(staff.get("/staff/akun").status == 200)
        // With a second active admin, the first may step down; the second then may not.
        #expect(Self.post(&staff, "/staff/akun/budi", ["peran": "admin", "aktif": "1"]).status == 303)
        #expect(Self.post(&staff, "/staff/akun/ani", ["peran": "staf", "aktif": "1"]).status == 303)
        var budi = StaffClient(client.app.makeResponder())
        #expect(budi.signIn("budi", Self.password).status == 303)
        #expect(Self.post(&budi, "/staff/akun/budi", ["peran": "admin"]).status == 422)
        // A disabled admin is no active admin: it does not count.
        try database.connect().execute("UPDATE staff_account SET peran = 'admin', aktif = false WHERE username = 'ani'")
        #expect(Self.post(&budi, "/staff/akun/budi", ["peran": "staf", "aktif": "1"]).status == 422)
    }

    /// Two admins demoting each other at the same moment, on two connections: one wins, the other
    /// is told it would remove the last admin, and one active admin remains. A third connection
    /// holds the admin rows until both have started, so that they really overlap.
    @Test(arguments: [(StaffRole.staf, true), (StaffRole.admin, false)])
    func twoAdminsDemotingEachOtherAtOnceCannotBothWin(role: StaffRole, aktif: Bool) throws {
        let (database, _, _) = try Self.accounts()
        try database.connect().execute("UPDATE staff_account SET peran = 'admin' WHERE username = 'budi'")
        let holder = try database.connect()
        try holder.execute("BEGIN")
        try holder.execute("SELECT 1 FROM staff_account WHERE peran = 'admin' FOR UPDATE")
        let url = database.url
        let outcomes = Mutex<[String: StaffAccountStore.Change]>([:])
        let done = DispatchGroup()
        for (me, other) in [("ani", "budi"), ("budi", "ani")] {
            done.enter()
            Thread {
                let outcome = try? StaffAccountStore.change(
                    try Connection(url), username: other, role: role, aktif: aktif, passwordHash: nil)
                outcomes.withLock { $0[me] = outcome }
                done.leave()
            }.start()
        }
        // Both are waiting on the held rows (or about to): then let them go.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try database.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") == "2")
        try holder.execute("COMMIT")
        done.wait()
        let results = outcomes.withLock { Array($0.values) }
        #expect(results.filter { $0 == .changed }.count == 1)
        #expect(results.filter { $0 == .lastAdmin }.count == 1)
        #expect(try database.scalar("SELECT count(*) FROM staff_account WHERE peran = 'admin' AND aktif") == "1")
    }
}
