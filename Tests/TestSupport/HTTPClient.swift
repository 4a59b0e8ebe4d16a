import Foundation
import Glibc

/// A deliberately small HTTP/1.1 client over a plain socket: it sends exactly the bytes a test
/// wants (lying lengths, chunked bodies) and never follows redirects on its own.
public struct HTTPClient: Sendable {
    public struct Reply: Sendable {
        public let status: Int
        public let headers: [(name: String, value: String)]
        public let body: String

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// Every `Set-Cookie` as `name=value`, ready for a `Cookie` header.
        public var cookies: [String] {
            headers.filter { $0.name.lowercased() == "set-cookie" }.compactMap {
                $0.value.split(separator: ";").first.map(String.init)
            }
        }
    }

    public let host: String
    public let port: UInt16
    /// The loopback address requests come from. nil: a new random one for every request, so that
    /// tests look like many visitors to nginx's per-address limits.
    public let source: String?

    /// From `http://HOST:PORT`.
    public init(baseURL: String, source: String? = nil) {
        let hostPort = baseURL.replacingOccurrences(of: "http://", with: "").split(separator: ":")
        host = String(hostPort[0])
        port = UInt16(hostPort[1])!
        self.source = source
    }

    /// A random address in 127.0.0.0/8 other than 127.0.0.1; Linux answers on all of them.
    public static func randomLoopback() -> String {
        "127.\(Int.random(in: 1...254)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
    }

    public func get(_ path: String, cookies: [String] = []) throws -> Reply {
        try send(request(method: "GET", path: path, headers: cookieHeader(cookies), body: []))
    }

    public func post(_ path: String, form: String, cookies: [String] = [],
                     contentType: String = "application/x-www-form-urlencoded") throws -> Reply {
        var headers = cookieHeader(cookies)
        headers.append(("Content-Type", contentType))
        return try send(request(method: "POST", path: path, headers: headers, body: Array(form.utf8)))
    }

    public func request(method: String, path: String, headers: [(String, String)], body: [UInt8]) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method == "POST" && !headers.contains(where: { $0.0.lowercased() == "transfer-encoding" }) {
            head += "Content-Length: \(body.count)\r\n"
        }
        return Array((head + "\r\n").utf8) + body
    }

    private func cookieHeader(_ cookies: [String]) -> [(String, String)] {
        cookies.isEmpty ? [] : [("Cookie", cookies.joined(separator: "; "))]
    }

    /// Sends raw bytes and reads the whole answer (the server closes the connection).
    public func send(_ bytes: [UInt8], timeout seconds: Int = 30) throws -> Reply {
        let raw = try exchange(bytes, timeout: seconds)
        return try Self.parse(raw)
    }

    public func exchange(_ bytes: [UInt8], timeout seconds: Int = 30) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPError("socket: \(errno)") }
        defer { close(fd) }
        SocketIO.setReceiveTimeout(fd, seconds: seconds)
        var from = sockaddr_in()
        from.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source ?? Self.randomLoopback(), &from.sin_addr)
        let bound = withUnsafePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw HTTPError("bind to \(source ?? "a loopback address"): errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw HTTPError("connect to \(host):\(port): errno \(errno)") }
        SocketIO.sendAll(fd, bytes)
        return SocketIO.receive(fd).bytes
    }

    static func parse(_ raw: [UInt8]) throws -> Reply {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let split = raw.firstRange(of: separator) else { throw HTTPError("no HTTP head in \(raw.count) bytes") }
        let head = String(decoding: raw[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HTTPError("bad status line \(head[0])") }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(raw[split.upperBound...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased() == "chunked" }) {
            body = dechunk(body)
        }
        return Reply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while let lineEnd = bytes[index...].firstRange(of: Array("\r\n".utf8)) {
            let sizeText = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";")[0], radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            out += bytes[start..<min(start + size, bytes.count)]
            index = start + size + 2
            if index >= bytes.count { break }
        }
        return out
    }
}

public struct HTTPError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
