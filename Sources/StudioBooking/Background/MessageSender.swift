import Foundation
import Postgres

/// Delivers the outbox's messages (docs/behaviour.md: Messages): one thread per responder with a
/// connection of its own, `LISTEN sb_pesan` (sb_pesan_tulis notifies when a change commits; for a
/// booking batch, its responder's ScheduleListener after the commit), and a timer for what falls
/// due later (reminders, retries, the leases of senders that died). Claims the
/// due messages (MessageStore.claim, SKIP LOCKED: several responders never claim one message
/// twice), sends them for at most `claimBudget`, records the outcomes, and gives back what it did
/// not try. Stops with `serve`, after the message in hand, giving back the rest of its claim.
final class MessageSender: Sendable {
    static let channel = "sb_pesan"
    /// Messages claimed at once, at most. Many: in a rush each claim is a statement and a commit
    /// that cost about the same for 5 messages as for 200 (bench/README.md, session 12).
    static let claimLimit = 200
    /// How long the sender goes on sending from one claim: then it records what went and gives the
    /// rest back (due again at once), so that a slow server holds back little and no lease runs out
    /// under a claim still being worked through.
    static let claimBudget = Duration.seconds(1)
    /// After a NOTIFY, the pause before the claim: the messages of the batches that commit meanwhile
    /// go in the same claim, and each is 0.1 s later, far inside CONTRACT §10's 10 s.
    static let gatherMS: Int32 = 100
    /// The longest wait between two looks at the outbox: a due message goes out within this even
    /// if its NOTIFY was missed (a connection lost meanwhile).
    static let checkAfterMS: Int32 = 5_000
    static let reconnectMS: Int32 = 1_000
    /// The shortest wait while a due message is held by another sender's claim.
    static let busyPauseMS: Int32 = 100

    /// The sender's connection. Its statements are planned for each call: the outbox grows from
    /// empty, and a plan kept from its first minutes (a sequential scan of a table then nearly
    /// empty) would scan the whole table on every claim and outcome until autovacuum analyzed it;
    /// the plans are cheap to make. Its commits do not wait for the disk: a commit lost in a crash
    /// of the database leaves a message `waiting` or `sending`, and it goes out again, which a
    /// crash of the sender does anyway (at least once; the receiver drops it by its key), while
    /// waiting would put an fsync per claim and per outcome beside the bookings' own.
    static let sessionSettings = """
        SET plan_cache_mode = force_custom_plan; SET synchronous_commit = off; LISTEN \(channel)
        """

    private let databaseURL: String
    private let config: MessageConfig
    private let calendar: BookingCalendar
    private let log: EventLog
    private let thread: StoppableThread

    init(databaseURL: String, config: MessageConfig, calendar: BookingCalendar, log: EventLog) throws(SystemCallError) {
        self.databaseURL = databaseURL
        self.config = config
        self.calendar = calendar
        self.log = log
        thread = try StoppableThread()
    }

    /// Starts the thread when this responder has a channel to deliver; else there is nothing to do.
    func start() throws(SystemCallError) {
        guard !config.channels.isEmpty else { return }
        do throws(CurlError) {
            try Curl.initialize()
        } catch {
            // Every try would fail the same way: say so once; the messages wait in the outbox.
            log.error("message sender not started: \(error)")
            return
        }
        try thread.start { [self] in run() }
    }

    func stop() { thread.stop() }

    private var channels: [String] { config.channels.map(\.rawValue) }

    private func run() {
        var failing = false
        let tools = Tools(calendar)
        while !thread.isStopping {
            do throws(PostgresError) {
                let db = try Connection(databaseURL)
                try db.execute(Self.sessionSettings)
                failing = false
                while !thread.isStopping {
                    let claimed = try MessageStore.claim(
                        db, channels: channels, limit: Self.claimLimit, leaseSeconds: config.leaseSeconds)
                    let outcomes = try deliver(claimed, db, tools)
                    if outcomes.tried < claimed.count {
                        let rest = claimed[outcomes.tried...]
                        try MessageStore.release(db, rest.map(\.id), attempts: rest.map(\.attempt))
                        continue
                    }
                    if claimed.count == Self.claimLimit { continue }
                    try waitForWork(db, claimedNone: claimed.isEmpty, soonestRetry: outcomes.soonestRetry)
                }
            } catch {
                // Once per outage, not once a second while the database is away.
                if !failing { log.error("message sender: \(error)") }
                failing = true
                _ = thread.sleep(milliseconds: Self.reconnectMS)
            }
        }
    }

    /// Sleeps until a NOTIFY, a stop, or the next message falls due (at most `checkAfterMS`).
    ///
    /// Only after a claim that found nothing does it ask when the next message falls due: in a rush
    /// that answer walks the due index past the old entries of every message sent since the last
    /// vacuum, and asking it after every claim was most of the sender's database time
    /// (bench/README.md, session 12). After a claim that found some, it waits for the next NOTIFY
    /// or its own soonest retry (`soonestRetry` seconds away), and what falls due later without
    /// either (a reminder's hour, a lease run out) goes at most `checkAfterMS` after its time.
    private func waitForWork(_ db: Connection, claimedNone: Bool, soonestRetry: Int?) throws(PostgresError) {
        // A NOTIFY that came while a statement's answer was read waits in libpq, not on the socket.
        if try !db.notifications().isEmpty { return try gather(db) }
        let timeout = claimedNone
            ? Self.wait(untilDue: try MessageStore.nextDue(db, channels: channels))
            : Self.wait(untilDue: soonestRetry.map(Double.init))
        if db.waitForNotifications(orReadable: thread.wake.readFD, timeoutMS: timeout) {
            thread.wake.drain()
            return
        }
        if try !db.notifications().isEmpty { try gather(db) }
    }

