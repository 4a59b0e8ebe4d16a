import Foundation
import Postgres

/// Delivers the outbox's messages (docs/behaviour.md: Messages): one thread per responder with a
/// connection of its own, `LISTEN sb_pesan` (sb_pesan_tulis notifies when a change commits), and a
/// timer for what falls due later (reminders, retries, the leases of senders that died). Claims a
/// few due messages at a time (MessageStore.claim, SKIP LOCKED: several responders never claim one
/// message twice), sends each, then records the outcome. Stops with `serve`, after the message in hand.
final class MessageSender: Sendable {
    static let channel = "sb_pesan"
    /// Messages claimed at once: few, so that a stop or a slow server holds back little.
    static let claimLimit = 20
    /// The longest wait between two looks at the outbox: a due message goes out within this even
    /// if its NOTIFY was missed (a connection lost meanwhile).
    static let checkAfterMS: Int32 = 5_000
    static let reconnectMS: Int32 = 1_000
    /// The shortest wait while a due message is held by another sender's claim.
    static let busyPauseMS: Int32 = 100

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
                try db.execute("LISTEN \(Self.channel)")
                failing = false
                while !thread.isStopping {
                    let claimed = try MessageStore.claim(
                        db, channels: channels, limit: Self.claimLimit, leaseSeconds: config.leaseSeconds)
                    var sent = Outcomes()
                    for message in claimed {
                        // Stopping: the rest go back to the outbox when their lease runs out.
                        if thread.isStopping { break }
                        try deliver(message, db, tools, sent: &sent)
                    }
                    try sent.record(db)
                    if claimed.count == Self.claimLimit { continue }
                    try waitForWork(db, claimedNone: claimed.isEmpty)
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
    private func waitForWork(_ db: Connection, claimedNone: Bool) throws(PostgresError) {
        let due = try MessageStore.nextDue(db, channels: channels)
        guard let timeout = Self.wait(untilDue: due, claimedNone: claimedNone) else { return }
        if db.waitForNotifications(orReadable: thread.wake.readFD, timeoutMS: timeout) { thread.wake.drain() }
        _ = try db.notifications()
    }

    /// How long to wait, in milliseconds, with the next message due in `seconds` (nil: none
    /// waits); nil: look again at once. One due already goes at once, unless the claim just found
    /// none: then another sender is claiming it this moment, and a short pause keeps this one from
    /// spinning on it. Computed in Double until clamped: a reminder months away is more
    /// milliseconds than Int32 holds.
    static func wait(untilDue seconds: Double?, claimedNone: Bool) -> Int32? {
        guard let seconds else { return checkAfterMS }
        if seconds <= 0 && !claimedNone { return nil }
        return Int32(min(max(seconds * 1000 + 1, Double(busyPauseMS)), Double(checkAfterMS)))
    }

    /// The messages of one claim sent so far, recorded as sent in one statement (one commit for
    /// them all, not one each), when the claim is done or a second after the first of them: a
    /// slow server does not keep them `sending` until their lease runs out. A sender that dies
    /// before recording them sends them again (at least once, as a crash mid-send does).
    private struct Outcomes {
        static let recordAfter = Duration.seconds(1)
        var ids: [Int] = []
        var attempts: [Int] = []
        var since = ContinuousClock.now

        mutating func add(_ message: CustomerMessage, _ db: Connection) throws(PostgresError) {
            if ids.isEmpty { since = .now }
            ids.append(message.id)
            attempts.append(message.attempt)
            if ContinuousClock.now - since >= Self.recordAfter { try record(db) }
        }

        mutating func record(_ db: Connection) throws(PostgresError) {
            guard !ids.isEmpty else { return }
            try MessageStore.delivered(db, ids: ids, attempts: attempts)
            ids = []
            attempts = []
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

    private func deliver(_ message: CustomerMessage, _ db: Connection, _ tools: Tools, sent: inout Outcomes) throws(PostgresError) {
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
        } else {
            try sent.add(message, db)
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
