-- Several bookings, each with its customer-master change, in one transaction and one round trip.
-- A responder gathers the bookings that arrive while its previous batch is in the database and
-- sends them together (Batcher.swift): one commit, one turn of the customer-code counter and one
-- round trip then serve them all. New customer codes stay gapless: the counter row is still held
-- until the commit, but once per batch instead of once per new customer.
--
-- The batch is decided and written set-wise, in a few statements for the whole batch. That is only
-- the same as deciding the bookings one after another when no booking reads what another writes, so
-- a booking that shares a matching key (sb_match_keys), a studio's day or a matched customer with
-- an earlier booking of the batch is not decided here: it comes back 'deferred', and the responder
-- sends it again, after this batch has committed. Concurrent bookings have no order of their own; this gives them
-- one in which each sees the others' effects.
--
-- r_outcome, one row per booking in array order: 'booked'; 'closed' (the session does not lie within
-- the studio's opening hours of that day, the day is closed, the studio is not active, or the
-- session is longer than its durasi_maks); 'slot_taken' (a booking not cancelled, this app's or a
-- legacy one, takes one of its hours); 'too_many_active' (the phone holds p_max_active bookings not
-- cancelled from p_today on); 'deferred' (not decided, nothing written: send it again). A refusal
-- refuses only that booking; any error undoes the whole batch.
CREATE OR REPLACE FUNCTION sb_book_many(
  p_ref           text[],
  p_nama          text[],
  p_jenis_kelamin text[],
  p_telp_entered  text[],
  p_telp          text[],     -- normalized
  p_email         text[],     -- NULL elements when none was given
  p_alamat        text[],
  p_studio_id     integer[],
  p_tanggal       date[],
  p_jam           time[],
  p_durasi        smallint[], -- hours
  p_today         date,       -- in the studios' time zone
  p_max_active    integer     -- active (today or later) bookings allowed per phone; 0: no limit
) RETURNS TABLE (r_outcome text, r_kode_cs text, r_created boolean, r_nama_cs text, r_telp text)
-- The responders' committer connections run it with plan_cache_mode = force_generic_plan (BookingSender.swift):
-- otherwise its statements are planned anew on each call, since a plan for the arrays at hand
-- looks cheaper than a generic one, and that planning costs more than the writing (measured: a
-- batch of one, 1.3 ms against 0.6 ms). A SET clause here would do the same at ~0.2 ms a call.
LANGUAGE plpgsql AS $$
DECLARE
  v_count   integer := coalesce(array_length(p_ref, 1), 0);
  v_outcome text[];     -- per booking: 'book', 'slot_taken', 'too_many_active' or 'deferred'
  v_cid     integer[];  -- per booking: the matched customer; NULL for a new one
  v_new     integer;    -- bookings that make a new customer
  v_last    integer := 0;
