/// A page rendered once with placeholders where the values of one request go, kept as the bytes
/// between them: putting the values in is a copy, not a template's work.
struct PageSkeleton: Sendable {
    /// What goes in, and the text that stands in for it while the page is rendered: no escaping
    /// changes it, and no page has it otherwise.
    enum Slot: String, Sendable {
        case token = "SBPLACEHOLDERCSRFTOKEN"
        case tanggal = "SBPLACEHOLDERTANGGAL"
        case jamField = "SBPLACEHOLDERJAMFIELD"
    }

    /// The page's text around the slots: one piece more than slots.
    private let pieces: [[UInt8]]
    /// The slots in the order the page has them.
    private let order: [Slot]

    /// Splits a rendered page at `slots`; nil when one of them is not in it exactly once (a
    /// template that lost or repeated it).
    init?(rendered: String, slots: [Slot]) {
        var found: [(slot: Slot, range: Range<String.Index>)] = []
        for slot in slots {
            guard let range = rendered.range(of: slot.rawValue), rendered[range.upperBound...].range(of: slot.rawValue) == nil
            else { return nil }
            found.append((slot, range))
        }
        found.sort { $0.range.lowerBound < $1.range.lowerBound }
        var pieces: [[UInt8]] = []
        var start = rendered.startIndex
        for (_, range) in found {
            pieces.append(Array(rendered[start..<range.lowerBound].utf8))
            start = range.upperBound
        }
        pieces.append(Array(rendered[start...].utf8))
        self.pieces = pieces
        order = found.map(\.slot)
    }

    /// The page with `values` in their slots; they go in as given (the caller's are safe in HTML).
    func page(_ values: [Slot: String]) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(pieces.reduce(0) { $0 + $1.count } + values.values.reduce(0) { $0 + $1.utf8.count })
        for (piece, slot) in zip(pieces, order) {
            body.append(contentsOf: piece)
            body.append(contentsOf: (values[slot] ?? "").utf8)
        }
        body.append(contentsOf: pieces[pieces.count - 1])
        return body
    }
}
