-- Every booking made by this app gets an unguessable public reference.
ALTER TABLE booking_online ADD COLUMN IF NOT EXISTS ref VARCHAR(40) NULL;
CREATE UNIQUE INDEX IF NOT EXISTS booking_online_ref_key ON booking_online (ref);

-- One booking per studio, date and slot. Legacy rows (ref IS NULL) may already break this, so the
-- unique index covers this app's bookings only; sb_book checks the legacy ones through the second.
CREATE UNIQUE INDEX IF NOT EXISTS booking_online_slot_key
  ON booking_online (studio_id, tanggal_booking, jam_booking) WHERE ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS booking_online_legacy_slot_idx
  ON booking_online (studio_id, tanggal_booking, jam_booking) WHERE ref IS NULL;
CREATE INDEX IF NOT EXISTS booking_online_kode_cs_idx ON booking_online (kode_cs);
-- Active bookings per phone, for the per-phone limit.
CREATE INDEX IF NOT EXISTS booking_online_telp_key_idx
  ON booking_online (sb_normalize_phone(telp_customer), tanggal_booking);

-- The highest customer number ever issued. A row lock on it makes codes unique and, since a failed
-- booking rolls it back with everything else, gapless.
CREATE TABLE IF NOT EXISTS kode_cs_counter (
  only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_number integer NOT NULL
);
INSERT INTO kode_cs_counter (last_number)
  SELECT coalesce(max(sb_kode_number(kode_cs)), 0) FROM customer
  ON CONFLICT DO NOTHING;

-- Secrets every responder must share (the CSRF key), made once by the database's strong random source.
CREATE TABLE IF NOT EXISTS app_secret (
  name  text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO app_secret (name, value)
  VALUES ('csrf', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))
  ON CONFLICT DO NOTHING;