BEGIN
  IF v_count = 0 THEN RETURN; END IF;
  IF array_length(p_nama, 1) IS DISTINCT FROM v_count OR array_length(p_jenis_kelamin, 1) IS DISTINCT FROM v_count
     OR array_length(p_telp_entered, 1) IS DISTINCT FROM v_count OR array_length(p_telp, 1) IS DISTINCT FROM v_count
     OR array_length(p_email, 1) IS DISTINCT FROM v_count OR array_length(p_alamat, 1) IS DISTINCT FROM v_count
     OR array_length(p_studio_id, 1) IS DISTINCT FROM v_count OR array_length(p_tanggal, 1) IS DISTINCT FROM v_count
     OR array_length(p_jam, 1) IS DISTINCT FROM v_count OR array_length(p_durasi, 1) IS DISTINCT FROM v_count THEN
    RAISE invalid_parameter_value USING MESSAGE = 'sb_book_many: the arrays differ in length';
  END IF;

  -- Bookings that could match one customer (they share a key of sb_match_keys), or fall on one
  -- studio's day (sessions of different starts and lengths may overlap), wait for each other here: a row lock cannot do this for a customer or booking that does not
  -- exist yet. The whole batch's keys are taken at once in ascending order, so batches never
  -- deadlock on them.
  PERFORM pg_advisory_xact_lock(k)
  FROM (SELECT DISTINCT hashtextextended(l.key, 0) AS k
        FROM unnest(p_telp, p_email, p_studio_id, p_tanggal) AS b(telp, email, studio, tanggal),
        LATERAL (SELECT m.key FROM sb_match_keys(b.telp, b.email) AS m
                 UNION ALL
                 SELECT 'sb:day:' || b.studio || to_char(b.tanggal, ' YYYY-MM-DD')) AS l(key)
       ) AS keys
  ORDER BY k;

  -- Decide every booking, under those locks, in a statement of its own so that it sees everything
  -- committed while the locks were awaited.
  --   deferred: it shares a key of sb_match_keys, a studio's day or a matched customer with an
  --     earlier booking of the batch.
  --   closed: an hour of the session that sb_open_hours does not give, or longer than durasi_maks.
  --   taken: an hour of the session that sb_busy_hours gives (booking_online_no_overlap stays as
  --     the last line of defence for this app's bookings).
  --   limit: the phone's bookings not cancelled from today on, counted up to the limit.
  --   customer: sb_match_customer.
  SELECT array_agg(d.outcome ORDER BY d.i), array_agg(d.cid ORDER BY d.i),
         count(*) FILTER (WHERE d.outcome = 'book' AND d.cid IS NULL)
  INTO v_outcome, v_cid, v_new
  FROM (
    SELECT k.i, k.cid, CASE
        WHEN k.shares_key
          OR row_number() OVER (PARTITION BY k.studio, k.tanggal ORDER BY k.i) > 1
          OR (k.cid IS NOT NULL AND row_number() OVER (PARTITION BY k.cid ORDER BY k.i) > 1) THEN 'deferred'
        WHEN k.closed THEN 'closed'
        WHEN k.taken THEN 'slot_taken'
        WHEN k.over THEN 'too_many_active'
        ELSE 'book' END AS outcome
    FROM (
      SELECT b.i, b.studio, b.tanggal, later.i IS NOT NULL AS shares_key,
        b.durasi > coalesce((SELECT st.durasi_maks FROM studio st WHERE st.id_studio = b.studio), 0)
          OR (SELECT count(*) FROM sb_open_hours(b.studio, b.tanggal) AS o
              WHERE o.h >= b.first_hour AND o.h < b.first_hour + b.durasi) < b.durasi AS closed,
        EXISTS (SELECT 1 FROM sb_busy_hours(b.studio, b.tanggal) AS t
                WHERE t.h >= b.first_hour AND t.h < b.first_hour + b.durasi) AS taken,
        p_max_active > 0 AND (SELECT count(*) FROM (
            SELECT 1 FROM booking_online x
            WHERE sb_normalize_phone(x.telp_customer) = b.telp AND x.tanggal_booking >= p_today
              AND x.dibatalkan_pada IS NULL
            LIMIT p_max_active) AS active) >= p_max_active AS over,
        m.customer_id AS cid
      FROM (SELECT u.*, extract(hour FROM u.jam)::integer AS first_hour
            FROM unnest(p_telp, p_email, p_nama, p_studio_id, p_tanggal, p_jam, p_durasi) WITH ORDINALITY
                 AS u(telp, email, nama, studio, tanggal, jam, durasi, i)) AS b
      CROSS JOIN LATERAL sb_match_customer(b.telp, b.email, b.nama) AS m
      LEFT JOIN (
        SELECT s.i FROM (
          SELECT e.i, row_number() OVER (PARTITION BY mk.key ORDER BY e.i) AS n
          FROM unnest(p_telp, p_email) WITH ORDINALITY AS e(telp, email, i)
          CROSS JOIN LATERAL sb_match_keys(e.telp, e.email) AS mk) AS s
        WHERE s.n > 1 GROUP BY s.i) AS later ON later.i = b.i
    ) AS k
  ) AS d;

  IF v_new > 0 THEN
    -- From here to the commit no other booking issues a code. If this waited for the row, it reads
    -- the row as the holder committed it. The highest code in the table keeps the numbers above
    -- codes an older system may have written behind the counter's back.
    SELECT greatest(n.last_number, coalesce((SELECT max(sb_kode_number(c.kode_cs)) FROM customer c), 0))
    INTO v_last FROM kode_cs_counter n FOR UPDATE;
  END IF;

  -- [Customer history, migration 016] The matched customers are locked here, in id order, before
  -- they are written: the statement below then reads each one's values before the change (its
  -- snapshot comes after these locks) for customer_riwayat. A customer merged or erased by staff
  -- since the decision (their transaction held the row) is not written to: the batch is decided
  -- again, and the booking then goes to the customer kept (sb_match_customer), or makes a new one.
  IF EXISTS (SELECT 1 FROM (SELECT c.digabung_ke, c.dihapus_pada FROM customer c
                            WHERE c.id_customer IN (SELECT u.cid FROM unnest(v_cid, v_outcome) AS u(cid, outcome)
                                                    WHERE u.outcome = 'book')
                            ORDER BY c.id_customer FOR UPDATE) AS l
             WHERE l.digabung_ke IS NOT NULL OR l.dihapus_pada IS NOT NULL) THEN
    PERFORM sb_conflict('a matched customer was merged or erased during the booking');
  END IF;
  -- [End of customer history]

  -- Write the decided bookings: update the matched customers, add the new ones (numbered in
  -- booking order), add the bookings with their customers' codes; answer in array order.
  RETURN QUERY
  WITH b AS (
    SELECT u.*, v_outcome[u.i] AS outcome, v_cid[u.i] AS cid
    FROM unnest(p_ref, p_nama, p_jenis_kelamin, p_telp_entered, p_telp, p_email, p_alamat, p_studio_id,
                p_tanggal, p_jam, p_durasi) WITH ORDINALITY
         AS u(ref, nama, jk, telp_entered, telp, email, alamat, studio, tanggal, jam, durasi, i)
  ), fresh AS (
    SELECT b.i, sb_kode(v_last + (row_number() OVER (ORDER BY b.i))::integer) AS kode
    FROM b WHERE b.outcome = 'book' AND b.cid IS NULL
  ), updated AS (
    UPDATE customer c SET
      tanggal_booking = b.tanggal + b.jam,
      jenis_kelamin   = b.jk,
      alamat          = b.alamat,
      email           = coalesce(lower(b.email), c.email),
      telp            = CASE WHEN sb_normalize_phone(c.telp) IS NULL THEN b.telp ELSE c.telp END
    FROM b
    WHERE b.outcome = 'book' AND c.id_customer = b.cid
    RETURNING b.i, c.kode_cs, c.nama_cs, c.telp,
              c.id_customer, b.ref, c.tanggal_booking, c.jenis_kelamin, c.alamat, c.email -- customer history
  ), inserted AS (
    INSERT INTO customer (kode_cs, nama_cs, jenis_kelamin, telp, alamat, jenis_cs, tanggal_booking, email)
    SELECT f.kode, b.nama, b.jk, b.telp, b.alamat, b.studio, b.tanggal + b.jam, lower(b.email)
    FROM fresh f JOIN b USING (i)
    RETURNING kode_cs, nama_cs, telp
  ), customers AS (
    SELECT u.i, u.kode_cs, false AS created, u.nama_cs, u.telp FROM updated u
    UNION ALL
    SELECT f.i, n.kode_cs, true, n.nama_cs, n.telp FROM inserted n JOIN fresh f ON f.kode = n.kode_cs
  ), counted AS (
    UPDATE kode_cs_counter SET last_number = v_last + v_new WHERE v_new > 0
  ), before AS (
    -- [Customer history] Each updated customer as it was (locked above, so as the update found it),
    -- and a row of customer_riwayat for every field the booking changed, by the booking's ref.
    SELECT c.id_customer, c.tanggal_booking, c.jenis_kelamin, c.alamat, c.email, c.telp
    FROM customer c WHERE c.id_customer IN (SELECT b.cid FROM b WHERE b.outcome = 'book')
  ), history AS (
    INSERT INTO customer_riwayat (id_customer, kolom, lama, baru, oleh_ref)
    SELECT u.id_customer, f.kolom, f.lama, f.baru, u.ref
    FROM updated u JOIN before o USING (id_customer)
    CROSS JOIN LATERAL (VALUES
      ('tanggal_booking', to_char(o.tanggal_booking, 'YYYY-MM-DD HH24:MI'), to_char(u.tanggal_booking, 'YYYY-MM-DD HH24:MI')),
      ('jenis_kelamin', o.jenis_kelamin::text, u.jenis_kelamin::text),
      ('alamat', o.alamat, u.alamat),
      ('email', o.email::text, u.email::text),
      ('telp', o.telp::text, u.telp::text)) AS f(kolom, lama, baru)
    WHERE f.lama IS DISTINCT FROM f.baru
    -- [End of customer history]
  ), booked AS (
    INSERT INTO booking_online (ref, nama_customer, jenis_kelamin, telp_customer, email_customer,
                                alamat_customer, studio_id, tanggal_booking, jam_booking, durasi_jam, kode_cs)
    SELECT b.ref, b.nama, b.jk, b.telp_entered, b.email, b.alamat, b.studio, b.tanggal, b.jam, b.durasi, c.kode_cs
    FROM b JOIN customers c USING (i)
  )
  -- A matched customer the update did not find (deleted, by an older system, since the decision)
  -- leaves a booking without its customer: undo the batch and decide again.
  SELECT CASE WHEN b.outcome <> 'book' THEN b.outcome
              WHEN c.kode_cs IS NULL THEN sb_conflict('a matched customer was removed during the booking')
              ELSE 'booked' END,
         c.kode_cs::text, c.created, c.nama_cs::text, c.telp::text
  FROM b LEFT JOIN customers c USING (i)
  ORDER BY b.i;

  -- Messages (docs/behaviour.md: Messages): each booking made here writes its confirmation and
  -- reminder to the outbox in this same transaction (sb_pesan_tulis), for the whole batch at once.
  PERFORM sb_pesan_tulis(ARRAY(
    SELECT x.id_booking FROM unnest(p_ref, v_outcome) AS u(ref, outcome)
    JOIN booking_online x ON x.ref = u.ref
    WHERE u.outcome = 'book'), 'booking_created');
END
$$;
