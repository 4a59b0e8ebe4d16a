import CLibPQ

/// Owns one `PGresult` and clears it exactly once; turns a failed status into a `PostgresError`.
struct Result: ~Copyable {
    private let handle: OpaquePointer?
    private let sql: String
    private let connection: OpaquePointer

    init(_ handle: OpaquePointer?, sql: String, connection: OpaquePointer) {
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit { PQclear(handle) }

    /// The rows, copied out; or the error the server (or libpq) reported.
    func rows() throws(PostgresError) -> [Row] {
        guard let handle else {
            // A NULL result means libpq itself failed: out of memory, or the connection is gone.
            throw PostgresError(
                code: .connection, message: Connection.trimmed(PQerrorMessage(connection)), sql: sql)
        }
        switch PQresultStatus(handle) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            break
        default:
            throw error(handle)
        }
        let rowCount = PQntuples(handle)
        let columnCount = PQnfields(handle)
        let names = (0..<columnCount).map { String(cString: PQfname(handle, $0)) }
        var rows: [Row] = []
        rows.reserveCapacity(Int(rowCount))
        for r in 0..<rowCount {
            var columns: [String?] = []
            columns.reserveCapacity(Int(columnCount))
            for c in 0..<columnCount {
                columns.append(PQgetisnull(handle, r, c) == 1 ? nil : String(cString: PQgetvalue(handle, r, c)))
            }
            rows.append(Row(columns: columns, names: names))
        }
        return rows
    }

    private func error(_ handle: OpaquePointer) -> PostgresError {
        let field = { (code: Int32) -> String? in
            PQresultErrorField(handle, code).map { String(cString: $0) }
        }
        // Without a SQLSTATE the error came from libpq, not the server: the connection broke.
        let code = field(CLibPQ_DIAG_SQLSTATE).map(PostgresError.Code.init(sqlState:)) ?? .connection
        let message = field(CLibPQ_DIAG_MESSAGE_PRIMARY) ?? Connection.trimmed(PQerrorMessage(connection))
        return PostgresError(code: code, message: message, sql: sql, constraint: field(CLibPQ_DIAG_CONSTRAINT_NAME))
    }
}
