-- The hours (0-23) at which a session of studio p_studio may run on p_day: its opening hours of
-- that weekday (studio.jam_buka/jam_tutup, ISO weekday), none when the studio is not active, the
-- weekday is closed, or p_day is a closed day for it or for every studio (hari_libur). A session
-- is open when each of its hours is. The one home of that rule: the form's free starts
-- (AvailabilityStore) and the batch's decision (sb_book_many) both read it.
-- Set-returning and LANGUAGE sql, so that PostgreSQL inlines it into the caller (see sb_match_customer).
CREATE OR REPLACE FUNCTION sb_open_hours(p_studio integer, p_day date) RETURNS TABLE (h integer)
LANGUAGE sql STABLE AS $$
  SELECT g.h
  FROM studio s,
       generate_series(s.jam_buka[extract(isodow FROM p_day)::integer]::integer,
                       s.jam_tutup[extract(isodow FROM p_day)::integer]::integer - 1) AS g(h)
  WHERE s.id_studio = p_studio AND s.aktif
    AND NOT EXISTS (SELECT 1 FROM hari_libur l
                    WHERE l.tanggal = p_day AND (l.studio_id IS NULL OR l.studio_id = p_studio))
$$;
