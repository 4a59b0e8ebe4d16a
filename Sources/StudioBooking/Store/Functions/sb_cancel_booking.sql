-- A customer or staff cancel a booking (docs/behaviour.md: Your booking; Bookings by staff), in one
-- transaction: the
-- booking is marked cancelled (dibatalkan_pada; the row stays), its calendar version goes up, and
-- the customer's tanggal_booking is recomputed (sb_customer_restamp). Its hours are free as soon as
-- this commits: the UPDATE fires sb_schedule_changed, whose NOTIFY drops the day from every
-- responder's free-times cache.
--
-- r_outcome: 'cancelled'; 'already_cancelled' (nothing changes: a second press of the button, or a
-- cancel racing another, waits for the first on the row lock and then finds it done); 'too_late'
-- (the start is no longer after the cutoff, sb_before_cutoff; never for staff, who pass no cutoff);
-- 'not_found'. r_nama_cs and r_telp,
-- for the log line, only with 'cancelled': the customer's as the master holds them, or the
-- booking's own when no customer has its code. r_studio_id and r_tanggal: the booking's studio and
-- day, whose free times the responder drops from its own cache at once (the NOTIFY reaches the
-- others a moment later).
--
-- The booking is p_ref's; with p_ref NULL, p_id's (staff, whose pages name a booking by id_booking:
-- a legacy booking has no ref). Two lookups rather than one OR, so each uses its own index.
CREATE OR REPLACE FUNCTION sb_cancel_booking(
  p_ref          text,
  p_now          timestamp,  -- in the studios' time zone
  p_cutoff_hours integer,    -- BOOKING_CANCEL_HOURS; NULL: no cutoff (staff)
  p_id           integer DEFAULT NULL
) RETURNS TABLE (r_outcome text, r_nama_cs text, r_telp text, r_studio_id integer, r_tanggal date)
LANGUAGE plpgsql AS $$
DECLARE
  v booking_online%ROWTYPE;
BEGIN
  IF p_ref IS NOT NULL THEN
    SELECT * INTO v FROM booking_online b WHERE b.ref = p_ref FOR UPDATE;
  ELSE
    SELECT * INTO v FROM booking_online b WHERE b.id_booking = p_id FOR UPDATE;
  END IF;
  r_studio_id := v.studio_id;
  r_tanggal := v.tanggal_booking;
  IF NOT FOUND THEN
    r_outcome := 'not_found';
  ELSIF v.dibatalkan_pada IS NOT NULL THEN
    r_outcome := 'already_cancelled';
  ELSIF p_cutoff_hours IS NOT NULL AND NOT sb_before_cutoff(v.tanggal_booking + v.jam_booking, p_now, p_cutoff_hours) THEN
    r_outcome := 'too_late';
  ELSE
    UPDATE booking_online SET dibatalkan_pada = now(), jadwal_versi = jadwal_versi + 1
    WHERE id_booking = v.id_booking;
    -- Its cancellation message, and its reminder dropped (sb_pesan_tulis), in this transaction.
    PERFORM sb_pesan_tulis(ARRAY[v.id_booking], 'booking_cancelled');
    r_outcome := 'cancelled';
    SELECT s.r_nama_cs, s.r_telp INTO r_nama_cs, r_telp
    FROM sb_customer_restamp(sb_booking_kode(v.kode_cs, v.telp_customer), coalesce(v.ref, v.id_booking::text)) AS s;
    IF NOT FOUND THEN
      r_nama_cs := v.nama_customer;
      r_telp := v.telp_customer;
    END IF;
  END IF;
  RETURN NEXT;
END
$$;
