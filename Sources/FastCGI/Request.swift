/// One HTTP request as the web server handed it over: a plain value, free of libfcgi.
public struct Request: Sendable {
    /// What the transport could make of the body.
    public enum Body: Sendable, Equatable {
        case complete([UInt8])
        /// `CONTENT_LENGTH` announced more than the responder accepts; nothing was read.
        case tooLarge
        /// Fewer bytes arrived than `CONTENT_LENGTH` promised, or the length was unreadable.
        case malformed
    }

    public var method: String
    /// The path without the query string, still percent-encoded.
    public var path: String
    public var query: String
    /// CGI parameters as the server sent them (`CONTENT_TYPE`, `HTTP_COOKIE`, `REMOTE_ADDR`, …).
    public var parameters: [String: String]
    public var body: Body

    public init(
        method: String, path: String, query: String = "",
        parameters: [String: String] = [:], body: Body = .complete([])
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.parameters = parameters
        self.body = body
    }

    /// A request header by its HTTP name (`Cookie`, `Content-Type`).
    public func header(_ name: String) -> String? {
        let key = name.uppercased().replacingDashes()
        if key == "CONTENT_TYPE" || key == "CONTENT_LENGTH" { return parameters[key] }
        return parameters["HTTP_" + key]
    }
}

extension String {
    fileprivate func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
