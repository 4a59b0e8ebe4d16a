import Postgres

/// Failed staff sign-ins per user name (migration 014), shared by every responder through the
/// database; nginx limits them per address (`limit_req` on `/staff/login`). A name with `limit`
/// attempts that failed, or are being checked, within the last `windowMinutes` is refused without
/// its password being checked, until the oldest of them is that old.
enum SignInThrottle {
    static let limit = 5
    static let windowMinutes = 15

    /// Records an attempt for `username` before its password is checked and answers its id, or nil
    /// when the name has already used its attempts. One transaction under a lock on the name, so
    /// that attempts sent at once cannot all read "four so far" and all go through.
    static func begin(_ db: Connection, username: String) throws(PostgresError) -> Int? {
        try db.transaction { db throws(PostgresError) in
            try db.query("SELECT pg_advisory_xact_lock(hashtext('sb_staff_signin'), hashtext($1))", [username])
            try db.query(
                "DELETE FROM staff_signin_failure WHERE failed_at < now() - make_interval(mins => $1::integer)",
                [windowMinutes])
            return try db.query(
                """
                INSERT INTO staff_signin_failure (username)
                SELECT $1
                WHERE (SELECT count(*) FROM staff_signin_failure
                       WHERE username = $1 AND failed_at >= now() - make_interval(mins => $2::integer)) < $3::integer
                RETURNING id
                """, [username, windowMinutes, limit]
            ).decode(Int.self).first
        }
    }

    /// A sign-in that succeeded: the name's failures go with its own attempt, so a person who
    /// mistyped before is not slowed afterwards. Run in the transaction that starts the session.
    static func succeeded(_ db: Connection, username: String) throws(PostgresError) {
        try db.query("DELETE FROM staff_signin_failure WHERE username = $1", [username])
    }
}
