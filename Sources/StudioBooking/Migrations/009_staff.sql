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

-- What staff search customers by, as one lower-cased text: the code, the name, the email and the
-- normalized phone, so that a phone typed in any format finds the customer by its digits.
CREATE OR REPLACE FUNCTION sb_customer_search_text(kode text, nama text, email text, telp text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(coalesce(kode, '') || ' ' || coalesce(nama, '') || ' ' || coalesce(email, '') || ' '
               || coalesce(sb_normalize_phone(telp), ''))
$$;

-- One trigram index over that text finds any part of it (LIKE '%…%') without reading every
-- customer. One index, not one per column: each costs every new customer an insert (measured on
-- a million customers, single-row inserts: ~0.12 ms without, ~0.15 ms with four per-column
-- indexes, ~0.13 ms with this one). Returning customers' updates stay HOT: it reads no column
-- they change but email and telp, which were indexed already. A small pending list (256 kB, not
-- the default 4 MB) keeps the occasional merge into the index short for the booking that meets it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS customer_search_trgm_idx ON customer
  USING gin (sb_customer_search_text(kode_cs, nama_cs, email, telp) gin_trgm_ops)
  WITH (gin_pending_list_limit = 256);

-- Legacy bookings (no kode_cs) by normalized phone, for a customer's booking count and history:
-- booking_online_telp_key_idx finds them too, but among all the phone's bookings, each read from
-- the table to test kode_cs (measured, the CSV of a million customers: 14-16 s, 9-10 s with this).
-- This app's bookings always carry kode_cs, so none of them ever enters it.
CREATE INDEX IF NOT EXISTS booking_online_legacy_telp_idx ON booking_online (sb_normalize_phone(telp_customer))
  WHERE kode_cs IS NULL;
