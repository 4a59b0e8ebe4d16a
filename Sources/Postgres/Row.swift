/// One row of a result, copied out of libpq so it outlives the `PGresult`.
public struct Row: Sendable {
    public let columns: [String?]

    public init(columns: [String?]) { self.columns = columns }

    public subscript(_ index: Int) -> String? { columns[index] }

    /// The column as text; an error when it is NULL, since the query promised a value.
    public func string(_ index: Int) throws(PostgresError) -> String {
        guard let value = columns[index] else {
            throw PostgresError(code: .notNullViolation, message: "column \(index) is NULL")
        }
        return value
    }

    public func int(_ index: Int) throws(PostgresError) -> Int {
        guard let value = Int(try string(index)) else {
            throw PostgresError(code: .invalidParameter, message: "column \(index) is not an integer")
        }
        return value
    }

    /// PostgreSQL's text form of a boolean is `t` or `f`.
    public func bool(_ index: Int) throws(PostgresError) -> Bool { try string(index) == "t" }
}
