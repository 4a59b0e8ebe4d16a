/// A booking's public reference in a path: exactly what `RandomID.make` produces.
struct BookingRef: PathParameter {
    let value: String

    init?(pathSegment: Substring) {
        guard RandomID.isWellFormed(pathSegment) else { return nil }
        value = String(pathSegment)
    }
}

/// What the last segment of `/booking/{ref}` names: the booking's page, or with `.ics` its
/// calendar file. Anything else, a malformed ref among it, is no page (404).
enum BookingAddress: PathParameter {
    case page(BookingRef)
    case calendar(BookingRef)

    init?(pathSegment: Substring) {
        if pathSegment.hasSuffix(".ics") {
            guard let ref = BookingRef(pathSegment: pathSegment.dropLast(4)) else { return nil }
            self = .calendar(ref)
        } else {
            guard let ref = BookingRef(pathSegment: pathSegment) else { return nil }
            self = .page(ref)
        }
    }
}
