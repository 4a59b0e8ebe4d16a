import Foundation

/// The studios last read from the database, with the moment they were read.
struct StudioCache: Sendable {
    /// How long a list is trusted before it is read again: a studio added by staff shows up soon,
    /// and most requests cost no extra round trip.
    static let lifetime: TimeInterval = 30
    var studios: [BookingStore.Studio] = []
    var readAt: Date = .distantPast
    /// Counts `forget`s: a list read before one must not be kept after it.
    var generation = 0

    var isFresh: Bool { !studios.isEmpty && Date().timeIntervalSince(readAt) < Self.lifetime }
}
