import Postgres

/// How a committer thread (`Batcher`) sends a batch of bookings: on its own connection, with
/// retries, and answering each booking.
struct BookingSender {
    /// How many times, in all, a batch that lost a serialization or deadlock race is tried before 503.
    static let transientRetries = 3

    /// Every booking of a responder waits behind the batch in the database. A row another program
    /// keeps locked (an older system's long transaction on a customer) must not stall them all:
    /// after this long the round fails, and its bookings go again alone, so only the one that needs
    /// the locked row fails (`55P03`, and the person is asked to try again).
    static let lockTimeout = "5s"

    /// The committer's connection. `sb_book_many`'s statements take arrays whose sizes vary per
    /// call: PostgreSQL would plan them anew each time, at more cost than running them (migration
    /// 006), where the generic plans are the index lookups they should be.
    static func database(url: String) -> Database {
        // studio_booking.announced: its bookings are told to the other responders after they commit
        // (`announce`), not by the trigger inside the batch (Functions/sb_schedule_changed.sql).
        Database(url: url, settings: [
            "SET lock_timeout = '\(lockTimeout)'", "SET plan_cache_mode = force_generic_plan",
            "SET studio_booking.announced = on",
        ])
    }

    let database: Database
    let calendar: BookingCalendar
    let maxActive: Int
    let log: EventLog
    /// Told the studio days of each round's bookings once the round has committed.
    var announce: @Sendable ([String]) -> Void = { _ in }

    /// Sends the batch, then again the bookings it left undecided (each round is a transaction of its
    /// own, after the one before has committed), until every booking has its answer. A round that
    /// fails answers only its own bookings; what earlier rounds saved stays answered.
    ///
    /// If the database refuses a round as a whole for a reason that is not its being away or busy,
    /// one booking may be the cause (a value a legacy column refuses, say): nothing of that round was
    /// saved, so each of its bookings goes again on its own, and only that one fails. Not after an
    /// answer it could not read: that round may have been saved, and sending it again would book twice.
    func send(_ batch: [BookingItem]) -> [BookingAnswer] { start(batch).finish() }

    /// `send` in two halves: the first round goes to the database at once (behind a batch still
    /// there, if any: `BookingStore.send`), and what is returned waits for its answer and does the
    /// rest. In between, the committer wakes the workers of the batch before, or sends the next.
    func start(_ batch: [BookingItem]) -> Dispatched<BookingAnswer> {
        let sent = sendRound(batch)
        switch sent {
        case .success(let batchInFlight):
            return Dispatched(
                wait: batchInFlight.wait(orReadable:), isReady: { batchInFlight.isAnswered },
                finish: { self.answer(batch, sent: sent) })
        case .failure:
            return Dispatched(wait: nil, isReady: { true }, finish: { self.answer(batch, sent: sent) })
        }
    }

    /// Sends one round, without waiting for its answer: the failure, if it could not be sent.
    private func sendRound(_ batch: [BookingItem]) -> Swift.Result<BookingStore.SentBatch, PostgresError> {
        do throws(PostgresError) {
            return .success(
                try database.run(retryOnLoss: false) { db throws(PostgresError) in
                    try BookingStore.send(db, batch, today: calendar.localNow().day, maxActive: maxActive)
                })
        } catch {
            return .failure(error)
        }
    }

    private func answer(_ batch: [BookingItem], sent: Swift.Result<BookingStore.SentBatch, PostgresError>) -> [BookingAnswer] {
        var answers = [BookingAnswer?](repeating: nil, count: batch.count)
        var open = Array(batch.indices)
        var firstRound: Swift.Result<BookingStore.SentBatch, PostgresError>? = sent
        while !open.isEmpty {
            let round = open
            do throws(PostgresError) {
                let decisions = try bookWithRetries(round.map { batch[$0] }, sent: firstRound)
                firstRound = nil
                announce(zip(round, decisions).compactMap { index, decision in
                    guard case .booked = decision else { return nil }
                    return ScheduleAnnouncements.payload(studio: batch[index].booking.studioID, day: batch[index].booking.tanggal)
                })
                for (index, decision) in zip(round, decisions) { answers[index] = decision.map { .success($0) } }
                open = round.filter { answers[$0] == nil }
                // sb_book_many decides at least the first booking of every batch.
                if open.first == round.first {
                    throw PostgresError(code: .unexpectedAnswer, message: "sb_book_many deferred the first booking of a batch")
                }
            } catch where round.count > 1 && !error.isConnectionLoss && !error.isTransient
                && error.code != .unexpectedAnswer
            {
                log.error("A batch of \(round.count) bookings failed, each is tried alone", error)
                for index in round { answers[index] = alone(batch[index]) }
                open = []
            } catch {
                for index in open { answers[index] = round.count == 1 ? Self.answer(alone: error) : .failure(error) }
                open = []
            }
        }
        return answers.map { $0! }
    }

    /// A booking sent alone that runs into the overlap constraint (a booking written past the
    /// check, by another program) found its time taken, like any other.
    private static func answer(alone error: PostgresError) -> BookingAnswer {
        error.code == .exclusionViolation && error.constraint == "booking_online_no_overlap" ? .success(.slotTaken) : .failure(error)
    }

    /// One booking in a batch of its own, which shares no key with another and so is always decided.
    private func alone(_ item: BookingItem) -> BookingAnswer {
        do throws(PostgresError) {
            guard let decision = try bookWithRetries([item])[0] else {
                throw PostgresError(code: .unexpectedAnswer, message: "sb_book_many deferred a booking sent alone")
            }
            if case .booked = decision {
                announce([ScheduleAnnouncements.payload(studio: item.booking.studioID, day: item.booking.tanggal)])
            }
            return .success(decision)
        } catch {
            return Self.answer(alone: error)
        }
    }

    /// The batch is one statement, so a retry after a deadlock or serialization failure starts clean.
    ///
    /// After a lost connection it is sent again only when it cannot have committed, and only once, on
    /// a new connection: when it never reached the server (the send failed), or when the server
    /// answered that it was going away (`57P01`-`57P03`: shut down, crashed, starting) instead of
    /// answering it. That is the booking that comes just after a database restart, on a connection
    /// that looked alive. A connection that broke after the statement went out may have committed
    /// it: that booking fails (503) rather than risk being booked twice.
    /// `sent`: the batch's first attempt, sent already (or not, for that error); its answer comes first.
    private func bookWithRetries(
        _ batch: [BookingItem], sent: Swift.Result<BookingStore.SentBatch, PostgresError>? = nil
    ) throws(PostgresError) -> [BookingStore.Decision?] {
        var tries = 1
        var sentAfterOutage = false
        var attempt = sent ?? sendRound(batch)
        while true {
            let failure: PostgresError
            let reachedServer: Bool
            switch attempt {
            case .failure(let error):
                (failure, reachedServer) = (error, false)
            case .success(let batchInFlight):
                do throws(PostgresError) {
                    return try batchInFlight.receive()
                } catch {
                    (failure, reachedServer) = (error, true)
                }
            }
            if failure.isConnectionLoss { database.dropConnection() }
            if failure.isTransient && tries < Self.transientRetries {
                tries += 1
            } else if !sentAfterOutage && failure.isConnectionLoss && (!reachedServer || failure.isServerGoingAway) {
                sentAfterOutage = true
            } else {
                throw failure
            }
            attempt = sendRound(batch)
        }
    }
}

