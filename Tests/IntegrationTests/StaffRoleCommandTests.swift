import Foundation
import Testing
import TestSupport

/// `studio-booking staff add USERNAME [--admin]` and the role it gives (docs/behaviour.md: The executable).
@Suite(.needs(.database, .binary))
struct StaffRoleCommandTests {
    let binary = TestEnvironment.binary ?? "/bin/false"

    @Test func aNewAccountIsStafUnlessAdminAndAResetKeepsTheRoleUnlessAdmin() throws {
        let database = try TestDatabase.create()
        let environment = ["DATABASE_URL": database.url]
        func role(_ username: String) throws -> String? {
            try database.scalar("SELECT peran FROM staff_account WHERE username = $1", [username])
        }
        func add(_ arguments: [String]) throws {
            let outcome = try Subprocess.run([binary, "staff", "add"] + arguments, environment: environment, stdin: "rahasia-staf-1\n")
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        }
        try add(["rina"])
        #expect(try role("rina") == "staf")
        try add(["dewi", "--admin"])
        #expect(try role("dewi") == "admin")
        // A new password alone keeps the role; with --admin it makes an admin.
        try add(["dewi"])
        #expect(try role("dewi") == "admin")
        try add(["--admin", "rina"])
        #expect(try role("rina") == "admin")
    }
}
