import HTTPTypes

/// One answer: a status, header fields and a body, written back to the web server by the transport.
public struct Response: Sendable {
    public var status: HTTPResponse.Status
    public var headerFields: HTTPFields
    public var body: [UInt8]
    /// A body written in pieces after the head, instead of `body` (which is then empty): a large
    /// download never sits in memory whole. Sent without a Content-Length.
    public var stream: BodyStream?

    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], stream: BodyStream) {
        self.init(status: status, headerFields: headerFields)
        self.stream = stream
    }

    /// The first header of that name, case-insensitively.
    public func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headerFields[values: $0].first }
    }

    /// The body as text, for tests and logs; a streamed body is produced for it.
    public var text: String { String(decoding: stream?.collect() ?? body, as: UTF8.self) }
}

/// A body produced piece by piece: `produce` calls `write` with each piece, in order; `write`
/// answers false once the bytes can no longer be delivered (the producer then stops). `produce`
/// answers false when it could not finish: the transport then ends the connection without ending
/// the response properly, so that the client sees a broken download rather than a short one
/// that looks whole.
///
/// Unchecked `Sendable`: a response is written by the worker thread that made it, at once, so the
/// producer runs on that thread with what it captured there (that worker's database connection,
/// which is not `Sendable`), and runs once.
public struct BodyStream: @unchecked Sendable {
    public let produce: (_ write: ([UInt8]) -> Bool) -> Bool

    public init(_ produce: @escaping (_ write: ([UInt8]) -> Bool) -> Bool) {
        self.produce = produce
    }

    /// Every piece in one array, or nil when the producer failed: for tests, which read the body whole.
    public func collect() -> [UInt8]? {
        var all: [UInt8] = []
        return produce { all += $0; return true } ? all : nil
    }
}
