import Testing
@testable import StudioBooking

/// The free-times cache keeps a day only while its listener hears of changes, and never keeps a
/// day read before a change it heard of.
@Suite struct FreeTimesCacheTests {
    let key = FreeTimesCache.Key(studio: 3, day: Day(year: 2026, month: 12, day: 24))
    let other = FreeTimesCache.Key(studio: 4, day: Day(year: 2026, month: 12, day: 24))
    let day = StudioDay(open: 0b1111 << 9, busy: 0b10 << 9)

    @Test func nothingIsKeptWhileNobodyListens() {
        let cache = FreeTimesCache()
        let (_, generation) = cache.lookup(key)
        cache.store(day, for: key, readAt: generation)
        #expect(cache.lookup(key).day == nil)
        cache.reset(live: true)
        let (_, now) = cache.lookup(key)
        cache.store(day, for: key, readAt: now)
        #expect(cache.lookup(key).day == day)
        cache.reset(live: false)  // the listener lost its connection
        #expect(cache.lookup(key).day == nil)
    }

    @Test func aDayReadBeforeAChangeIsNotKept() {
        let cache = FreeTimesCache()
        cache.reset(live: true)
        let (_, generation) = cache.lookup(key)
        cache.changed("4 2026-12-24")  // any change while the read was on its way
        cache.store(day, for: key, readAt: generation)
        #expect(cache.lookup(key).day == nil)
    }

    @Test func aChangeDropsItsDayOrEveryDay() {
        let cache = FreeTimesCache()
        cache.reset(live: true)
        for k in [key, other] { cache.store(day, for: k, readAt: cache.lookup(k).generation) }
        cache.changed("3 2026-12-24")
        #expect(cache.lookup(key).day == nil)
        #expect(cache.lookup(other).day == day)
        cache.store(day, for: key, readAt: cache.lookup(key).generation)
        cache.changed("*")
        #expect(cache.lookup(key).day == nil && cache.lookup(other).day == nil)
        cache.store(day, for: key, readAt: cache.lookup(key).generation)
        cache.changed("not a payload")
        #expect(cache.lookup(key).day == nil)
    }

    @Test func freeStartsOfAStudioDay() {
        // Open 09:00-21:00, 12:00-14:00 taken.
        let day = StudioDay(open: UInt32((1 << 21) - (1 << 9)), busy: UInt32(0b11 << 12))
        #expect(day.freeStarts(hours: 1) == [9, 10, 11, 14, 15, 16, 17, 18, 19, 20])
        #expect(day.freeStarts(hours: 3) == [9, 14, 15, 16, 17, 18])
        #expect(day.freeStarts(hours: 3, from: 15) == [15, 16, 17, 18])
        #expect(day.freeStarts(hours: 12) == [])
        #expect(day.freeStarts(hours: 0) == [])
        #expect(day.freeStarts(hours: 2, from: 23) == [])
        #expect(StudioDay(open: UInt32.max >> 8, busy: 0).freeStarts(hours: 24) == [0])
    }
}
