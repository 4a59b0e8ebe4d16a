-- A phone as customers are matched by (docs/behaviour.md: Matching a booking to a customer): digits only; a leading 62 becomes 0; no
-- digits at all is no phone. Phone.normalize in Swift must agree with it, for legacy rows.
--
-- Indexes hold its results (migrations 003, 004, 009, 010): a body that answers differently for
-- any input needs a numbered migration that rebuilds them. One expression, without a FROM clause,
-- so that PostgreSQL inlines it: as a small query of its own it cost 66 of a booking's ~230 µs in
-- the database (migration 007).
CREATE OR REPLACE FUNCTION sb_normalize_phone(raw text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(regexp_replace(regexp_replace(coalesce(raw, ''), '[^0-9]', '', 'g'), '^62', '0'), '')
$$;
