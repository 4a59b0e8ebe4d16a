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
  -- A customer merged into another (digabung_ke) stands for that one: one hop is enough, since a
  -- merge repoints the rows merged into the customer it merges (CustomerChangeStore.merge) and never
  -- merges into a merged one. The kept customer is found by its code as CustomerMasterStore finds
  -- codes: through the index on the number, or row by row for a code of another form.
  SELECT CASE WHEN d.digabung_ke IS NULL THEN m.id ELSE coalesce(
      (SELECT k.id_customer FROM customer k
       WHERE sb_kode_number(k.kode_cs) = sb_kode_number(d.digabung_ke) AND k.kode_cs = d.digabung_ke
       ORDER BY k.id_customer LIMIT 1),
      (SELECT k.id_customer FROM customer k
       WHERE sb_kode_number(d.digabung_ke) IS NULL AND k.kode_cs = d.digabung_ke
       ORDER BY k.id_customer LIMIT 1),
      m.id) END
  FROM (SELECT coalesce(
    (SELECT o.customer_id FROM sb_phone_owner(p_telp) AS o),
    (SELECT c.id_customer FROM customer c
     WHERE lower(c.email) = lower(p_email) ORDER BY c.id_customer LIMIT 1),
    -- An erased customer (dihapus_pada) has no phone and no email left, but a name: never matched.
    (SELECT c.id_customer FROM customer c
     WHERE sb_name_key(c.nama_cs) = sb_name_key(p_nama) AND sb_normalize_phone(c.telp) IS NULL
       AND c.dihapus_pada IS NULL
     ORDER BY c.id_customer LIMIT 1)) AS id) AS m
  LEFT JOIN customer d ON d.id_customer = m.id
$$;
