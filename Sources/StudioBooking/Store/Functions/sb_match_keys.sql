-- The keys by which a booking could match the same customer as another booking: its normalized
-- phone and its email, lower-cased (sb_match_customer). The third step, a name without a phone,
-- needs no key: a booking always has a phone, so no booking makes a customer another could match
-- by name alone, and two bookings matching an existing customer share its id_customer. Bookings
-- that share a key wait for each other (sb_book_many's advisory locks) and are never decided in
-- one batch (its deferral). p_telp is normalized already; p_email is NULL when none was given.
-- Set-returning and LANGUAGE sql, so that PostgreSQL inlines it (see sb_match_customer).
CREATE OR REPLACE FUNCTION sb_match_keys(p_telp text, p_email text) RETURNS TABLE (key text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT k.key FROM (VALUES ('sb:telp:' || p_telp), ('sb:email:' || lower(p_email))) AS k(key)
  WHERE k.key IS NOT NULL
$$;
