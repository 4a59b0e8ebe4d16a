-- The schedule (docs/behaviour.md: The schedule): sessions of several hours, cancelled bookings,
-- studios with opening hours and a longest session, closed days, and staff roles for the pages
-- that edit them. Nothing a customer sees changes on upgrade: every studio opens 09:00-21:00 every
-- day, its longest session is 4 hours, and every booking so far lasts one hour.

-- Trusted since PostgreSQL 13: the app's role, owner of its database, may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE booking_online ADD COLUMN IF NOT EXISTS durasi_jam SMALLINT NULL;         -- hours; NULL (legacy rows): 1
ALTER TABLE booking_online ADD COLUMN IF NOT EXISTS dibatalkan_pada TIMESTAMP NULL;   -- NULL: not cancelled

-- Per studio: offered to customers or not, the longest session, and per ISO weekday (index 1 =
-- Monday … 7 = Sunday, as extract(isodow)) the opening and closing hour; NULL in both: closed that
-- day. Columns with defaults rather than a table of hours, so that a studio added any way (by an
-- older system, by hand) has its hours at once.
ALTER TABLE studio ADD COLUMN IF NOT EXISTS aktif boolean NOT NULL DEFAULT true;
ALTER TABLE studio ADD COLUMN IF NOT EXISTS durasi_maks smallint NOT NULL DEFAULT 4;
ALTER TABLE studio ADD COLUMN IF NOT EXISTS jam_buka smallint[] NOT NULL DEFAULT '{9,9,9,9,9,9,9}';
ALTER TABLE studio ADD COLUMN IF NOT EXISTS jam_tutup smallint[] NOT NULL DEFAULT '{21,21,21,21,21,21,21}';

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'studio_durasi_maks_check') THEN
    ALTER TABLE studio ADD CONSTRAINT studio_durasi_maks_check CHECK (durasi_maks BETWEEN 1 AND 12);
  END IF;
  -- The hours themselves (on the hour, closing after opening) are checked where staff edit them:
  -- a CHECK cannot look inside an array element by element.
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'studio_jam_week_check') THEN
    ALTER TABLE studio ADD CONSTRAINT studio_jam_week_check
      CHECK (cardinality(jam_buka) = 7 AND cardinality(jam_tutup) = 7);
  END IF;
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'booking_online_durasi_jam_check') THEN
    ALTER TABLE booking_online ADD CONSTRAINT booking_online_durasi_jam_check CHECK (durasi_jam BETWEEN 1 AND 24);
  END IF;
  -- No two of this app's bookings of one studio that are not cancelled overlap, however long,
  -- whoever writes them: the last line of defence under sb_book_many's own check (which also covers
  -- the legacy rows, outside this constraint since they may already break it: two in one hour).
  -- The expression is written out rather than a function's, so that no later change of a function
  -- can change what the index holds.
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'booking_online_no_overlap') THEN
    ALTER TABLE booking_online ADD CONSTRAINT booking_online_no_overlap EXCLUDE USING gist (
      studio_id WITH =,
      tsrange(tanggal_booking + jam_booking,
              tanggal_booking + jam_booking + make_interval(hours => coalesce(durasi_jam, 1)::integer)) WITH &&
    ) WHERE (ref IS NOT NULL AND dibatalkan_pada IS NULL);
  END IF;
END
$$;

-- The one-booking-per-slot index of migration 004 would keep a cancelled booking's hour taken; the
-- exclusion constraint above takes its place. The staff day view walks studios through an index on
-- the app's bookings that leads with the studio, so one of the same shape stays, not unique.
CREATE INDEX IF NOT EXISTS booking_online_app_slot_idx
  ON booking_online (studio_id, tanggal_booking, jam_booking) WHERE ref IS NOT NULL;
DROP INDEX IF EXISTS booking_online_slot_key;

-- Days a studio (studio_id) or every studio (NULL) is closed. Bookings already made there stay.
CREATE TABLE IF NOT EXISTS hari_libur (
  id_libur    serial PRIMARY KEY,
  tanggal     date NOT NULL,
  studio_id   integer NULL REFERENCES studio (id_studio) ON DELETE CASCADE,
  keterangan  varchar(200) NOT NULL DEFAULT '',
  dibuat_pada timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS hari_libur_tanggal_idx ON hari_libur (tanggal);

-- Staff roles: accounts made before roles existed are admins; new ones are staf unless said.
ALTER TABLE staff_account ADD COLUMN IF NOT EXISTS peran text NOT NULL DEFAULT 'admin';
ALTER TABLE staff_account ALTER COLUMN peran SET DEFAULT 'staf';
ALTER TABLE staff_account ADD COLUMN IF NOT EXISTS aktif boolean NOT NULL DEFAULT true;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'staff_account_peran_check') THEN
    ALTER TABLE staff_account ADD CONSTRAINT staff_account_peran_check CHECK (peran IN ('admin', 'staf'));
  END IF;
END
$$;

-- sb_book_many takes the sessions' lengths now (Functions/sb_book_many.sql): the old signature goes,
-- so that nothing can still book without one.
DROP FUNCTION IF EXISTS sb_book_many(text[], text[], text[], text[], text[], text[], text[], integer[], date[], time[], date, integer);
