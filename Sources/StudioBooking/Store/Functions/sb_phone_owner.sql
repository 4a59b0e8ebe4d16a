-- The customer a phone belongs to: among the customers with this normalized phone, the smallest
-- id_customer, as the first step of sb_match_customer has it. The staff pages give a legacy booking
-- (one without kode_cs) to this customer (CustomerMasterStore.swift). No row when no customer has
-- the phone.
--
-- Set-returning and LANGUAGE sql, so that PostgreSQL inlines it (see sb_match_customer): called as
-- `(SELECT o.customer_id FROM sb_phone_owner(…) AS o)` it is planned as one probe of
-- customer_telp_key_idx (migration 003), as cheap for every row of a million-customer export as
-- the subquery it stands for.
CREATE OR REPLACE FUNCTION sb_phone_owner(p_telp text) RETURNS TABLE (customer_id integer)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT c.id_customer FROM customer c
  WHERE sb_normalize_phone(c.telp) = p_telp ORDER BY c.id_customer LIMIT 1
$$;
