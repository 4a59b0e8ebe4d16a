-- A customer or staff move a booking to another studio, day, start or length (docs/behaviour.md: Your
-- booking; Bookings by staff), in one transaction and under the guarantees of a new booking (sb_book_many): the same
-- row and ref take the new time, the calendar version goes up, and the customer's tanggal_booking
-- is recomputed (sb_customer_restamp). The name, phone and the rest stay as they are.
--
-- Locks, in this order: the booking's row (so that a cancel, or another move, of the same booking
-- waits for this one and then decides on what it did); then the studio-day advisory locks of the
-- old and the new day, the keys sb_book_many takes, in the same ascending order, so that a move and
-- a new booking of one day decide one after the other, never both on what was there before either.
-- Everything below the locks is decided in statements of their own, which see what was committed
-- while the locks were awaited.
--
-- r_outcome: 'rescheduled'; 'unchanged' (the new time is the one it has: nothing written);
-- 'not_found'; 'booking_cancelled' (it cannot be moved); 'too_late' (its present start is no
-- longer after the cutoff); 'too_soon' (the new start is not after the cutoff); 'closed' (as
-- sb_book_many: outside the studio's opening hours of that day, a closed day, an inactive studio,
-- longer than its durasi_maks); 'slot_taken' (an hour of the new session is taken by another
-- booking not cancelled, sb_busy_hours leaving this one out). r_nama_cs and r_telp with
-- 'rescheduled', for the log line; r_studio_id and r_tanggal: the studio and day it had, whose free
-- times (and the new day's) the responder drops from its own cache at once.
--
-- Staff pass no cutoff (p_cutoff_hours NULL): any booking not cancelled moves, one already begun
-- too, but never to a start already begun ('too_soon', as the booking form refuses it). The booking
-- is p_ref's; with p_ref NULL, p_id's (a legacy booking has no ref; it gets its length written).
CREATE OR REPLACE FUNCTION sb_reschedule_booking(
  p_ref          text,
  p_studio_id    integer,
  p_tanggal      date,
  p_jam          time,
  p_durasi       smallint,   -- hours
  p_now          timestamp,  -- in the studios' time zone
  p_cutoff_hours integer,    -- BOOKING_CANCEL_HOURS; NULL: no cutoff (staff)
  p_id           integer DEFAULT NULL
) RETURNS TABLE (r_outcome text, r_nama_cs text, r_telp text, r_studio_id integer, r_tanggal date)
LANGUAGE plpgsql AS $$
DECLARE
  v      booking_online%ROWTYPE;
  v_hour integer := extract(hour FROM p_jam)::integer;
BEGIN
  IF p_ref IS NOT NULL THEN
    SELECT * INTO v FROM booking_online b WHERE b.ref = p_ref FOR UPDATE;
  ELSE
    SELECT * INTO v FROM booking_online b WHERE b.id_booking = p_id FOR UPDATE;
  END IF;
  r_studio_id := v.studio_id;
  r_tanggal := v.tanggal_booking;
  IF NOT FOUND THEN
    r_outcome := 'not_found'; RETURN NEXT; RETURN;
  ELSIF v.dibatalkan_pada IS NOT NULL THEN
    r_outcome := 'booking_cancelled'; RETURN NEXT; RETURN;
  ELSIF p_cutoff_hours IS NOT NULL AND NOT sb_before_cutoff(v.tanggal_booking + v.jam_booking, p_now, p_cutoff_hours) THEN
    r_outcome := 'too_late'; RETURN NEXT; RETURN;
  ELSIF NOT sb_before_cutoff(p_tanggal + p_jam, p_now, coalesce(p_cutoff_hours, 0)) THEN
    r_outcome := 'too_soon'; RETURN NEXT; RETURN;
  ELSIF (v.studio_id, v.tanggal_booking, v.jam_booking, coalesce(v.durasi_jam, 1))
        = (p_studio_id, p_tanggal, p_jam, p_durasi) THEN
    r_outcome := 'unchanged'; RETURN NEXT; RETURN;
  END IF;

  PERFORM pg_advisory_xact_lock(k)
  FROM (SELECT DISTINCT hashtextextended(d.key, 0) AS k
        FROM (VALUES ('sb:day:' || v.studio_id || to_char(v.tanggal_booking, ' YYYY-MM-DD')),
                     ('sb:day:' || p_studio_id || to_char(p_tanggal, ' YYYY-MM-DD'))) AS d(key)) AS keys
  ORDER BY k;

  IF p_durasi > coalesce((SELECT st.durasi_maks FROM studio st WHERE st.id_studio = p_studio_id), 0)
     OR (SELECT count(*) FROM sb_open_hours(p_studio_id, p_tanggal) AS o
         WHERE o.h >= v_hour AND o.h < v_hour + p_durasi) < p_durasi THEN
    r_outcome := 'closed'; RETURN NEXT; RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM sb_busy_hours(p_studio_id, p_tanggal, v.id_booking) AS t
             WHERE t.h >= v_hour AND t.h < v_hour + p_durasi) THEN
    r_outcome := 'slot_taken'; RETURN NEXT; RETURN;
  END IF;

  UPDATE booking_online
  SET studio_id = p_studio_id, tanggal_booking = p_tanggal, jam_booking = p_jam, durasi_jam = p_durasi,
      jadwal_versi = jadwal_versi + 1
  WHERE id_booking = v.id_booking;
  -- Its change message, and its reminder moved to the new start (sb_pesan_tulis), in this transaction.
  PERFORM sb_pesan_tulis(ARRAY[v.id_booking], 'booking_rescheduled');
  r_outcome := 'rescheduled';
  SELECT s.r_nama_cs, s.r_telp INTO r_nama_cs, r_telp
  FROM sb_customer_restamp(sb_booking_kode(v.kode_cs, v.telp_customer), coalesce(v.ref, v.id_booking::text)) AS s;
  IF NOT FOUND THEN
    r_nama_cs := v.nama_customer;
    r_telp := v.telp_customer;
  END IF;
  RETURN NEXT;
END
$$;
