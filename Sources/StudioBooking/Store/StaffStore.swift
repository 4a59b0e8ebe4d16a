import Postgres

/// Staff accounts and their sessions (migration 009). A session is stored as the SHA-256 of its
/// token: whoever reads the table cannot sign in with what they read.
public enum StaffStore {
    /// How long a sign-in lasts: a working day at the desk.
    static let sessionHours = 12

    /// Creates the account, or sets a new password on it; a new password ends every session the
    /// account had. True when the account is new.
    public static func setPassword(_ db: Connection, username: String, passwordHash: String) throws(PostgresError) -> Bool {
        try db.transaction { db throws(PostgresError) in
            let created = try db.query(
                """
                INSERT INTO staff_account (username, password_hash) VALUES ($1, $2)
                ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, updated_at = now()
                RETURNING xmax = 0
                """, [username, passwordHash]
            ).decode(Bool.self)
            try db.query("DELETE FROM staff_session WHERE username = $1", [username])
            // An upsert answers exactly one row.
            return created[0]
        }
    }

    static func passwordHash(_ db: Connection, username: String) throws(PostgresError) -> String? {
        try db.query("SELECT password_hash FROM staff_account WHERE username = $1", [username]).decode(String.self).first
    }

    /// Starts a session; sessions that have run out go at the same time, so the table stays small.
    static func startSession(_ db: Connection, username: String, tokenHash: String) throws(PostgresError) {
        try db.query(
            """
            WITH expired AS (DELETE FROM staff_session WHERE expires_at < now())
            INSERT INTO staff_session (token_hash, username, expires_at)
            VALUES ($1, $2, now() + make_interval(hours => $3::integer))
            """, [tokenHash, username, sessionHours])
    }

    /// The user a live session belongs to.
    static func sessionUser(_ db: Connection, tokenHash: String) throws(PostgresError) -> String? {
        try db.query(
            "SELECT username FROM staff_session WHERE token_hash = $1 AND expires_at > now()", [tokenHash]
        ).decode(String.self).first
    }

    static func endSession(_ db: Connection, tokenHash: String) throws(PostgresError) {
        try db.query("DELETE FROM staff_session WHERE token_hash = $1", [tokenHash])
    }
}
