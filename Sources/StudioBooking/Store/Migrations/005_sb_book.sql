-- One booking and its customer-master change, in one server-side function so that a booking is one
-- round trip. It is a function rather than one statement with CTEs because every step must see
-- what committed while it waited for a lock: each statement in PL/pgSQL takes a fresh snapshot.
CREATE OR REPLACE FUNCTION sb_book(
  p_ref           text,
  p_nama          text,
  p_jenis_kelamin text,
  p_telp_entered  text,
  p_telp          text,   -- normalized
  p_email         text,   -- NULL when none was given
  p_alamat        text,
  p_studio_id     integer,
  p_tanggal       date,
  p_jam           time,
  p_today         date,   -- in the studios' time zone
  p_max_active    integer -- active (today or later) bookings allowed per phone; 0: no limit
) RETURNS TABLE (r_kode_cs text, r_created boolean, r_nama_cs text, r_telp text)
LANGUAGE plpgsql AS $$
DECLARE
  v_email  text := lower(p_email);
  v_id     integer;
  v_number integer;
BEGIN
  -- Legacy bookings sit outside booking_online_slot_key; a new booking may not join them either.
  IF EXISTS (SELECT 1 FROM booking_online b
             WHERE b.ref IS NULL AND b.studio_id = p_studio_id
               AND b.tanggal_booking = p_tanggal AND b.jam_booking = p_jam) THEN
    RAISE unique_violation USING MESSAGE = 'slot already booked', CONSTRAINT = 'booking_online_slot_key';
  END IF;

  -- Bookings that could match one customer wait for each other here. A row lock cannot do this
  -- for a customer who does not exist yet. Taken in ascending order, so they never deadlock.
  PERFORM pg_advisory_xact_lock(k)
  FROM unnest(ARRAY[hashtextextended('sb:telp:' || p_telp, 0),
                    hashtextextended('sb:email:' || v_email, 0)]) AS k
  WHERE k IS NOT NULL
  ORDER BY k;

  -- Under the phone's lock, so simultaneous bookings cannot slip past the limit together.
  IF p_max_active > 0 AND (SELECT count(*) FROM (
        SELECT 1 FROM booking_online b
        WHERE sb_normalize_phone(b.telp_customer) = p_telp AND b.tanggal_booking >= p_today
        LIMIT p_max_active) AS active) >= p_max_active THEN
    RAISE check_violation USING MESSAGE = 'too many active bookings for this phone', CONSTRAINT = 'booking_active_limit';
  END IF;

  -- 1. same normalized phone; 2. same email; 3. same name and no phone. Smallest id wins.
  SELECT c.id_customer INTO v_id FROM customer c
  WHERE sb_normalize_phone(c.telp) = p_telp ORDER BY c.id_customer LIMIT 1;
  IF v_id IS NULL AND v_email IS NOT NULL THEN
    SELECT c.id_customer INTO v_id FROM customer c
    WHERE lower(c.email) = v_email ORDER BY c.id_customer LIMIT 1;
  END IF;
  IF v_id IS NULL THEN
    SELECT c.id_customer INTO v_id FROM customer c
    WHERE sb_name_key(c.nama_cs) = sb_name_key(p_nama) AND sb_normalize_phone(c.telp) IS NULL
    ORDER BY c.id_customer LIMIT 1;
  END IF;

  IF v_id IS NOT NULL THEN
    UPDATE customer c SET
      tanggal_booking = p_tanggal + p_jam,
      jenis_kelamin   = p_jenis_kelamin,
      alamat          = p_alamat,
      email           = coalesce(v_email, c.email),
      telp            = CASE WHEN sb_normalize_phone(c.telp) IS NULL THEN p_telp ELSE c.telp END
    WHERE c.id_customer = v_id
    RETURNING c.kode_cs, false, c.nama_cs, c.telp INTO r_kode_cs, r_created, r_nama_cs, r_telp;
  ELSE
    -- Also above any code issued behind our back (an older system still writing to the table).
    UPDATE kode_cs_counter SET last_number =
      greatest(last_number, coalesce((SELECT max(sb_kode_number(c.kode_cs)) FROM customer c), 0)) + 1
    RETURNING last_number INTO v_number;
    r_kode_cs := 'CS-' || CASE WHEN v_number < 1000000 THEN lpad(v_number::text, 6, '0') ELSE v_number::text END;
    INSERT INTO customer (kode_cs, nama_cs, jenis_kelamin, telp, alamat, jenis_cs, tanggal_booking, email)
    VALUES (r_kode_cs, p_nama, p_jenis_kelamin, p_telp, p_alamat, p_studio_id, p_tanggal + p_jam, v_email)
    RETURNING true, customer.nama_cs, customer.telp INTO r_created, r_nama_cs, r_telp;
  END IF;

  INSERT INTO booking_online (ref, nama_customer, jenis_kelamin, telp_customer, email_customer,
                              alamat_customer, studio_id, tanggal_booking, jam_booking, kode_cs)
  VALUES (p_ref, p_nama, p_jenis_kelamin, p_telp_entered, p_email, p_alamat, p_studio_id,
          p_tanggal, p_jam, r_kode_cs);
  RETURN NEXT;
END
$$;
