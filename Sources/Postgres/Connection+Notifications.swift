import CLibPQ
import Glibc

// MARK: - LISTEN / NOTIFY

extension Connection {
    /// A notification the server delivered on a channel this connection listens to.
    public struct Notification: Sendable, Equatable {
        public let channel: String
        public let payload: String
    }

    /// Sleeps until the server sends something, `wakeFD` (another thread's wake-up) turns readable,
    /// or `timeoutMS` pass; answers whether `wakeFD` did. Then `notifications()` reads what came.
    public func waitForNotifications(orReadable wakeFD: Int32, timeoutMS: Int32) -> Bool {
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        var fds = (pollfd(fd: socket, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
        // EINTR and the like count as "nothing yet": the caller looks again.
        let ready = withUnsafeMutableBytes(of: &fds) { poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, timeoutMS) }
        return ready > 0 && fds.1.revents != 0
    }

    /// Reads, without waiting, what the server sent, and returns the notifications delivered so far,
    /// oldest first. A connection that broke throws `.connection`.
    public func notifications() throws(PostgresError) -> [Notification] {
        guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else { throw libpqFailure(sql: nil) }
        var delivered: [Notification] = []
        while let notification = PQnotifies(handle) {
            delivered.append(
                Notification(
                    channel: String(cString: notification.pointee.relname),
                    payload: String(cString: notification.pointee.extra)))
            PQfreemem(notification)
        }
        return delivered
    }
}
