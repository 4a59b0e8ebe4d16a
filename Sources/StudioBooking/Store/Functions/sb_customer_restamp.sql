-- After a booking of customer p_kode_cs was cancelled or moved: the customer's tanggal_booking
-- becomes the start of their latest booking not cancelled (the one that starts last), and stays as
-- it is when none is left. Their bookings are those carrying the code, and the legacy ones (no
-- kode_cs) the customer owns by phone (sb_phone_owner), as the staff pages count them. Answers the
-- customer's name and phone for the log line; no row when no customer has the code.
-- The customer with the code is found as CustomerMasterStore finds it: a code of this app's form
-- through the index on its number (migration 003), any other one row by row (the second branch
-- runs only for such a code).
-- A changed date goes into the customer's history (customer_riwayat, migration 016), by p_ref, the
-- booking cancelled or moved; the row is locked first, so the old value is the one replaced.
CREATE OR REPLACE FUNCTION sb_customer_restamp(p_kode_cs text, p_ref text) RETURNS TABLE (r_nama_cs text, r_telp text)
LANGUAGE sql AS $$
  WITH found AS (
    SELECT f.id_customer
    FROM (SELECT c.id_customer FROM customer c
          WHERE sb_kode_number(c.kode_cs) = sb_kode_number(p_kode_cs) AND c.kode_cs = p_kode_cs
          UNION ALL
          SELECT c.id_customer FROM customer c
          WHERE sb_kode_number(p_kode_cs) IS NULL AND c.kode_cs = p_kode_cs) AS f
    ORDER BY f.id_customer LIMIT 1
  ), c AS (
    SELECT x.id_customer, x.kode_cs, sb_normalize_phone(x.telp) AS phone, x.tanggal_booking
    FROM customer x JOIN found USING (id_customer)
    FOR UPDATE OF x
  ), u AS (
  UPDATE customer u SET tanggal_booking = coalesce(
      (SELECT max(b.tanggal_booking + b.jam_booking) FROM booking_online b
       WHERE b.dibatalkan_pada IS NULL
         AND (b.kode_cs = c.kode_cs
              OR (b.kode_cs IS NULL AND sb_normalize_phone(b.telp_customer) = c.phone
                  AND c.id_customer = (SELECT o.customer_id FROM sb_phone_owner(c.phone) AS o)))),
      u.tanggal_booking)
  FROM c
  WHERE u.id_customer = c.id_customer
  RETURNING u.id_customer, u.nama_cs::text, u.telp::text, u.tanggal_booking
  ), history AS (
    INSERT INTO customer_riwayat (id_customer, kolom, lama, baru, oleh_ref)
    SELECT u.id_customer, 'tanggal_booking', to_char(c.tanggal_booking, 'YYYY-MM-DD HH24:MI'),
           to_char(u.tanggal_booking, 'YYYY-MM-DD HH24:MI'), p_ref
    FROM u JOIN c USING (id_customer)
    WHERE c.tanggal_booking IS DISTINCT FROM u.tanggal_booking
  )
  SELECT u.nama_cs, u.telp FROM u
$$;
