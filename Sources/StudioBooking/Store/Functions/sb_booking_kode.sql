-- The customer a booking belongs to, by code: its own kode_cs, or for a legacy booking (none) the
-- code of the customer its phone matches (sb_phone_owner: §5 step 1, the smallest id_customer), as
-- the staff pages give it; NULL when no customer has the phone. A cancel or move restamps this
-- customer (sb_customer_restamp), and the staff booking page links to them.
CREATE OR REPLACE FUNCTION sb_booking_kode(p_kode_cs text, p_telp text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(p_kode_cs,
                  (SELECT c.kode_cs FROM customer c
                   WHERE c.id_customer = (SELECT o.customer_id FROM sb_phone_owner(sb_normalize_phone(p_telp)) AS o)))::text
$$;
