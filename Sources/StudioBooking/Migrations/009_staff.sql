-- The staff area (CONTRACT.md §7): accounts, sessions, and what makes the customer master
-- searchable at a million customers.

CREATE TABLE IF NOT EXISTS staff_account (
  username      text PRIMARY KEY,
  password_hash text NOT NULL,          -- pbkdf2-sha256$ROUNDS$SALT$KEY, never the password
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A session is kept as the SHA-256 of the cookie's token: reading this table signs nobody in.
CREATE TABLE IF NOT EXISTS staff_session (
  token_hash text PRIMARY KEY,
  username   text NOT NULL REFERENCES staff_account ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_session_expires_idx ON staff_session (expires_at);
CREATE INDEX IF NOT EXISTS staff_session_username_idx ON staff_session (username);

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS customer_nama_trgm_idx ON customer USING gin (nama_cs gin_trgm_ops);
CREATE INDEX IF NOT EXISTS customer_email_trgm_idx ON customer USING gin (lower(email) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS customer_kode_trgm_idx ON customer USING gin (kode_cs gin_trgm_ops);
CREATE INDEX IF NOT EXISTS customer_telp_trgm_idx ON customer USING gin (sb_normalize_phone(telp) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS booking_online_tanggal_idx ON booking_online (tanggal_booking);
