import Foundation
import Testing
import TestSupport

/// The executable's contract (docs/behaviour.md: The executable): every failure exits non-zero with one clear line.
@Suite(.needs(.database, .binary))
struct CommandLineTests {
    let binary = TestEnvironment.binary ?? "/bin/false"

    func expectOneLineFailure(_ outcome: Subprocess.Outcome, mentioning text: String) {
        #expect(outcome.status != 0)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("studio-booking: "))
        #expect(outcome.stderr.contains(text), "stderr: \(outcome.stderr)")
    }

    @Test func migrateAgainstAnUnreachableDatabase() throws {
        let outcome = try Subprocess.run([binary, "migrate"], environment: ["DATABASE_URL": "host=/nonexistent-studio-booking dbname=x"])
        expectOneLineFailure(outcome, mentioning: "cannot migrate the database")
    }

    @Test func migrateTwiceChangesNothing() throws {
        let database = try TestDatabase.create(migrate: false)
        let first = try Subprocess.run([binary, "migrate"], environment: ["DATABASE_URL": database.url])
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("migrate: applied 001_legacy_schema"))
        let second = try Subprocess.run([binary, "migrate"], environment: ["DATABASE_URL": database.url])
        #expect(second.status == 0)
        #expect(second.stdout == "migrate: up to date\n")
    }

    @Test func serveRefusesAnUnmigratedDatabase() throws {
        let database = try TestDatabase.create(migrate: false)
        let outcome = try Subprocess.run(
            [binary, "serve", "--socket", "/tmp/studio-booking-never.sock"], environment: ["DATABASE_URL": database.url])
        expectOneLineFailure(outcome, mentioning: "run `studio-booking migrate` first")
    }

    @Test func serveRefusesAnUnreachableDatabase() throws {
        let outcome = try Subprocess.run(
            [binary, "serve", "--socket", "/tmp/studio-booking-never.sock"],
            environment: ["DATABASE_URL": "host=/nonexistent-studio-booking dbname=x"])
        expectOneLineFailure(outcome, mentioning: "cannot reach the database")
    }

    @Test(arguments: [["serve", "--workers", "0"], ["serve", "--socket", "a", "--bind", "127.0.0.1:1"],
                      ["serve", "--bind", ":9000"], ["bogus"]])
    func badArguments(_ arguments: [String]) throws {
        let outcome = try Subprocess.run([binary] + arguments)
        expectOneLineFailure(outcome, mentioning: "(see --help)")
    }

    @Test func aBadConfigurationValue() throws {
        let outcome = try Subprocess.run([binary, "migrate"], environment: ["BOOKING_TIMEZONE": "Mars/Olympus"])
        expectOneLineFailure(outcome, mentioning: "BOOKING_TIMEZONE")
    }

    @Test func serveKeepsTheSearchIndexUpToDateWithNobodySearching() throws {
        let database = try TestDatabase.create()
        let socket = "/tmp/studio-booking-refresh-\(UInt32.random(in: 0...UInt32.max)).sock"
        let serve = try Subprocess.start(
            [binary, "serve", "--socket", socket, "--workers", "1"],
            environment: ["DATABASE_URL": database.url, "LOG_FILE": "/dev/null"])
        defer {
            serve.signal(SIGTERM)
            _ = serve.wait()
            unlink(socket)
        }
        // Written behind the app's back, as an older system would: nobody searches this database.
        try database.connect().execute("INSERT INTO customer (kode_cs, nama_cs, telp) VALUES ('LG-1', 'Dewi Lestari', '0815 1234 9999')")
        #expect(try database.count("customer_search_stale") == 1)
        var indexed: String? = nil
        for _ in 0..<60 where indexed == nil {
            Thread.sleep(forTimeInterval: 0.25)
            indexed = try database.scalar("SELECT search_text FROM customer_search")
        }
        #expect(indexed == "lg-1 dewi lestari  081512349999")
        #expect(try database.count("customer_search_stale") == 0)
    }

    // MARK: - staff add

    @Test func staffAddCreatesThenResets() throws {
        let database = try TestDatabase.create()
        let environment = ["DATABASE_URL": database.url]
        let created = try Subprocess.run([binary, "staff", "add", "rina"], environment: environment, stdin: "rahasia-staf-1\n")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "staff add: created rina\n")
        let first = try #require(try database.scalar("SELECT password_hash FROM staff_account WHERE username = 'rina'"))
        #expect(first.hasPrefix("$argon2id$v=19$"))

        let reset = try Subprocess.run([binary, "staff", "add", "rina"], environment: environment, stdin: "kata-sandi-baru")
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stdout == "staff add: new password set for rina\n")
        #expect(try database.count("staff_account") == 1)
        #expect(try database.scalar("SELECT password_hash FROM staff_account WHERE username = 'rina'") != first)
    }

    @Test func staffAddRefusesWhatWillNotDo() throws {
        let database = try TestDatabase.create()
        let environment = ["DATABASE_URL": database.url]
        expectOneLineFailure(
            try Subprocess.run([binary, "staff", "add", "rina"], environment: environment, stdin: "pendek\n"),
            mentioning: "at least 8 characters")
        expectOneLineFailure(
            try Subprocess.run([binary, "staff", "add", "rina"], environment: environment), mentioning: "no password on stdin")
        expectOneLineFailure(
            try Subprocess.run([binary, "staff", "add", "two words"], environment: environment, stdin: "rahasia-staf-1"),
            mentioning: "USERNAME")
        expectOneLineFailure(
            try Subprocess.run(
                [binary, "staff", "add", "rina"], environment: ["DATABASE_URL": "host=/nonexistent-studio-booking dbname=x"],
                stdin: "rahasia-staf-1"),
            mentioning: "cannot save the staff account")
        #expect(try database.count("staff_account") == 0)
    }
}
