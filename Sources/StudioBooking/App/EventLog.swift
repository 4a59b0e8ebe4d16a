import Foundation
import Postgres

/// The application log (docs/behaviour.md: The log): one line per event, an ISO-8601 timestamp, a level, a message.
///
/// The file is opened for appending, and each line goes out in a single `write`, so lines from
/// several threads and several responder processes never interleave. Messages are escaped
/// (`LogEscaping`): control, line-separator and format characters never reach the file as such.
public final class EventLog: Sendable {
    public enum Level: String, Sendable { case info, error }

    private let fd: Int32

    public init(path: String) throws(ConfigError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ConfigError("LOG_FILE: cannot open \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    public func info(_ message: String) { write(.info, message) }
    public func error(_ message: String) { write(.error, message) }

    /// The one form of a failure's line: what failed, the SQLSTATE and the server's message.
    func error(_ what: String, _ error: PostgresError) {
        write(.error, "\(what): \(error.code) \(error.message)")
    }

    public func write(_ level: Level, _ message: String) {
        var line: [UInt8] = []
        line.reserveCapacity(32 + message.utf8.count)
        line.append(contentsOf: Self.timestamp().utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: level.rawValue.utf8)
        line.append(UInt8(ascii: " "))
        // One event, one line, read the same in every viewer: what people typed into a message
        // (a name, a user name) cannot break the line, forge a second entry or steer a terminal.
        LogEscaping.append(message, to: &line)
        line.append(10)
        _ = line.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    }

    /// UTC, ISO 8601 with milliseconds: `2026-11-25T09:31:56.462Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        gmtime_r(&now.tv_sec, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
