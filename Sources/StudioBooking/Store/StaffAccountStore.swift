import Postgres

/// The accounts page's SQL (`/staff/akun`): the list, adding one, and changing one under the rule
/// that some active admin always remains.
enum StaffAccountStore {
    struct Account: Sendable, Equatable {
        let username: String
        let role: StaffRole
        let aktif: Bool
        /// `YYYY-MM-DD HH:MM`, in the studios' time zone.
        let createdAt: String
    }

    /// Every account, by name; when each was made in `zone` (`BOOKING_TIMEZONE`).
    static func accounts(_ db: Connection, zone: String) throws(PostgresError) -> [Account] {
        try db.query(
            """
            SELECT username, peran, aktif, to_char(created_at AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI')
            FROM staff_account ORDER BY username
            """, [zone]
        ).decode((String, StaffRole, Bool, String).self).map { Account(username: $0.0, role: $0.1, aktif: $0.2, createdAt: $0.3) }
    }

    /// Adds the account; false when the name is taken (the row there is left as it is).
    static func add(_ db: Connection, username: String, passwordHash: String, role: StaffRole) throws(PostgresError) -> Bool {
        try !db.query(
            """
            INSERT INTO staff_account (username, password_hash, peran) VALUES ($1, $2, $3)
            ON CONFLICT (username) DO NOTHING
            RETURNING 1
            """, [username, passwordHash, role]
        ).isEmpty
    }

    enum Change: Equatable {
        case changed
        case notFound
        /// The change would leave no active admin: nothing changed.
        case lastAdmin
    }

    /// Sets the account's role, whether it is active, and a new password when one is given. A
    /// disabled account or a new password ends the account's sessions in the same transaction.
    ///
    /// Every active admin's row is locked first, in one order, then the account's own: two admins
    /// demoting each other at once are decided one after the other, and the second sees that it
    /// would remove the last admin (under READ COMMITTED a row the first one demoted no longer
    /// matches when the second's lock is granted).
    static func change(
        _ db: Connection, username: String, role: StaffRole, aktif: Bool, passwordHash: String?
    ) throws(PostgresError) -> Change {
        try db.transaction { db throws(PostgresError) -> Change in
            let admins = try db.query(
                "SELECT username FROM staff_account WHERE peran = 'admin' AND aktif ORDER BY username FOR UPDATE"
            ).decode(String.self)
            guard try !db.query("SELECT 1 FROM staff_account WHERE username = $1 FOR UPDATE", [username]).isEmpty else {
                return .notFound
            }
            let staysAdmin = role == .admin && aktif
            if !staysAdmin, admins == [username] { return .lastAdmin }
            try db.query(
                """
                UPDATE staff_account
                SET peran = $2, aktif = $3, password_hash = coalesce($4, password_hash), updated_at = now()
                WHERE username = $1
                """, [username, role, aktif, passwordHash])
            if !aktif || passwordHash != nil {
                try db.query("DELETE FROM staff_session WHERE username = $1", [username])
            }
            return .changed
        }
    }
}

extension StaffStore {
    /// A sign-in that succeeded, in one transaction: the name's failed attempts go
    /// (`SignInThrottle`), the session starts, and a hash of an older kind (`Password.needsRehash`)
    /// is replaced by `rehash.new` — unless the password changed meanwhile (it is still `old`).
    static func signIn(
        _ db: Connection, username: String, tokenHash: String, rehash: (old: String, new: String)?
    ) throws(PostgresError) {
        try db.transaction { db throws(PostgresError) in
            try SignInThrottle.succeeded(db, username: username)
            try startSession(db, username: username, tokenHash: tokenHash)
            if let rehash {
                try db.query(
                    "UPDATE staff_account SET password_hash = $3 WHERE username = $1 AND password_hash = $2",
                    [username, rehash.old, rehash.new])
            }
        }
    }
}
