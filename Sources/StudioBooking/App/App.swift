import FastCGI
import Foundation
import Postgres
import Synchronization

/// The product, built once at start-up and shared, immutable, by every worker thread.
public final class App: Sendable {
    public let config: AppConfig
    let views: Views
    let validator: BookingValidator
    let log: EventLog
    /// The last studio list read from the database: the form can still be shown, with every
    /// choice, while the database is away.
    let studioCache = Mutex<StudioCache>(StudioCache())
    /// The empty form as bytes, for the current studio list and day.
    let blankForm = Mutex<BlankForm?>(nil)
    /// The CSRF key, once any worker (or `serve`, at start) has read it from the database: every
    /// worker then signs and checks forms alike, even if it first serves a form during an outage.
    let csrf = Mutex<CSRFGuard?>(nil)
    /// Bookings that arrive together go to the database together, on connections of their own.
    let batcher: Batcher<BookingItem, BookingAnswer>
    /// Started by `serve` (`startSearchRefresher`).
    let searchRefresher = Mutex<SearchRefresher?>(nil)

    /// Loads the templates and opens the log; a missing template or an unwritable log stops the start.
    public init(config: AppConfig, calendar: BookingCalendar? = nil) throws(ConfigError) {
        self.config = config
        views = try Views(directory: config.templatesDirectory)
        validator = BookingValidator(calendar: calendar ?? config.calendar)
        log = try EventLog(path: config.logFile)
        batcher = Batcher(
            committers: config.batchCommitters, maxBatchSize: config.maxBatchSize,
            unavailable: { .failure(PostgresError(code: .connectionFailure, message: $0)) }
        ) { [validator, log] in
            let sender = BookingSender(
                database: BookingSender.database(url: config.databaseURL), calendar: validator.calendar,
                maxActive: config.maxActiveBookingsPerPhone, log: log)
            return sender.start
        }
    }

    /// Reads the CSRF key with a connection at hand (`serve` calls this at start), so that no
    /// worker has to ask for it while the database may be away.
    public func loadCSRFKey(_ db: Connection) throws(PostgresError) {
        let key = CSRFGuard(secret: try BookingStore.csrfSecret(db))
        csrf.withLock { $0 = key }
    }

    /// Starts keeping the staff search's index up to date in the background (`serve` calls this).
    public func startSearchRefresher() throws(SystemCallError) {
        let refresher = try SearchRefresher(databaseURL: config.databaseURL)
        try refresher.start()
        searchRefresher.withLock { $0 = refresher }
    }

    /// Ends every background thread (the refresher, the committers) once it has finished its work
    /// in hand; `serve` calls this after the server has returned.
    public func stopBackgroundWork() {
        searchRefresher.withLock { $0 }?.stop()
        batcher.stop()
    }

    /// A responder for one worker thread, with a database connection of its own.
    public func makeResponder() -> AppResponder {
        // JIT compiling pays for queries that run for seconds; a page's take milliseconds, and a
        // staff search over a million customers was planned costly enough to be compiled, which
        // added 300-400 ms (measured).
        AppResponder(app: self, database: Database(url: config.databaseURL, settings: ["SET jit = off"]))
    }
}

/// One worker's view of the app: the shared `App` and this worker's own connection.
public struct AppResponder: Responder {
    public let app: App
    public let database: Database

    public init(app: App, database: Database) {
        self.app = app
        self.database = database
    }

    /// The router: a `Request` in, a `Response` out; no socket, stdin or environment involved.
    public func respond(to request: Request) -> Response {
        let method = request.method == "HEAD" ? "GET" : request.method
        let path = request.path
        switch (method, path) {
        case ("GET", "/"):
            return .redirect(to: "/booking")
        case ("GET", "/healthz"):
            return healthz()
        case ("GET", "/booking"):
            return showForm(request)
        case ("POST", "/booking"):
            return submitBooking(request)
        case ("GET", _) where path.hasPrefix("/booking/"):
            return showConfirmation(ref: String(path.dropFirst("/booking/".count)))
        case _ where path == "/staff" || path.hasPrefix("/staff/"):
            return respondStaff(to: request, method: method, path: path)
        case (_, "/"), (_, "/booking"), (_, "/healthz"):
            return methodNotAllowed(allow: path == "/booking" ? "GET, POST" : "GET")
        default:
            return notFound()
        }
    }

    // MARK: - Small pages

    func healthz() -> Response {
        do {
            try database.run { db throws(PostgresError) in try BookingStore.ping(db) }
            return Response(status: 200, contentType: "text/plain; charset=utf-8", body: "ok\n")
        } catch {
            return Response(status: 503, contentType: "text/plain; charset=utf-8", body: "database unavailable\n")
        }
    }

    func notFound() -> Response {
        message(status: 404, heading: "Halaman tidak ditemukan", "Alamat ini tidak ada atau booking tidak ditemukan.")
    }

    func message(status: Int, heading: String, _ text: String) -> Response {
        .html(status: status, app.views.render(MessagePage(heading: heading, message: text)))
    }
}

extension Response {
    static func html(status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Response {
        html(status: status, Array(body.utf8), headers: headers)
    }

    static func html(status: Int, _ body: [UInt8], headers: [(name: String, value: String)] = []) -> Response {
        Response(
            status: status,
            headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")] + headers,
            body: body)
    }

    static func redirect(to location: String) -> Response {
        Response(status: 303, headers: [("Location", location), ("Content-Type", "text/plain; charset=utf-8")])
    }
}
