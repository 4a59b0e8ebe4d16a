-- The hours (0-23) of p_day that bookings of studio p_studio not cancelled take: each of this app's
-- bookings its durasi_jam hours from its start, each legacy one (durasi_jam NULL) one hour; a start
-- off the hour (a legacy row at 10:30) takes every hour it touches. A session is free when none of
-- its hours is taken. The one home of that rule, as sb_open_hours is of the opening hours.
-- p_except: a booking (id_booking) left out, the one being moved (sb_reschedule_booking); NULL, as
-- every other caller has it, leaves none out, and PostgreSQL folds the test away when it inlines.
-- Two index scans, one per partial index of the booking's studio and day (migrations 004, 012):
-- a condition without `ref` could use neither. Inlined into the caller, as sb_open_hours.
CREATE OR REPLACE FUNCTION sb_busy_hours(p_studio integer, p_day date, p_except integer DEFAULT NULL)
RETURNS TABLE (h integer)
LANGUAGE sql STABLE AS $$
  SELECT DISTINCT g.h
  FROM (SELECT b.jam_booking, b.durasi_jam FROM booking_online b
        WHERE b.studio_id = p_studio AND b.tanggal_booking = p_day AND b.ref IS NOT NULL AND b.dibatalkan_pada IS NULL
          AND (p_except IS NULL OR b.id_booking <> p_except)
        UNION ALL
        SELECT b.jam_booking, b.durasi_jam FROM booking_online b
        WHERE b.studio_id = p_studio AND b.tanggal_booking = p_day AND b.ref IS NULL AND b.dibatalkan_pada IS NULL
          AND (p_except IS NULL OR b.id_booking <> p_except)
       ) AS b(jam, durasi),
       LATERAL (SELECT extract(epoch FROM b.jam)::integer AS start_s,
                       extract(epoch FROM b.jam)::integer + 3600 * coalesce(b.durasi, 1) AS end_s) AS s,
       generate_series(s.start_s / 3600, least((s.end_s + 3599) / 3600, 24) - 1) AS g(h)
$$;
