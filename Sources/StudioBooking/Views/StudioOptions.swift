import Mustache
import Synchronization

/// The studios' `<option>`s of the schedule fields (template `booking_studio_options`), rendered
/// apart from the page and kept: every studio is a choice, and through swift-mustache's lookups
/// they were half the cost of the booking form with free starts (bench/README.md, session 11). The
/// list changes when staff change a studio; the chosen one with every ask.
struct StudioOptions: Page, Hashable {
    static let template = "booking_studio_options"
    let studios: [Choice]

    /// The options rendered so far, by studios and choice. A choice of a studio that is not in the
    /// list is one more key (the form keeps what was asked for), so the store is bounded: when it
    /// holds `limit`, it starts again empty, and what is asked for most is soon back.
    final class Kept: Sendable {
        static let limit = 256
        private let rendered = Mutex<[StudioOptions: String]>([:])

        func html(_ options: StudioOptions, render: (StudioOptions) -> String) -> String {
            if let html = rendered.withLock({ $0[options] }) { return html }
            let html = render(options)
            rendered.withLock { kept in
                if kept.count >= Self.limit { kept.removeAll(keepingCapacity: true) }
                kept[options] = html
            }
            return html
        }
    }
}

extension StudioOptions: MustacheParent {
    func child(named name: String) -> Any? {
        name == "studios" ? studios : nil
    }
}
