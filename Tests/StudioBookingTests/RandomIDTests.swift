import Foundation
import Synchronization
import Testing
@testable import StudioBooking

/// Booking refs and visitor ids must be unguessable: 128 random bits each, never repeated.
@Suite struct RandomIDTests {
    @Test func idsAre32HexDigitsAndDistinctAcrossThreads() {
        let seen = Mutex<Set<String>>([])
        let done = DispatchGroup()
        for _ in 0..<8 {
            done.enter()
            Thread.detachNewThread {
                let ids = (0..<5_000).map { _ in RandomID.make() }
                seen.withLock { $0.formUnion(ids) }
                done.leave()
            }
        }
        done.wait()
        let ids = seen.withLock { $0 }
        #expect(ids.count == 40_000, "every id distinct")
        #expect(ids.allSatisfy(RandomID.isWellFormed))
        // Every hex digit appears in every position: not stuck bits.
        for position in 0..<32 {
            let digits = Set(ids.map { $0.utf8[$0.utf8.index($0.utf8.startIndex, offsetBy: position)] })
            #expect(digits.count == 16, "position \(position)")
        }
    }
}
