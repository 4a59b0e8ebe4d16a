import Foundation
import Glibc
@testable import StudioBooking
import Testing
import TestSupport

/// A streamed body through the real transport (`BodyStream`, `RequestSlot.write`): the CSV export
/// of a responder on a database of its own, spoken to in FastCGI as nginx would.
@Suite(.needs(.database, .binary))
struct StreamedBodyTests {
    let binary = TestEnvironment.binary ?? "/bin/false"

    /// A responder with one worker, a staff session it knows, and the request for the CSV.
    func startResponder(customers: Int) throws -> (TestDatabase, Subprocess.Running, FastCGIClient, [String: String]) {
        let database = try TestDatabase.create(migrate: true)
        let token = RandomID.make()
        try database.connect().execute(
            """
            INSERT INTO customer (kode_cs, nama_cs, telp)
            SELECT 'CS-' || lpad(i::text, 6, '0'), 'Isi ' || i, '0858' || lpad(i::text, 8, '0')
            FROM generate_series(1, \(customers)) AS i;
            INSERT INTO staff_account (username, password_hash) VALUES ('rina', 'x');
            INSERT INTO staff_session (token_hash, username, expires_at)
            VALUES ('\(StaffSession(token: token).tokenHash)', 'rina', now() + interval '1 hour')
            """)
        let socket = NSTemporaryDirectory() + "stream-\(UUID().uuidString.prefix(8)).sock"
        let responder = try Subprocess.start(
            [binary, "serve", "--socket", socket, "--workers", "1"],
            environment: [
                "DATABASE_URL": database.url, "LOG_FILE": NSTemporaryDirectory() + "stream-\(getpid()).log",
                "TEMPLATES_DIR": TestEnvironment.root + "/templates",
            ])
        for _ in 0..<100 where access(socket, F_OK) != 0 { usleep(50_000) }
        guard access(socket, F_OK) == 0 else {
            responder.signal(SIGKILL)
            throw TestSetupError("the responder did not listen within 5 s: \(responder.wait().stderr)")
        }
        let request = [
            "REQUEST_METHOD": "GET", "REQUEST_URI": "/staff/customers.csv", "DOCUMENT_URI": "/staff/customers.csv",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_COOKIE": "sb_staff=\(token)",
        ]
        return (database, responder, FastCGIClient(socketPath: socket), request)
    }

    @Test func aStreamedExportArrivesWholeWithoutALength() throws {
        let customers = CustomerMasterStore.exportPage + 10
        let (_, responder, client, request) = try startResponder(customers: customers)
        defer { responder.signal(SIGKILL); _ = responder.wait() }
        let reply = try client.send(params: request, body: [], timeout: 60)
        #expect(reply.status == 200)
        let parts = reply.stdout.components(separatedBy: "\r\n\r\n")
        let head = parts[0]
        #expect(head.contains("Content-Type: text/csv; charset=utf-8"))
        #expect(!head.lowercased().contains("content-length"))
        let body = parts.dropFirst().joined(separator: "\r\n\r\n")
        #expect(body.hasPrefix("\u{FEFF}kode_cs,"))
        #expect(body.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == customers + 1)
    }

    /// The head is out when the database refuses the first page: the connection ends without the
    /// request's end record, so nginx reports a broken download instead of passing on an empty file.
    @Test func anExportTheDatabaseRefusesEndsWithoutItsEndRecord() throws {
        let (database, responder, client, request) = try startResponder(customers: 10)
        defer { responder.signal(SIGKILL); _ = responder.wait() }
        try database.connect().execute("ALTER FUNCTION sb_phone_owner(text) RENAME TO sb_phone_owner_gone")
        #expect {
            try client.send(params: request, body: [], timeout: 30)
        } throws: { error in
            "\(error)".contains("closed the connection before its reply ended")
        }
        // The worker goes on serving.
        try database.connect().execute("ALTER FUNCTION sb_phone_owner_gone(text) RENAME TO sb_phone_owner")
        #expect(try client.send(params: request, body: [], timeout: 30).status == 200)
    }
}
