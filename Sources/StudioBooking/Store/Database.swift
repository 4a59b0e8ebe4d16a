import Postgres

/// One thread's connection to PostgreSQL (a worker's, or a booking committer's), made when first
/// needed and made anew after the server went away, so responders recover from a database restart
/// by themselves.
public final class Database {
    public let url: String
    /// `SET` statements run on every new connection, after the app's own.
    let settings: [String]
    private var connection: Connection?

    public init(url: String, settings: [String] = []) {
        self.url = url
        self.settings = settings
    }

    /// Runs `body` on the connection. If the connection turns out to be dead, it is dropped, and
    /// when `retryOnLoss` (the body is safe to run twice) the body runs once more on a new one.
    public func run<T>(retryOnLoss: Bool = true, _ body: (Connection) throws(PostgresError) -> T) throws(PostgresError) -> T {
        do {
            return try body(try current())
        } catch where error.isConnectionLoss || connection?.isOpen == false {
            connection = nil
            guard retryOnLoss else { throw error }
            return try body(try current())
        }
    }

    /// Forgets the connection, known dead: the next `run` makes a new one. (A batch still waiting
    /// on it keeps it until its answer, its failure, is read.)
    func dropConnection() { connection = nil }

    private func current() throws(PostgresError) -> Connection {
        if let connection, connection.checkAlive() { return connection }
        connection = nil
        let fresh = try Connection(url)
        // If this process dies mid-booking, the server should notice while the statement still
        // waits on a lock and roll it back, rather than commit a booking nobody was told about.
        // PostgreSQL 14 and later; older servers do without.
        try? fresh.execute("SET client_connection_check_interval = '1s'")
        for setting in settings { try fresh.execute(setting) }
        connection = fresh
        return fresh
    }
}
