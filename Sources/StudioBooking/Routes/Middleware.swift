import HTTPMessages
import Postgres

/// Work around every handler, in the style of Hummingbird's `RouterMiddleware`: each may answer
/// itself, or call `next` and change what comes back.
protocol Middleware: Sendable {
    typealias Next = (Request, RequestContext) throws(PostgresError) -> Response
    func handle(_ request: Request, _ context: RequestContext, next: Next) throws(PostgresError) -> Response
}

extension Array where Element == any Middleware {
    /// Runs `handler` inside every middleware, the first one outermost.
    func run(
        _ request: Request, _ context: RequestContext, from index: Int = 0, _ handler: Middleware.Next
    ) throws(PostgresError) -> Response {
        guard index < count else { return try handler(request, context) }
        return try self[index].handle(request, context) { request, context throws(PostgresError) -> Response in
            try run(request, context, from: index + 1, handler)
        }
    }
}

/// The outermost layer: a database failure no handler dealt with is logged once, with the page's
/// name and the cause, and answered with the outage page, never a bare 500. Nothing gets past it.
struct OutagePage: Sendable {
    let views: Views
    let log: EventLog

    func handle(_ request: Request, _ context: RequestContext, next: Middleware.Next) -> Response {
        do {
            return try next(request, context)
        } catch {
            log.error("\(context.routeName) failed", error)
            let text = context.access.needsSignIn ? Copy.staffDatabaseDown : Copy.databaseDown
            return views.message(.serviceUnavailable, heading: "Layanan sedang terganggu", text)
        }
    }
}

/// The visitor cookie, set on every answer that carries a form token for a new visitor.
struct VisitorCookie: Middleware {
    func handle(_ request: Request, _ context: RequestContext, next: Next) throws(PostgresError) -> Response {
        context.finish(try next(request, context))
    }
}
