import Foundation
import Glibc

/// Speaks FastCGI to a responder's unix socket directly, the way nginx would — or the way nginx
/// never would: lying lengths, missing records, stalls.
public struct FastCGIClient: Sendable {
    public let socketPath: String

    public init(socketPath: String) { self.socketPath = socketPath }

    public struct Reply: Sendable {
        /// The `Status:` the responder named, 200 when it named none.
        public let status: Int
        public let stdout: String
    }

    /// Sends one request. `body` goes out as STDIN records; `endStdin` false leaves the stream open
    /// (a stalled client). A reply that takes longer than `timeout` seconds is an error.
    public func send(params: [String: String], body: [UInt8], endStdin: Bool = true, timeout: Int = 30) throws -> Reply {
        try connect(timeout: timeout).send(params: params, body: body, endStdin: endStdin, keepConnection: false)
    }

    /// Sends the requests one after another on one connection, each but the last asking the
    /// responder to keep the connection open afterwards (FCGI_KEEP_CONN, nginx's
    /// `fastcgi_keep_conn on`). Returns the replies, and whether the responder closed the
    /// connection after the last one (it must, as the last one did not ask to keep it).
    public func sendOnOneConnection(_ requests: [(params: [String: String], body: [UInt8])], timeout: Int = 30) throws
        -> (replies: [Reply], closedAfterLast: Bool)
    {
        let connection = try connect(timeout: timeout)
        var replies: [Reply] = []
        for (i, request) in requests.enumerated() {
            replies.append(
                try connection.send(params: request.params, body: request.body, keepConnection: i < requests.count - 1))
        }
        return (replies, connection.closedByPeer())
    }

    /// A connection of its own, for requests sent when the test chooses.
    public func connect(timeout: Int = 30) throws -> Connection {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPError("socket: errno \(errno)") }
        let connection = Connection(fd: fd, timeout: timeout)
        SocketIO.setReceiveTimeout(fd, seconds: timeout)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, byte) in socketPath.utf8.prefix(buffer.count - 1).enumerated() { buffer[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw HTTPError("connect \(socketPath): errno \(errno)") }
        return connection
    }

    /// One connection to the responder; closed when released.
    public final class Connection {
        let fd: Int32
        let timeout: Int

        init(fd: Int32, timeout: Int) {
            self.fd = fd
            self.timeout = timeout
        }

        deinit { close(fd) }

        /// One request; `keepConnection` asks the responder to keep the connection open afterwards.
        public func send(params: [String: String], body: [UInt8], endStdin: Bool = true, keepConnection: Bool) throws -> Reply {
            var out: [UInt8] = []
            // BEGIN_REQUEST: role responder; flags 1 = FCGI_KEEP_CONN, 0 = close after the reply.
            out += FastCGIClient.record(type: 1, [0, 1, keepConnection ? 1 : 0, 0, 0, 0, 0, 0])
            var pairs: [UInt8] = []
            for (name, value) in params.sorted(by: { $0.key < $1.key }) {
                pairs += FastCGIClient.length(name.utf8.count) + FastCGIClient.length(value.utf8.count)
                    + Array(name.utf8) + Array(value.utf8)
            }
            out += FastCGIClient.record(type: 4, pairs) + FastCGIClient.record(type: 4, [])
            var offset = 0
            while offset < body.count {
                let chunk = Array(body[offset..<min(offset + 32768, body.count)])
                out += FastCGIClient.record(type: 5, chunk)
                offset += chunk.count
            }
            if endStdin { out += FastCGIClient.record(type: 5, []) }
            SocketIO.sendAll(fd, out)
            let (raw, timedOut) = SocketIO.receive(fd, until: FastCGIClient.hasEndRequest)
            if timedOut { throw HTTPError("no reply within \(timeout) s") }
            guard FastCGIClient.hasEndRequest(raw) else { throw HTTPError("the responder closed the connection before its reply ended") }
            let stdout = String(decoding: FastCGIClient.stdout(of: raw), as: UTF8.self)
            let statusLine = stdout.split(separator: "\r\n").first { $0.hasPrefix("Status: ") }
            let status = statusLine.flatMap { Int($0.dropFirst(8).prefix(3)) } ?? 200
            return Reply(status: status, stdout: stdout)
        }

        /// Whether the responder has closed its end (waits up to the timeout for it to).
        public func closedByPeer() -> Bool {
            let (rest, timedOut) = SocketIO.receive(fd)
            return rest.isEmpty && !timedOut
        }
    }

    static func record(type: UInt8, _ content: [UInt8]) -> [UInt8] {
        [1, type, 0, 1, UInt8(content.count >> 8), UInt8(content.count & 0xff), 0, 0] + content
    }

    static func length(_ n: Int) -> [UInt8] {
        n < 128 ? [UInt8(n)] : [UInt8((n >> 24) | 0x80), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)]
    }

    /// Walks the records; STDOUT contents concatenated.
    static func stdout(of raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i + 8 <= raw.count {
            let length = Int(raw[i + 4]) << 8 | Int(raw[i + 5])
            let padding = Int(raw[i + 6])
            guard i + 8 + length <= raw.count else { break }
            if raw[i + 1] == 6 { out += raw[(i + 8)..<(i + 8 + length)] }
            i += 8 + length + padding
        }
        return out
    }

    static func hasEndRequest(_ raw: [UInt8]) -> Bool {
        var i = 0
        while i + 8 <= raw.count {
            if raw[i + 1] == 3 { return true }
            i += 8 + (Int(raw[i + 4]) << 8 | Int(raw[i + 5])) + Int(raw[i + 6])
        }
        return false
    }
}
