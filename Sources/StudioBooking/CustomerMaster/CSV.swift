/// A CSV document (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line
/// break quoted, quotes doubled), UTF-8, built as bytes.
struct CSV {
    private(set) var bytes: [UInt8] = []

    init(header: [String]) { append(header) }

    mutating func append(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(field: field ?? "")
        }
        bytes.append(contentsOf: [13, 10])
    }

    private mutating func append(field: String) {
        var text = field
        // A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula: a
        // customer could type one into the booking form. A leading apostrophe makes it text.
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else {
            bytes.append(contentsOf: text.utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
