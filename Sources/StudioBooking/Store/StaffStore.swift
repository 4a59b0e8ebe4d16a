import Postgres

/// Staff accounts and their sessions (migration 009). A session is stored as the SHA-256 of its
/// token: whoever reads the table cannot sign in with what they read.
public enum StaffStore {
    /// How long a sign-in lasts: a working day at the desk.
    static let sessionHours = 12

    /// Creates the account (an admin when `admin`, else `staf`), or sets a new password on it, and
    /// makes it an admin when `admin` (without, its role stays). A new password ends every session
    /// the account had. True when the account is new.
    public static func setPassword(
        _ db: Connection, username: String, passwordHash: String, admin: Bool = false
    ) throws(PostgresError) -> Bool {
        try db.transaction { db throws(PostgresError) in
            let created = try db.query(
                """
                INSERT INTO staff_account (username, password_hash, peran)
                VALUES ($1, $2, CASE WHEN $3::boolean THEN 'admin' ELSE 'staf' END)
                ON CONFLICT (username) DO UPDATE
                  SET password_hash = excluded.password_hash, updated_at = now(),
                      peran = CASE WHEN $3::boolean THEN 'admin' ELSE staff_account.peran END
                RETURNING xmax = 0
                """, [username, passwordHash, admin]
            ).decode(Bool.self)
            try db.query("DELETE FROM staff_session WHERE username = $1", [username])
            // An upsert answers exactly one row.
            return created[0]
        }
    }

    /// The stored password of an account that may sign in: a disabled one (`aktif` false) has none.
    static func passwordHash(_ db: Connection, username: String) throws(PostgresError) -> String? {
        try db.query("SELECT password_hash FROM staff_account WHERE username = $1 AND aktif", [username])
            .decode(String.self).first
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

    /// The user a live session belongs to, with the account's role as it is now: a role changed
    /// or an account disabled (`aktif` false) counts from the next request on.
    static func sessionUser(_ db: Connection, tokenHash: String) throws(PostgresError) -> (username: String, role: StaffRole)? {
        try db.query(
            """
            SELECT s.username, a.peran
            FROM staff_session s JOIN staff_account a USING (username)
            WHERE s.token_hash = $1 AND s.expires_at > now() AND a.aktif
            """, [tokenHash]
        ).decode((String, StaffRole).self).first.map { (username: $0.0, role: $0.1) }
    }

    static func endSession(_ db: Connection, tokenHash: String) throws(PostgresError) {
        try db.query("DELETE FROM staff_session WHERE token_hash = $1", [tokenHash])
    }
}
