-- Tells every responder which studio days' free times changed, so that each can drop them from its
-- cache (Availability): `NOTIFY sb_schedule` with the payload `{studio_id} {YYYY-MM-DD}` for each
-- day a booking was added to, cancelled, moved from or to, or removed, whoever wrote it (this app,
-- staff, an older system), and `*` when studios or closed days changed. Delivered at commit, to
-- listeners only, and one per distinct payload per transaction: a batch of bookings costs one
-- statement-level trigger run, not one per row.
CREATE OR REPLACE FUNCTION sb_schedule_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME <> 'booking_online' THEN
    PERFORM pg_notify('sb_schedule', '*');
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('sb_schedule', d.payload)
    FROM (SELECT DISTINCT n.studio_id || to_char(n.tanggal_booking, ' YYYY-MM-DD') AS payload FROM new_rows n) AS d;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('sb_schedule', d.payload)
    FROM (SELECT DISTINCT o.studio_id || to_char(o.tanggal_booking, ' YYYY-MM-DD') AS payload FROM old_rows o) AS d;
  ELSE
    PERFORM pg_notify('sb_schedule', d.payload)
    FROM (SELECT n.studio_id || to_char(n.tanggal_booking, ' YYYY-MM-DD') AS payload FROM new_rows n
          UNION
          SELECT o.studio_id || to_char(o.tanggal_booking, ' YYYY-MM-DD') FROM old_rows o) AS d;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER booking_online_schedule_insert AFTER INSERT ON booking_online
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sb_schedule_changed();
CREATE OR REPLACE TRIGGER booking_online_schedule_update AFTER UPDATE ON booking_online
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sb_schedule_changed();
CREATE OR REPLACE TRIGGER booking_online_schedule_delete AFTER DELETE ON booking_online
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sb_schedule_changed();
CREATE OR REPLACE TRIGGER studio_schedule_changed AFTER INSERT OR UPDATE OR DELETE ON studio
  FOR EACH STATEMENT EXECUTE FUNCTION sb_schedule_changed();
CREATE OR REPLACE TRIGGER hari_libur_schedule_changed AFTER INSERT OR UPDATE OR DELETE ON hari_libur
  FOR EACH STATEMENT EXECUTE FUNCTION sb_schedule_changed();
