extension Connection {
    /// Runs `body` between `BEGIN` and `COMMIT`. On a throw it rolls back and rethrows the first error.
    ///
    /// The body throws only `PostgresError`: what the app decides is decided before `BEGIN`, or in
    /// SQL, or returned as the body's value (and then committed).
    public func transaction<T>(_ body: (Connection) throws(PostgresError) -> T) throws(PostgresError) -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            // The body's error is the one worth reporting; a failed ROLLBACK only means the
            // connection is gone, and the server discards the transaction then anyway.
            try? execute("ROLLBACK")
            throw error
        }
        try execute("COMMIT")
        return value
    }
}
