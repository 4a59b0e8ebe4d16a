-- The customer a booking belongs to (docs/behaviour.md: Matching a booking to a customer): 1. the phone's owner (sb_phone_owner); 2. the same
-- email, compared lower-cased; 3. the same name (sb_name_key) among customers without a phone. At
-- each step the smallest id_customer wins; NULL when none matches, and the booking makes a new
-- customer. p_telp is normalized already (sb_normalize_phone); p_email is NULL when none was given.
-- Bookings that could match one customer share a key of sb_match_keys: a rule changed here may
-- need a key there.
--
-- A set-returning function of one row, and not a scalar one, so that PostgreSQL inlines it: a
-- scalar SQL function whose body holds subqueries runs as a query of its own on every call
-- (migration 007 measured what that costs). Called as `CROSS JOIN LATERAL sb_match_customer(…)`,
-- each step is planned into the caller's query as the index lookup it is: customer_telp_key_idx,
-- customer_email_key_idx, customer_name_key_nophone_id_idx (migrations 003 and 010). It must
-- stay LANGUAGE sql, STABLE, not STRICT and without SET clauses, or the inlining stops
-- (MatchingFunctionTests checks that it happens).
CREATE OR REPLACE FUNCTION sb_match_customer(p_telp text, p_email text, p_nama text)
RETURNS TABLE (customer_id integer)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    (SELECT o.customer_id FROM sb_phone_owner(p_telp) AS o),
    (SELECT c.id_customer FROM customer c
     WHERE lower(c.email) = lower(p_email) ORDER BY c.id_customer LIMIT 1),
    (SELECT c.id_customer FROM customer c
     WHERE sb_name_key(c.nama_cs) = sb_name_key(p_nama) AND sb_normalize_phone(c.telp) IS NULL
     ORDER BY c.id_customer LIMIT 1))
$$;
