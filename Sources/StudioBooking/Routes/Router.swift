import HTTPMessages
import HTTPTypes
import Postgres

/// The one route table: each route a method, a path pattern and a handler, registered by the
/// controllers (`App+Routes.swift`). Not found, method not allowed and its `Allow` list are derived
/// from the table, never written by hand.
struct Router: Sendable {
    /// A handler: a request and its context in, a response out. A database failure it does not
    /// handle itself becomes the outage page, and a log line naming the route (`failure`).
    typealias Handler = @Sendable (Request, RequestContext, PathParameters) throws(PostgresError) -> Response

    struct Route: Sendable {
        let method: HTTPRequest.Method
        let pattern: PathPattern
        let access: Access
        /// What the log calls this page when it fails: "Customer list" → "Customer list failed: …".
        let name: String
        let handler: Handler
    }

    /// Who may reach a route. `StaffGate` enforces both staff cases, in one place.
    enum Access: Sendable {
        case anyone
        /// A signed-in staff member: anyone else is sent to sign in.
        case staff
        /// A signed-in admin (docs/behaviour.md: The staff area): a `staf` account gets 403.
        case admin

        /// Whether the request must carry a live staff session.
        var needsSignIn: Bool { self != .anyone }
    }

    private(set) var routes: [Route] = []
    /// Path prefixes whose every path, routed or not, needs this access (`/staff`): an unknown
    /// staff address sends a visitor who is not signed in to the sign-in page, not to a 404.
    private var areas: [(prefix: String, access: Access)] = []

    mutating func add(
        _ method: HTTPRequest.Method, _ pattern: PathPattern, access: Access = .anyone, name: String,
        _ handler: @escaping Handler
    ) {
        routes.append(Route(method: method, pattern: pattern, access: access, name: name, handler: handler))
    }

    mutating func area(_ prefix: String, access: Access) {
        areas.append((prefix, access))
    }

    /// What the table says of a request.
    enum Resolution {
        case route(Route, PathParameters)
        case methodNotAllowed(allow: [HTTPRequest.Method], access: Access)
        case notFound(access: Access)
    }

    func resolve(_ request: Request) -> Resolution {
        // HEAD is GET without the body; the web server drops the body.
        let method = request.method == .head ? .get : request.method
        let segments = PathPattern.segments(of: request.path)
        var allow: [HTTPRequest.Method] = []
        var access = Access.anyone
        for route in routes {
            guard let parameters = route.pattern.match(segments) else { continue }
            if route.method == method { return .route(route, parameters) }
            if !allow.contains(route.method) { allow.append(route.method) }
            access = route.access
        }
        if !allow.isEmpty { return .methodNotAllowed(allow: allow, access: access) }
        let area = areas.first { request.path == $0.prefix || request.path.hasPrefix($0.prefix + "/") }
        return .notFound(access: area?.access ?? .anyone)
    }
}

/// A path of literal segments and named parameters: `/staff/customers/{kode_cs}`.
struct PathPattern: Sendable, ExpressibleByStringLiteral {
    enum Segment: Sendable, Equatable {
        case literal(Substring)
        case parameter(String)
    }

    let segments: [Segment]

    init(stringLiteral pattern: String) {
        segments = Self.segments(of: pattern).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}")
                ? .parameter(String(segment.dropFirst().dropLast())) : .literal(segment)
        }
    }

    /// `/a/b/` → `a`, `b`, ``: a trailing slash is a segment of its own, so `/staff/` ≠ `/staff`.
    static func segments(of path: String) -> [Substring] {
        Array(path.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
    }

    func match(_ path: [Substring]) -> PathParameters? {
        guard path.count == segments.count else { return nil }
        var parameters = PathParameters()
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let literal): guard literal == part else { return nil }
            // An empty segment is no value: `/booking/` is not the confirmation of a booking "".
            case .parameter(let name): guard !part.isEmpty else { return nil }; parameters.values[name] = part
            }
        }
        return parameters
    }
}

/// The values of a matched route's parameters, still percent-encoded.
struct PathParameters: Sendable {
    fileprivate(set) var values: [String: Substring] = [:]

    /// The parameter as its type reads it; nil when it does not (the route then answers 404).
    /// A NUL, raw or `%00`, is refused here for every type: no row has one, and PostgreSQL cannot
    /// even be asked (text refuses U+0000).
    func get<Value: PathParameter>(_ name: String, as type: Value.Type = Value.self) -> Value? {
        guard let segment = values[name], !segment.utf8.contains(0), !segment.contains("%00") else { return nil }
        return Value(pathSegment: segment)
    }
}

/// A type a route parameter is read as: a malformed one is a page that does not exist.
protocol PathParameter {
    init?(pathSegment: Substring)
}
