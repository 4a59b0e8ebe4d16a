import HTTPTypes

/// One HTTP request as the web server handed it over: a plain value that the product owns, free
/// of any transport, so handlers and tests need no socket, stdin or environment.
public struct Request: Sendable {
    /// What the transport could make of the body.
    public enum Body: Sendable, Equatable {
        case complete([UInt8])
        /// `Content-Length` announced more than the responder accepts; nothing was read.
        case tooLarge
        /// Fewer bytes arrived than `Content-Length` promised, or the length was unreadable.
        case malformed
    }

    public var method: HTTPRequest.Method
    /// The path without the query string, still percent-encoded.
    public var path: String
    public var query: String
    public var headerFields: HTTPFields
    /// Whether the client reached the web server over HTTPS (so cookies get `Secure`).
    public var isHTTPS: Bool
    public var body: Body

    public init(
        method: HTTPRequest.Method, path: String, query: String = "", headerFields: HTTPFields = [:],
        isHTTPS: Bool = false, body: Body = .complete([])
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headerFields = headerFields
        self.isHTTPS = isHTTPS
        self.body = body
    }

    /// A request header by its HTTP name (`Cookie`, `Content-Type`); repeated ones combined.
    public func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headerFields[$0] }
    }
}

/// What a worker thread calls for each request. Each worker makes its own, so a responder may hold
/// state that is not `Sendable`, such as its own database connection.
public protocol Responder {
    mutating func respond(to request: Request) -> Response
}
