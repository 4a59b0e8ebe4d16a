/// The empty booking form, rendered once for a studio list and a day and kept as bytes around
/// the one per-visitor value, the CSRF token: `GET /booking` then costs no template work.
struct BlankForm: Sendable {
    /// Stands in for the token while rendering; no escaping changes it, and no page has it.
    static let placeholder = "CSRFTOKENPLACEHOLDER"

    let studios: [BookingStore.Studio]
    let day: Day
    let head: [UInt8]
    let tail: [UInt8]

    /// Splits a rendered page at the placeholder; nil when the template lost it.
    init?(studios: [BookingStore.Studio], day: Day, rendered: String) {
        let parts = rendered.components(separatedBy: Self.placeholder)
        guard parts.count == 2 else { return nil }
        self.studios = studios
        self.day = day
        head = Array(parts[0].utf8)
        tail = Array(parts[1].utf8)
    }

    func page(token: String) -> [UInt8] {
        var body = head
        body.reserveCapacity(head.count + token.utf8.count + tail.count)
        body.append(contentsOf: token.utf8)
        body.append(contentsOf: tail)
        return body
    }
}
