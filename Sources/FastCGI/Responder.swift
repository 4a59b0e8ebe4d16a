/// What a worker thread calls for each request. Each worker makes its own, so a responder may hold
/// state that is not `Sendable`, such as its own database connection.
public protocol Responder {
    mutating func respond(to request: Request) -> Response
}
