import Foundation

/// Whether `check` holds four times in a row within `seconds` (through nginx, so both responders
/// in turn): what one responder or another program commits reaches every responder through the
/// database's notification a moment later, and later still on a loaded machine.
public func everyResponderSoon(within seconds: Double = 2, _ check: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    var inARow = 0
    while inARow < 4 {
        if try check() {
            inARow += 1
        } else {
            guard Date() < deadline else { return false }
            inARow = 0
            usleep(10_000)
        }
    }
    return true
}
