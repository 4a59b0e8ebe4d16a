import Foundation
import Glibc
import Testing
import TestSupport

/// `serve` with neither --socket nor --bind: the listening socket is fd 0, handed over by systemd
/// (deploy/studio-booking@.socket, `StandardInput=socket`) and kept by it across restarts.
@Suite(.needs(.database, .binary))
struct InheritedSocketTests {
    let binary = TestEnvironment.binary ?? "/bin/false"
    static let health = ["REQUEST_METHOD": "GET", "REQUEST_URI": "/healthz", "DOCUMENT_URI": "/healthz", "SERVER_PROTOCOL": "HTTP/1.1"]

    /// A listening unix socket owned by the test, as systemd owns the socket unit's.
    func listeningSocket(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw TestSetupError("bind or listen on \(path): errno \(errno)")
        }
        return fd
    }

    @Test func aRestartedResponderAcceptsOnTheSocketItsPredecessorStoppedOn() throws {
        let database = try TestDatabase.create(migrate: true)
        let path = NSTemporaryDirectory() + "inherited-\(UUID().uuidString.prefix(8)).sock"
        let listener = try listeningSocket(at: path)
        defer { close(listener); unlink(path) }
        let environment = [
            "DATABASE_URL": database.url, "LOG_FILE": "/dev/null", "TEMPLATES_DIR": TestEnvironment.root + "/templates",
        ]
        let client = FastCGIClient(socketPath: path)
        func start() throws -> Subprocess.Running {
            try Subprocess.start([binary, "serve", "--workers", "1"], environment: environment, stdinDescriptor: listener)
        }

        let first = try start()
        // Queued on the socket until the responder is up, then answered.
        #expect(try client.send(params: Self.health, body: [], timeout: 15).status == 200)
        first.signal(SIGTERM)
        let stopped = first.wait()
        #expect(stopped.status == 0, "stderr: \(stopped.stderr)")

        // Between the two, a connection waits on the socket, as under systemd during a restart:
        // the stop must not have shut the shared socket down (every connect would be refused).
        let waiting = try client.connect(timeout: 15)
        let second = try start()
        defer { second.signal(SIGKILL); _ = second.wait() }
        #expect(try waiting.send(params: Self.health, body: [], keepConnection: false).status == 200)
        #expect(try client.send(params: Self.health, body: [], timeout: 15).status == 200)
    }
}
