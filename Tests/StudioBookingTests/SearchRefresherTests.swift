import Foundation
import Testing
@testable import StudioBooking

/// The refresher's thread, without a database (every turn fails at once, as with the database away).
@Suite struct SearchRefresherTests {
    @Test func stopEndsTheThreadWithoutWaitingOutItsSleep() throws {
        let refresher = try SearchRefresher(databaseURL: "host=/nonexistent-\(UUID().uuidString) connect_timeout=1")
        try refresher.start()
        usleep(1_200_000)  // past one interval: a turn has run and failed
        let started = Date()
        refresher.stop()
        #expect(Date().timeIntervalSince(started) < SearchRefresher.interval / 2, "woken, not slept out")
        refresher.stop()  // nothing left to end
        try refresher.start()  // a stopped refresher does not start again
        refresher.stop()
    }
}
