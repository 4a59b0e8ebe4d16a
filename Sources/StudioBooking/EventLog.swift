import Foundation

/// The application log (CONTRACT.md §6): one line per event, an ISO-8601 timestamp, a level, a message.
///
/// The file is opened for appending, and each line goes out in a single `write`, so lines from
/// several threads and several responder processes never interleave.
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

    public func write(_ level: Level, _ message: String) {
        // One event, one line: a newline inside a message would forge a second entry.
        let flat = message.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        let line = Array("\(Date().ISO8601Format(.iso8601WithTimeZone(includingFractionalSeconds: true))) \(level.rawValue) \(flat)\n".utf8)
        _ = line.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    }
}
