-- sb_normalize_phone as one expression. Written with a FROM clause (migration 003) PostgreSQL could
-- not inline it, so every index that holds it (customer_telp_key_idx, booking_online_telp_key_idx,
-- the no-phone condition of customer_name_key_nophone_idx) ran it as a small query of its own on
-- every insert and update: measured, 66 of a booking's ~230 µs in the database. The results are the
-- same for every input (keep digits; a leading 62 becomes 0; no digits is NULL), so the indexes
-- built with the old body stay valid.
CREATE OR REPLACE FUNCTION sb_normalize_phone(raw text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(regexp_replace(regexp_replace(coalesce(raw, ''), '[^0-9]', '', 'g'), '^62', '0'), '')
$$;
