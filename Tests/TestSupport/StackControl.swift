import Foundation
import Postgres

/// The integrity stack of `make test` (.ci/test, second phase): its own database, two responders,
/// nginx; the fault tests stop and start its parts through `.ci/stackctl`.
public enum IntegrityStack {
    public static var runDirectory: String { ProcessInfo.processInfo.environment["TEST_INTEGRITY_RUN_DIR"]! }

    /// Runs `.ci/stackctl RUN_DIR action…` and returns what it printed.
    @discardableResult
    public static func control(_ arguments: String...) throws -> String {
        let outcome = try Subprocess.run([TestEnvironment.root + "/.ci/stackctl", runDirectory] + arguments)
        let text = (outcome.stdout + outcome.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome.status == 0 else {
            throw TestSetupError("stackctl \(arguments.joined(separator: " ")) failed (\(outcome.status)): \(text)")
        }
        return text
    }

    /// A new studio of this test's own, so its slots collide with no other test's.
    public static func makeStudio(_ name: String) throws -> String {
        try Connection(TestEnvironment.appDatabaseURL!).query(
            "INSERT INTO studio (nama_studio) VALUES ($1) RETURNING id_studio", [name]).decode(String.self)[0]
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
            let n = try db.query(sql).decode(Int.self)[0]
            return n == 0 ? nil : "\(n) \(name)"
        }
    }
}
