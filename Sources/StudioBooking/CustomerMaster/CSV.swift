/// A CSV document (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line
/// break quoted, quotes doubled), UTF-8 with a byte order mark (so that a spreadsheet reads it as
/// UTF-8), built as bytes and taken out in pieces (`take`) while it is written.
struct CSV {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private(set) var bytes: [UInt8] = CSV.byteOrderMark

    init(header: [String]) { append(header) }

    mutating func append(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(field: field ?? "")
        }
        bytes.append(contentsOf: [13, 10])
    }

    /// The bytes written since the last take, which leave the document.
    mutating func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    private mutating func append(field: String) {
        var text = field
        if Self.readsAsFormula(text) { text = "'" + text }
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

    // MARK: - Formulas

    /// What starts a formula in a spreadsheet: `= + - @`, their full-width forms (`＝＋－＠`, which
    /// some spreadsheets fold to ASCII) and their small forms.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}", "\u{FE66}", "\u{FE62}", "\u{FE63}", "\u{FE6B}"]

    /// Characters that show nothing but are not Unicode format characters or white space: the
    /// Hangul fillers and the blank Braille pattern.
    static let blanks: Set<Unicode.Scalar> = ["\u{115F}", "\u{1160}", "\u{3164}", "\u{FFA0}", "\u{2800}"]

    /// Whether a spreadsheet could run the cell as a formula: a customer could type one into the
    /// booking form. It starts with a tab or CR, or its first visible character starts a formula —
    /// after white space and invisible characters (zero-width space and joiners, the byte order
    /// mark, direction marks: Unicode's format characters), which a person reading the sheet does
    /// not see and a spreadsheet may drop. A leading apostrophe then makes it text.
    static func readsAsFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if first == "\t" || first == "\r" { return true }
        let visible = text.unicodeScalars.first { scalar in
            !(scalar.properties.isWhitespace || scalar.properties.generalCategory == .format || blanks.contains(scalar))
        }
        return visible.map(formulaStarts.contains) ?? false
    }
}