    /// Waits `gatherMS` after a NOTIFY, so that one claim takes what the next few commits add.
    private func gather(_ db: Connection) throws(PostgresError) {
        if thread.sleep(milliseconds: Self.gatherMS) { return }
        _ = try db.notifications()
    }

    /// How long to wait, in milliseconds, after a claim that found nothing, with the next message
    /// due in `seconds` (nil: none waits). One due already is being claimed by another sender this
    /// moment: a short pause keeps this one from spinning on it. Computed in Double until clamped:
    /// a reminder months away is more milliseconds than Int32 holds.
    static func wait(untilDue seconds: Double?) -> Int32 {
        guard let seconds else { return checkAfterMS }
        return Int32(min(max(seconds * 1000 + 1, Double(busyPauseMS)), Double(checkAfterMS)))
    }

    /// What came of one claim. The messages that went are recorded as sent in one statement (one
    /// commit for them all, not one each) once the claim's sending is over; a sender that dies
    /// before recording them sends them again (at least once, as a crash mid-send does). Those
    /// that failed are recorded one by one as they fail, each with its next try.
    private struct Outcomes {
        private var ids: [Int] = []
        private var attempts: [Int] = []
        private var failures = 0
        /// The shortest pause before a failed one's next try, in seconds: the sender's next look.
        private(set) var soonestRetry: Int?

        /// How many of the claim were tried: the rest go back.
        var tried: Int { ids.count + failures }

        mutating func sent(_ message: CustomerMessage) {
            ids.append(message.id)
            attempts.append(message.attempt)
        }

        mutating func failed(retryingAfter pause: Int) {
            failures += 1
            soonestRetry = min(soonestRetry ?? pause, pause)
        }

        func record(_ db: Connection) throws(PostgresError) {
            guard !ids.isEmpty else { return }
            try MessageStore.delivered(db, ids: ids, attempts: attempts)
        }
    }

    /// What the sender's thread makes once and keeps for every message: its libcurl handle (made
    /// at the first message; it keeps the connections open between messages) and the formatters
    /// (making one per message was half its time).
    private final class Tools {
        private var kept: Curl?
        let webhookTimes: ISO8601DateFormatter
        let mailDates = Mailer.dateFormatter()

        init(_ calendar: BookingCalendar) { webhookTimes = Webhook.timeFormatter(calendar) }

        func curl() throws(CurlError) -> Curl {
            if let kept { return kept }
            let made = try Curl()
            kept = made
            return made
        }
    }

    /// Tries the claimed messages in order until they are done, `claimBudget` has passed or the
    /// sender is stopping; records those that went.
    private func deliver(_ claimed: [CustomerMessage], _ db: Connection, _ tools: Tools) throws(PostgresError) -> Outcomes {
        let started = ContinuousClock.now
        var outcomes = Outcomes()
        for message in claimed {
            if thread.isStopping || ContinuousClock.now - started >= Self.claimBudget { break }
            try deliver(message, db, tools, outcomes: &outcomes)
        }
        try outcomes.record(db)
        return outcomes
    }

    private func deliver(_ message: CustomerMessage, _ db: Connection, _ tools: Tools, outcomes: inout Outcomes) throws(PostgresError) {
        let failure: CurlError?
        do throws(CurlError) {
            try send(message, tools)
            failure = nil
        } catch {
            failure = error
        }
        if let error = failure {
            let pause = MessagePolicy.pause(afterAttempt: message.attempt, base: config.retrySeconds)
            log.error("message \(message.id) (\(message.event.rawValue), \(message.channel.rawValue)) try \(message.attempt): \(error)")
            try MessageStore.retry(db, id: message.id, attempt: message.attempt, error: error.description, pauseSeconds: pause)
            outcomes.failed(retryingAfter: pause)
        } else {
            outcomes.sent(message)
        }
    }

    private func send(_ message: CustomerMessage, _ tools: Tools) throws(CurlError) {
        let text = message.text(publicURL: config.publicURL)
        switch message.channel {
        case .email:
            guard let url = config.smtpURL else { throw CurlError("SMTP_URL tidak diatur") }
            let file = message.attachesCalendar ? calendarFile(message) : nil
            try Mailer(url: url, from: config.mailFrom).send(
                message, text: text, calendarFile: file, on: tools.curl(), dates: tools.mailDates)
        case .webhook:
            guard let url = config.webhookURL else { throw CurlError("NOTIFY_WEBHOOK_URL tidak diatur") }
            let body = Webhook.body(message, text: text, calendar: calendar, iso: tools.webhookTimes)
            try Webhook(url: url, secret: config.webhookSecret).send(body, key: message.key, on: tools.curl())
        }
    }

    /// The booking's calendar file as the message describes it (SelfServiceController's, same UID).
    private func calendarFile(_ message: CustomerMessage) -> [UInt8] {
        CalendarFile(
            uid: "\(message.ref)@studio-booking", sequence: message.versi, stamp: Date(),
            start: message.start(calendar), end: message.end(calendar), summary: "Sesi studio: \(message.studio)",
            description: "Kode customer: \(message.kodeCS)\nLama sesi: \(message.durasi) jam\nStatus: Aktif",
            cancelled: false
        ).bytes
    }
}

/// How long a failed message waits before its next try: `base` seconds after the first failure,
/// doubling after each, never more than an hour (CONTRACT §10: the first retry within 60 s, then
/// the pauses grow, for 24 hours).
enum MessagePolicy {
    static let longestPause = 3600

    static func pause(afterAttempt attempt: Int, base: Int) -> Int {
        let doublings = min(max(attempt - 1, 0), 20)
        return min(base << doublings, longestPause)
    }
}
