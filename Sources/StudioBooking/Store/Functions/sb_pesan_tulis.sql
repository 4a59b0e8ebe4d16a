-- Writes the messages of one event for some bookings into the outbox (Migrations/017_messages.sql),
-- set-wise, in the caller's transaction: sb_book_many for a batch, sb_cancel_booking and
-- sb_reschedule_booking for one booking, and any staff path through those. One row per channel the
-- settings (pesan_setelan) turn on: e-mail only for a booking with an address. Legacy bookings (no
-- ref) get none.
--
-- booking_created and booking_rescheduled also write the reminder, due BOOKING_REMINDER_HOURS
-- before the start, or at once when that moment has passed and the start is more than an hour
-- away (else none: it would come too late to help). booking_cancelled and booking_rescheduled drop
-- the reminders not yet sent (a move then writes them anew for the new time). The NOTIFY reaches
-- the senders when the caller commits, never before (a committer's, after its commit: below).
CREATE OR REPLACE FUNCTION sb_pesan_tulis(p_ids integer[], p_kejadian text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  s pesan_setelan%ROWTYPE;
BEGIN
  IF p_kejadian IN ('booking_cancelled', 'booking_rescheduled') THEN
    DELETE FROM pesan p
    WHERE p.id_booking = ANY (p_ids) AND p.kejadian = 'reminder' AND p.status <> 'sent';
  END IF;
  SELECT * INTO s FROM pesan_setelan WHERE id;
  IF NOT FOUND OR NOT (s.email OR s.webhook) THEN RETURN; END IF;

  -- Each row's key is its number behind the installation's prefix (migration 018).
  INSERT INTO pesan (id_pesan, kunci, id_booking, kejadian, saluran, berikutnya, studio_id, mulai, durasi_jam,
                     jadwal_versi)
  SELECT m.id, s.kunci_awal || '-' || m.id, m.id_booking, m.kejadian, m.saluran, m.due, m.studio_id, m.mulai,
         m.durasi_jam, m.jadwal_versi
  FROM (
    SELECT nextval('pesan_id_pesan_seq') AS id, b.id_booking, e.kejadian, c.saluran, e.due, b.studio_id,
           b.tanggal_booking + b.jam_booking AS mulai, coalesce(b.durasi_jam, 1) AS durasi_jam, b.jadwal_versi
    FROM booking_online b
    CROSS JOIN LATERAL (SELECT (b.tanggal_booking + b.jam_booking) AT TIME ZONE s.zona AS start) AS t
    CROSS JOIN LATERAL (
      SELECT p_kejadian AS kejadian, now() AS due
      UNION ALL
      SELECT 'reminder', greatest(t.start - make_interval(hours => s.pengingat_jam), now())
      WHERE p_kejadian IN ('booking_created', 'booking_rescheduled') AND t.start > now() + interval '1 hour'
    ) AS e
    CROSS JOIN LATERAL (
      SELECT 'email'::text AS saluran WHERE s.email AND nullif(b.email_customer, '') IS NOT NULL
      UNION ALL
      SELECT 'webhook' WHERE s.webhook
    ) AS c
    WHERE b.id_booking = ANY (p_ids) AND b.ref IS NOT NULL) AS m;

  -- The senders hear of them when the caller commits. Not from a booking batch: a NOTIFY makes
  -- every notifying transaction commit alone (Functions/sb_schedule_changed.sql), so the
  -- committers' connections (studio_booking.announced) tell the senders after their commit, with
  -- the days they booked (ScheduleListener.announce).
  IF FOUND AND current_setting('studio_booking.announced', true) IS DISTINCT FROM 'on' THEN
    PERFORM pg_notify('sb_pesan', '');
  END IF;
END
$$;
