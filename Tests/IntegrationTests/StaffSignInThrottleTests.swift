import Foundation
import HTTPMessages
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// Failed sign-ins slowed per user name (migration 014, `SignInThrottle`), and a PBKDF2 hash
/// replaced by argon2id at the sign-in that proves it, through the router against a real PostgreSQL.
@Suite(.needs(.database))
struct StaffSignInThrottleTests {
    static let password = "rahasia-staf-1"

    static func studio() throws -> (TestDatabase, BookingClient) {
        let database = try TestDatabase.create(fixture: try TestEnvironment.legacyFixture())
        _ = try StaffStore.setPassword(try database.connect(), username: "rina", passwordHash: try StaffAccount.hash(password))
        _ = try StaffStore.setPassword(try database.connect(), username: "sari", passwordHash: try StaffAccount.hash(password))
        return (database, try BookingClient(database: database))
    }

    /// Each attempt from a browser of its own (the address does not matter to this count: nginx
    /// counts per address, this per name).
    static func attempt(_ client: BookingClient, _ username: String, _ password: String) -> Response {
        var staff = StaffClient(client.app.makeResponder())
        return staff.signIn(username, password)
    }

    @Test func aNameWithFiveFailuresIsRefusedEvenWithTheRightPassword() throws {
        let (database, client) = try Self.studio()
        for _ in 1...SignInThrottle.limit {
            #expect(Self.attempt(client, "rina", "salah-terus").status == 401)
        }
        let refused = Self.attempt(client, "rina", Self.password)
        #expect(refused.status == 429)
        #expect(refused.text.contains("Terlalu banyak percobaan masuk"))
        #expect(refused.text.contains("value=\"rina\""))
        #expect(try database.scalar("SELECT count(*) FROM staff_session") == "0")
        // Another name is not slowed by them.
        #expect(Self.attempt(client, "sari", Self.password).status == 303)
        #expect(client.log().contains(" info Staff sign-in refused for rina: too many failed attempts\n"))
        // Once the failures are older than the window, the name may try again.
        try database.connect().execute("UPDATE staff_signin_failure SET failed_at = failed_at - interval '16 minutes'")
        #expect(Self.attempt(client, "rina", Self.password).status == 303)
        #expect(try database.count("staff_signin_failure") == 0)
    }

    /// A name that does not exist is slowed the same way: being slowed says nothing of which names exist.
    @Test func anUnknownNameIsSlowedAlike() throws {
        let (_, client) = try Self.studio()
        for _ in 1...SignInThrottle.limit {
            #expect(Self.attempt(client, "siapa", "apa-saja-1").status == 401)
        }
        #expect(Self.attempt(client, "siapa", "apa-saja-1").status == 429)
    }

    @Test func aSuccessForgetsTheNamesEarlierFailures() throws {
        let (database, client) = try Self.studio()
        for _ in 1..<SignInThrottle.limit {
            #expect(Self.attempt(client, "rina", "salah-terus").status == 401)
        }
        #expect(Self.attempt(client, "rina", Self.password).status == 303)
        #expect(try database.count("staff_signin_failure") == 0)
        #expect(Self.attempt(client, "rina", "salah-lagi").status == 401)
    }

    /// Attempts sent at once are counted as they start: of twelve wrong ones, exactly five are checked.
    @Test func attemptsAtOnceCannotAllSlipThrough() throws {
        let (database, _) = try Self.studio()
        let statuses = concurrently(12) { _ -> Int in
            guard let client = try? BookingClient(database: database) else { return 0 }
            return Self.attempt(client, "rina", "salah-terus").status.code
        }
        #expect(statuses.filter { $0 == 401 }.count == SignInThrottle.limit)
        #expect(statuses.filter { $0 == 429 }.count == 12 - SignInThrottle.limit)
    }

    // MARK: - An older hash replaced

    @Test func aPBKDF2HashIsReplacedByArgon2idAtSignIn() throws {
        let (database, client) = try Self.studio()
        try database.connect().query(
            "UPDATE staff_account SET password_hash = $1 WHERE username = 'rina'", [PBKDF2.hash(Self.password, rounds: 1000)])
        #expect(Self.attempt(client, "rina", "salah-terus").status == 401)
        #expect(try database.scalar("SELECT password_hash FROM staff_account WHERE username = 'rina'")?.hasPrefix("pbkdf2-sha256$") == true)
        #expect(Self.attempt(client, "rina", Self.password).status == 303)
        let stored = try #require(try database.scalar("SELECT password_hash FROM staff_account WHERE username = 'rina'"))
        #expect(stored.hasPrefix("$argon2id$v=19$m=65536,t=2,p=1$"))
        #expect(Password.verify(Self.password, against: stored))
        #expect(client.log().contains(" info Staff password rehashed to argon2id: rina\n"))
        // And the new hash signs in.
        #expect(Self.attempt(client, "rina", Self.password).status == 303)
    }
}
