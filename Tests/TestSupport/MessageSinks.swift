import Foundation

/// What the tests' SMTP sink and webhook receiver got (Tests/Messages/*.py, started by .ci/test):
/// one JSON object per message or request, in the order they arrived.
public enum MessageSinks {
    static let environment = ProcessInfo.processInfo.environment

    /// The variables .ci/test sets beside the sinks; a test without them fails, naming them.
    public static func required() throws {
        let missing = ["TEST_SMTP_FILE", "TEST_WEBHOOK_FILE", "TEST_WEBHOOK_SECRET", "TEST_PUBLIC_URL"]
            .filter { environment[$0] == nil }
        guard missing.isEmpty else { throw TestSetupError("\(missing.joined(separator: ", ")) not set: run through `make test`") }
    }

    public static var webhookSecret: String { environment["TEST_WEBHOOK_SECRET"] ?? "" }
    public static var publicURL: String { environment["TEST_PUBLIC_URL"] ?? "" }

    /// Every e-mail the sink accepted.
    public static func mails() -> [[String: Any]] { lines(environment["TEST_SMTP_FILE"]) }

    /// Every POST the receiver got, failed ones included (`status`).
    public static func webhooks() -> [[String: Any]] { lines(environment["TEST_WEBHOOK_FILE"]) }

    /// A webhook request's body, parsed.
    public static func body(_ request: [String: Any]) -> [String: Any] {
        let text = request["body"] as? String ?? ""
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The webhook requests about `ref`, with `event` when given.
    public static func webhooks(ref: String, event: String? = nil) -> [[String: Any]] {
        webhooks().filter { request in
            let body = body(request)
            return body["ref"] as? String == ref && (event == nil || body["event"] as? String == event)
        }
    }

    /// Polls `read` every 100 ms until `done` holds of it or `seconds` pass; answers the last read.
    public static func wait<T>(seconds: Double = 15, _ read: () -> T, until done: (T) -> Bool) -> T {
        let deadline = Date().addingTimeInterval(seconds)
        var value = read()
        while !done(value) && Date() < deadline {
            usleep(100_000)
            value = read()
        }
        return value
    }

    private static func lines(_ path: String?) -> [[String: Any]] {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        // A line still being written is not yet a whole object: left for the next read.
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }
}
