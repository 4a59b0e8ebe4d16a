import Foundation
import Postgres

/// The integrity stack of `make test` (.ci/test, second phase): its own database, two responders,
/// nginx; the fault tests stop and start its parts through `.ci/stackctl`.
public enum IntegrityStack {
    public static var isAvailable: Bool {
        TestEnvironment.hasStack && ProcessInfo.processInfo.environment["TEST_INTEGRITY_RUN_DIR"] != nil
    }

    static var runDirectory: String { ProcessInfo.processInfo.environment["TEST_INTEGRITY_RUN_DIR"]! }

    /// Runs `.ci/stackctl RUN_DIR action…` and returns what it printed.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`, which waits for every holder of
    /// the child's descriptors: stackctl may leave PostgreSQL or a responder running behind it.
    @discardableResult
    public static func control(_ arguments: String...) throws -> String {
        let outputPath = NSTemporaryDirectory() + "stackctl-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = [TestEnvironment.root + "/.ci/stackctl", runDirectory] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw TestSetupError("cannot run stackctl: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // WIFEXITED and WEXITSTATUS are macros: exited normally when the low 7 bits are 0.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw TestSetupError("stackctl \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
        return text
    }

    /// A new studio of this test's own, so its slots collide with no other test's.
    public static func makeStudio(_ name: String) throws -> String {
        try Connection(TestEnvironment.appDatabaseURL!).query(
            "INSERT INTO studio (nama_studio) VALUES ($1) RETURNING id_studio", [name])[0].string(0)
    }

    /// The row-level guarantees after any fault (issue 3): every booking has its customer; every
    /// customer the app touched carries one of its bookings' dates; codes are gapless and unique.
    public static func integrityViolations() throws -> [String] {
        let db = try Connection(TestEnvironment.appDatabaseURL!)
        let checks = [
            ("bookings without their customer",
             """
             SELECT count(*) FROM booking_online b WHERE b.ref IS NOT NULL
               AND (b.kode_cs IS NULL OR NOT EXISTS (SELECT 1 FROM customer c WHERE c.kode_cs = b.kode_cs))
             """),
            ("customers without any booking", "SELECT count(*) FROM customer c WHERE NOT EXISTS (SELECT 1 FROM booking_online b WHERE b.kode_cs = c.kode_cs)"),
            ("customers whose latest booking date is no booking of theirs",
             """
             SELECT count(*) FROM customer c WHERE NOT EXISTS (SELECT 1 FROM booking_online b
               WHERE b.kode_cs = c.kode_cs AND b.tanggal_booking + b.jam_booking = c.tanggal_booking)
             """),
            ("duplicate customer codes", "SELECT count(*) - count(DISTINCT kode_cs) FROM customer"),
            ("gaps in customer codes", "SELECT coalesce(max(sb_kode_number(kode_cs)), 0) - count(*) FROM customer"),
            ("customers sharing a phone", "SELECT count(*) - count(DISTINCT telp) FROM customer"),
            ("slots booked twice", "SELECT count(*) - count(DISTINCT (studio_id, tanggal_booking, jam_booking)) FROM booking_online"),
        ]
        return try checks.compactMap { name, sql in
            let n = try db.query(sql)[0].int(0)
            return n == 0 ? nil : "\(n) \(name)"
        }
    }
}
