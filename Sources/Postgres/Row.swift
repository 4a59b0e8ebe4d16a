/// One row of a result, copied out of libpq so it outlives the `PGresult`.
public struct Row: Sendable {
    /// Each column's text as PostgreSQL sent it (nil: NULL), for comparing whole rows.
    public let columns: [String?]
    /// The columns' names, as the query called them (one array, shared by every row of a result).
    public let names: [String]

    public init(columns: [String?], names: [String] = []) {
        self.columns = columns
        self.names = names
    }

    /// The row as a tuple of the query's columns, in their order:
    /// `let (id, name) = try row.decode((Int, String).self)`. A row with more or fewer columns than
    /// the tuple, a NULL in a column that is not optional, or text that is not the type asked for
    /// throws `.decoding`, naming the column.
    @inlinable
    public func decode<each Value: PostgresDecodable>(
        _ types: (repeat each Value).Type
    ) throws(PostgresError) -> (repeat each Value) {
        var arity = 0
        for _ in repeat (each Value).self { arity += 1 }
        guard arity == columns.count else {
            throw PostgresError(code: .decoding, message: "the row has \(columns.count) columns, decoded as \(arity)")
        }
        var index = 0
        func next<V: PostgresDecodable>(_ type: V.Type) throws(PostgresError) -> V {
            defer { index += 1 }
            return try decode(type, column: index)
        }
        return (repeat try next((each Value).self))
    }

    /// The row's one column: `let name = try row.decode(String.self)`.
    @inlinable
    public func decode<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> Value {
        guard columns.count == 1 else {
            throw PostgresError(code: .decoding, message: "the row has \(columns.count) columns, decoded as 1")
        }
        return try decode(type, column: 0)
    }

    /// One column, by position.
    @inlinable
    public func decode<Value: PostgresDecodable>(_ type: Value.Type, column index: Int) throws(PostgresError) -> Value {
        guard let text = columns[index] else {
            guard let null = Value.postgresNull else { throw failure(index, "is NULL, expected \(Value.self)") }
            return null
        }
        // The text itself stays out of the message: it may be a customer's data, or a password hash.
        guard let value = Value(postgresText: text) else { throw failure(index, "is not \(Value.self)") }
        return value
    }

    @usableFromInline
    func failure(_ index: Int, _ what: String) -> PostgresError {
        let column = index < names.count ? names[index] : "#\(index)"
        return PostgresError(code: .decoding, message: "column \(column) \(what)", column: column)
    }
}

extension Array where Element == Row {
    /// Every row as a tuple of the query's columns: `try db.query(sql).decode((Int, String).self)`.
    @inlinable
    public func decode<each Value: PostgresDecodable>(
        _ types: (repeat each Value).Type
    ) throws(PostgresError) -> [(repeat each Value)] {
        var values: [(repeat each Value)] = []
        values.reserveCapacity(count)
        for row in self { values.append(try row.decode(types)) }
        return values
    }

    /// Every row's one column: `try db.query("SELECT name FROM t").decode(String.self)`.
    @inlinable
    public func decode<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(count)
        for row in self { values.append(try row.decode(type)) }
        return values
    }
}
