import Postgres

/// How a committer thread (`Batcher`) sends a batch of bookings: on its own connection, with
/// retries, and answering each booking.
struct BookingSender {
    /// How often a batch that lost a serialization or deadlock race is tried again before 503.
    static let transientRetries = 3

    let database: Database
    let calendar: BookingCalendar
    let maxActive: Int
    let log: EventLog

    /// If the database refuses the batch as a whole for a reason that is not its being away or busy,
    /// one booking may be the cause (a value a legacy column refuses, say): nothing was saved, so each
    /// booking goes again on its own, and only that one fails. Not after an answer it could not read:
    /// that batch may have been saved, and sending it again would book twice.
    func send(_ batch: [BookingItem]) -> [BookingAnswer] {
        do {
            return try bookWithDeferred(batch).map { .success($0) }
        } catch where batch.count > 1 && !error.isConnectionLoss && !error.isTransient
            && error.code != .unexpectedAnswer
        {
            log.error("A batch of \(batch.count) bookings failed, each is tried alone: \(error.code) \(error.message)")
            return batch.map { item in
                Result { () throws(PostgresError) in try bookWithDeferred([item])[0] }
            }
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    /// Sends the batch, then again the bookings it deferred, until each is decided. Every round
    /// decides at least its first booking.
    private func bookWithDeferred(_ batch: [BookingItem]) throws(PostgresError) -> [BookingStore.BatchOutcome] {
        var outcomes = try bookWithRetries(batch)
        var open = outcomes.indices.filter { outcomes[$0] == .deferred }
        while !open.isEmpty {
            let again = try bookWithRetries(open.map { batch[$0] })
            guard again.first != .deferred else {
                throw PostgresError(code: .unexpectedAnswer, message: "sb_book_many deferred the first booking of a batch")
            }
            for (index, outcome) in zip(open, again) { outcomes[index] = outcome }
            open = open.filter { outcomes[$0] == .deferred }
        }
        return outcomes
    }

    /// The batch is one statement, so a retry after a deadlock or serialization failure starts clean.
    /// It is not retried after a lost connection: the first try may have committed.
    private func bookWithRetries(_ batch: [BookingItem]) throws(PostgresError) -> [BookingStore.BatchOutcome] {
        var attempt = 1
        while true {
            do {
                return try database.run(retryOnLoss: false) { db throws(PostgresError) in
                    try BookingStore.book(db, batch, today: calendar.localNow().day, maxActive: maxActive)
                }
            } catch where error.isTransient && attempt < Self.transientRetries {
                attempt += 1
            }
        }
    }
}
