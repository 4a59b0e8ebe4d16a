import Foundation
import Glibc
import Synchronization
import Testing
import TestSupport

/// FastCGI keep-alive (`ConnectionPoller`): a connection nginx keeps open between requests must not
/// hold a worker while it is idle, and must not keep a stopping responder alive forever.
@Suite(.needs(.database, .binary))
struct KeptConnectionTests {
    let binary = TestEnvironment.binary ?? "/bin/false"
    static let health = ["REQUEST_METHOD": "GET", "REQUEST_URI": "/healthz", "DOCUMENT_URI": "/healthz", "SERVER_PROTOCOL": "HTTP/1.1"]

    /// A responder with one worker, on a socket of its own; `maxFiles` limits its descriptors.
    func startResponder(maxFiles: Int? = nil) throws -> (Subprocess.Running, FastCGIClient) {
        let database = try TestDatabase.create(migrate: true)
        let socket = NSTemporaryDirectory() + "kept-\(UUID().uuidString.prefix(8)).sock"
        let serve = [binary, "serve", "--socket", socket, "--workers", "1"]
        let responder = try Subprocess.start(
            maxFiles.map { ["/bin/sh", "-c", "ulimit -n \($0) && exec \"$@\"", "sh"] + serve } ?? serve,
            environment: [
                "DATABASE_URL": database.url, "LOG_FILE": NSTemporaryDirectory() + "kept-\(getpid()).log",
                "TEMPLATES_DIR": TestEnvironment.root + "/templates",
            ])
        for _ in 0..<100 where access(socket, F_OK) != 0 { usleep(50_000) }
        guard access(socket, F_OK) == 0 else {
            responder.signal(SIGKILL)
            throw TestSetupError("the responder did not listen within 5 s: \(responder.wait().stderr)")
        }
        return (responder, FastCGIClient(socketPath: socket))
    }

    @Test func anIdleKeptConnectionHoldsNoWorker() throws {
        let (responder, client) = try startResponder()
        defer { responder.signal(SIGKILL); _ = responder.wait() }

        let kept = try client.connect(timeout: 10)
        #expect(try kept.send(params: Self.health, body: [], keepConnection: true).status == 200)
        // The only worker would be reading `kept` for its next request, for up to 5 s (the read
        // timeout), had the connection stayed with it. It waits in the poller instead.
        let started = Date()
        #expect(try client.send(params: Self.health, body: [], timeout: 10).status == 200)
        #expect(Date().timeIntervalSince(started) < 4, "answered after \(Date().timeIntervalSince(started)) s")
        // And the kept connection still works afterwards.
        #expect(try kept.send(params: Self.health, body: [], keepConnection: false).status == 200)
        #expect(kept.closedByPeer())
    }

    @Test func aStoppingResponderServesItsKeptConnectionThenExits() throws {
        let (responder, client) = try startResponder()
        // A stop that never ends fails the test (killed: no exit 0) rather than hanging it.
        let exited = Mutex(false)
        DispatchQueue.global().asyncAfter(deadline: .now() + 20) {
            exited.withLock { if !$0 { responder.signal(SIGKILL) } }
        }
        var kept: FastCGIClient.Connection? = try client.connect(timeout: 15)
        #expect(try kept?.send(params: Self.health, body: [], keepConnection: true).status == 200)

        responder.signal(SIGTERM)
        usleep(300_000)
        // nginx may still send on a connection it keeps: the request is answered, not refused.
        #expect(try kept?.send(params: Self.health, body: [], keepConnection: true).status == 200)
        // Once the web server closes it, the responder exits at once, with 0.
        let closed = Date()
        kept = nil
        let outcome = responder.wait()
        exited.withLock { $0 = true }
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(Date().timeIntervalSince(closed) < 3, "exited \(Date().timeIntervalSince(closed)) s after the close")
    }

    /// Out of descriptors, the responder cannot accept; once some are free again it must, rather
    /// than stop listening for good.
    @Test func aResponderOutOfDescriptorsAcceptsAgainOnceSomeAreFree() throws {
        // 40: room for a few kept connections beside what a responder holds before any (its log, the
        // background threads' connections and wake pipes, the message sender's among them).
        let (responder, client) = try startResponder(maxFiles: 40)
        defer { responder.signal(SIGKILL); _ = responder.wait() }
        // Kept connections until one is not answered within a second: the responder is out of descriptors.
        var kept: [FastCGIClient.Connection] = []
        var stalled = false
        for _ in 0..<40 {
            let connection = try client.connect(timeout: 1)
            guard (try? connection.send(params: Self.health, body: [], keepConnection: true)) != nil else {
                stalled = true
                break
            }
            kept.append(connection)
        }
        try #require(stalled, "40 kept connections and still answering: the descriptor limit did not apply")
        try #require(kept.count >= 4, "only \(kept.count) kept connections before the limit: raise maxFiles")
        kept.removeFirst(4)  // the web server closes a few
        let answer = try client.send(params: Self.health, body: [], timeout: 10)
        #expect(answer.status == 200)
    }
}
