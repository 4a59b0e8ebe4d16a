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

-- Its trigram index is not on the customer table, where every new customer's booking paid for it:
-- see migration 011. (This script once built it here; 011 drops it where it was built.)
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Legacy bookings (no kode_cs) by normalized phone, for a customer's booking count and history:
-- booking_online_telp_key_idx finds them too, but among all the phone's bookings, each read from
-- the table to test kode_cs (measured, the CSV of a million customers: 14-16 s, 9-10 s with this).
-- This app's bookings always carry kode_cs, so none of them ever enters it.
CREATE INDEX IF NOT EXISTS booking_online_legacy_telp_idx ON booking_online (sb_normalize_phone(telp_customer))
  WHERE kode_cs IS NULL;
