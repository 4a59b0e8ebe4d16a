-- Tells every responder which studio days' free times changed, so that each can drop them from its
-- cache (FreeTimesCache): `NOTIFY sb_schedule` with the payload `{studio_id} {YYYY-MM-DD}` for each
-- day a booking was added to, cancelled, moved from or to, or removed, and `*` when studios or
-- closed days changed. Delivered at commit, to listeners only, one per distinct payload.
--
-- Not for the booking batch: a NOTIFY holds a database-wide lock from the commit's start to its
-- end, WAL flush included, so every notifying transaction commits alone (measured with bench/run:
-- pgbench's one-booking transactions fell from ~4,500 to ~2,000 a second with it). The committers'
-- connections set `studio_booking.announced = on` and announce the days they booked after the
-- commit (ScheduleListener.announce), outside any booking's transaction. Every other writer, this
-- app's staff and cancellations or another program, is told about here.
CREATE OR REPLACE FUNCTION sb_schedule_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME <> 'booking_online' THEN
    PERFORM pg_notify('sb_schedule', '*');
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('sb_schedule', OLD.studio_id || to_char(OLD.tanggal_booking, ' YYYY-MM-DD'));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('sb_schedule', NEW.studio_id || to_char(NEW.tanggal_booking, ' YYYY-MM-DD'));
  END IF;
  RETURN NULL;
END
$$;

-- Row triggers whose WHEN is false on an announcing connection are not even queued.
DROP TRIGGER IF EXISTS booking_online_schedule_insert ON booking_online;
DROP TRIGGER IF EXISTS booking_online_schedule_update ON booking_online;
DROP TRIGGER IF EXISTS booking_online_schedule_delete ON booking_online;
CREATE OR REPLACE TRIGGER booking_online_schedule_changed AFTER INSERT OR UPDATE OR DELETE ON booking_online
  FOR EACH ROW WHEN (current_setting('studio_booking.announced', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION sb_schedule_changed();
CREATE OR REPLACE TRIGGER studio_schedule_changed AFTER INSERT OR UPDATE OR DELETE ON studio
  FOR EACH STATEMENT EXECUTE FUNCTION sb_schedule_changed();
CREATE OR REPLACE TRIGGER hari_libur_schedule_changed AFTER INSERT OR UPDATE OR DELETE ON hari_libur
  FOR EACH STATEMENT EXECUTE FUNCTION sb_schedule_changed();
