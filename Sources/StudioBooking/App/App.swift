import Foundation
import HTTPMessages
import Postgres
import Synchronization

/// The product, built once at start-up from its configuration and shared, immutable, by every
/// worker thread: the controllers, the one route table and what they share.
public final class App: Sendable {
    public let config: AppConfig
    let views: Views
    let log: EventLog
    let keyring = CSRFKeyring()
    let booking: BookingController
    let router: Router
    let outage: OutagePage
    let staffGate: StaffGate
    /// Started by `serve` (`startBackgroundWork`).
    let searchRefresher = Mutex<SearchRefresher?>(nil)
    let scheduleListener = Mutex<ScheduleListener?>(nil)
    let messageSender = Mutex<MessageSender?>(nil)

    /// Loads the templates and opens the log; a missing template or an unwritable log stops the start.
    public init(config: AppConfig, calendar: BookingCalendar? = nil) throws(ConfigError) {
        self.config = config
        views = try Views(directory: config.templatesDirectory)
        log = try EventLog(path: config.logFile)
        booking = BookingController(config: config, calendar: calendar ?? config.calendar, views: views, log: log)
        staffGate = StaffGate(views: views, log: log)
        outage = OutagePage(views: views, log: log)
        let caches = ScheduleCaches(studios: booking.studios, freeTimes: booking.freeTimes)
        let selfService = SelfServiceController(booking: booking, config: config)
        let customers = CustomerMasterController(views: views, log: log, zone: booking.calendar.timeZone.identifier)
        router = Self.routes(
            booking: booking,
            selfService: selfService,
            health: HealthController(),
            signIn: StaffSignInController(views: views, log: log, gate: staffGate),
            customers: customers,
            day: StaffBookingsController(views: views, calendar: booking.calendar),
            studios: StudiosController(views: views, log: log, caches: caches),
            closedDays: ClosedDaysController(views: views, log: log, calendar: booking.calendar, caches: caches),
            desk: StaffDeskController(selfService: selfService),
            customerChanges: CustomerChangesController(views: views, log: log, page: customers),
            accounts: StaffAccountsController(views: views, log: log, zone: booking.calendar.timeZone.identifier),
            messages: BookingMessagesController(views: views, log: log))
    }

    /// Reads the CSRF key with a connection at hand (`serve` calls this at start), so that no
    /// worker has to ask for it while the database may be away.
    public func loadCSRFKey(_ db: Connection) throws(PostgresError) {
        try keyring.load(db)
    }

    /// Starts the background threads `serve` needs: the staff search's refresher, and the listener
    /// that keeps the form's free times cache in step with every responder's bookings.
    public func startBackgroundWork() throws(SystemCallError) {
        let refresher = try SearchRefresher(databaseURL: config.databaseURL)
        try refresher.start()
        searchRefresher.withLock { $0 = refresher }
        let listener = try ScheduleListener(
            databaseURL: config.databaseURL, cache: booking.freeTimes, studios: booking.studios,
            announcements: booking.announcements)
        try listener.start()
        scheduleListener.withLock { $0 = listener }
        let sender = try MessageSender(
            databaseURL: config.databaseURL, config: config.messages, calendar: booking.calendar, log: log)
        try sender.start()
        messageSender.withLock { $0 = sender }
    }

    /// Writes this responder's message settings where the SQL that writes messages reads them.
    public func writeMessageSettings(_ db: Connection) throws(PostgresError) {
        try MessageStore.writeSettings(db, config.messages, timeZone: config.timeZone.identifier)
    }

    /// Ends every background thread (the refresher, the listener, the committers) once it has
    /// finished its work in hand; `serve` calls this after the server has returned.
    public func stopBackgroundWork() {
        searchRefresher.withLock { $0 }?.stop()
        scheduleListener.withLock { $0 }?.stop()
        booking.batcher.stop()
        // After the committers: the bookings they committed last have written their messages.
        messageSender.withLock { $0 }?.stop()
    }

    /// A responder for one worker thread, with a database connection of its own.
    public func makeResponder() -> AppResponder {
        // JIT compiling pays for queries that run for seconds; a page's take milliseconds, and a
        // staff search over a million customers was planned costly enough to be compiled, which
        // added 300-400 ms (measured).
        AppResponder(app: self, database: Database(url: config.databaseURL, settings: ["SET jit = off"]))
    }

    /// A request through the route table and the middleware around every handler.
    func respond(to request: Request, database: Database) -> Response {
        let context = RequestContext(request, database: database, keyring: keyring)
        let handler: Middleware.Next
        switch router.resolve(request) {
        case .route(let route, let parameters):
            context.routeName = route.name
            context.access = route.access
            handler = { request, context throws(PostgresError) in try route.handler(request, context, parameters) }
        case .methodNotAllowed(let allow, let access):
            context.access = access
            handler = { [views] _, _ in views.methodNotAllowed(allow: allow) }
        case .notFound(let access):
            context.access = access
            handler = { [views] _, _ in views.notFound() }
        }
        let chain: [any Middleware] = context.access.needsSignIn ? [VisitorCookie(), staffGate] : [VisitorCookie()]
        return outage.handle(request, context) { request, context throws(PostgresError) in
            try chain.run(request, context, handler)
        }
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

    /// A `Request` in, a `Response` out; no socket, stdin or environment involved.
    public func respond(to request: Request) -> Response {
        app.respond(to: request, database: database)
    }
}
