-- One booking (migration 005), kept for responders of an older version that may still run during
-- an upgrade: a batch of one, so that one place decides what a booking does.
CREATE OR REPLACE FUNCTION sb_book(
  p_ref text, p_nama text, p_jenis_kelamin text, p_telp_entered text, p_telp text, p_email text,
  p_alamat text, p_studio_id integer, p_tanggal date, p_jam time, p_today date, p_max_active integer
) RETURNS TABLE (r_kode_cs text, r_created boolean, r_nama_cs text, r_telp text)
LANGUAGE plpgsql AS $$
DECLARE
  v_outcome text;
BEGIN
  SELECT m.r_outcome, m.r_kode_cs, m.r_created, m.r_nama_cs, m.r_telp
  INTO v_outcome, r_kode_cs, r_created, r_nama_cs, r_telp
  FROM sb_book_many(ARRAY[p_ref], ARRAY[p_nama], ARRAY[p_jenis_kelamin], ARRAY[p_telp_entered], ARRAY[p_telp],
                    ARRAY[p_email], ARRAY[p_alamat], ARRAY[p_studio_id], ARRAY[p_tanggal], ARRAY[p_jam],
                    ARRAY[1::smallint], p_today, p_max_active) AS m;
  -- The errors that version expects; it books one hour, and knows no opening hours.
  IF v_outcome = 'slot_taken' THEN
    RAISE unique_violation USING MESSAGE = 'slot already booked', CONSTRAINT = 'booking_online_slot_key';
  ELSIF v_outcome = 'too_many_active' THEN
    RAISE check_violation USING MESSAGE = 'too many active bookings for this phone', CONSTRAINT = 'booking_active_limit';
  ELSIF v_outcome = 'closed' THEN
    RAISE check_violation USING MESSAGE = 'the studio is not open for this session', CONSTRAINT = 'booking_opening_hours';
  END IF;
  RETURN NEXT;
END
$$;
