-- After a booking of customer p_kode_cs was cancelled or moved: the customer's tanggal_booking
-- becomes the start of their latest booking not cancelled (the one that starts last), and stays as
-- it is when none is left. Their bookings are those carrying the code, and the legacy ones (no
-- kode_cs) the customer owns by phone (sb_phone_owner), as the staff pages count them. Answers the
-- customer's name and phone for the log line; no row when no customer has the code.
-- The customer with the code is found as CustomerMasterStore finds it: a code of this app's form
-- through the index on its number (migration 003), any other one row by row (the second branch
-- runs only for such a code).
CREATE OR REPLACE FUNCTION sb_customer_restamp(p_kode_cs text) RETURNS TABLE (r_nama_cs text, r_telp text)
LANGUAGE sql AS $$
  WITH c AS (
    SELECT f.id_customer, f.kode_cs, sb_normalize_phone(f.telp) AS phone
    FROM (SELECT c.id_customer, c.kode_cs, c.telp FROM customer c
          WHERE sb_kode_number(c.kode_cs) = sb_kode_number(p_kode_cs) AND c.kode_cs = p_kode_cs
          UNION ALL
          SELECT c.id_customer, c.kode_cs, c.telp FROM customer c
          WHERE sb_kode_number(p_kode_cs) IS NULL AND c.kode_cs = p_kode_cs) AS f
    ORDER BY f.id_customer LIMIT 1
  )
  UPDATE customer u SET tanggal_booking = coalesce(
      (SELECT max(b.tanggal_booking + b.jam_booking) FROM booking_online b
       WHERE b.dibatalkan_pada IS NULL
         AND (b.kode_cs = c.kode_cs
              OR (b.kode_cs IS NULL AND sb_normalize_phone(b.telp_customer) = c.phone
                  AND c.id_customer = (SELECT o.customer_id FROM sb_phone_owner(c.phone) AS o)))),
      u.tanggal_booking)
  FROM c
  WHERE u.id_customer = c.id_customer
  RETURNING u.nama_cs::text, u.telp::text
$$;
