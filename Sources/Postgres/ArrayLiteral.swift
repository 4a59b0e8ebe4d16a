/// A PostgreSQL array in its text form (`{"a","b",NULL}`), so that a whole column of values travels
/// as one bound parameter: `$1::text[]`, `$2::integer[]`.
public enum ArrayLiteral {
    /// Every element is quoted, with `"` and `\` escaped, so any text (commas, braces, the word NULL)
    /// arrives as it was; a Swift `nil` is SQL NULL.
    public static func text(_ values: [String?]) -> String {
        var literal = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { literal += "," }
            guard let value else { literal += "NULL"; continue }
            literal += "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }
}
