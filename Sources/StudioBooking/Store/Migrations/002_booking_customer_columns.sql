-- The feature's own columns (CONTRACT.md §4). PostgreSQL has no AFTER: columns go at the end.
ALTER TABLE customer       ADD COLUMN IF NOT EXISTS email VARCHAR(100) NULL;
ALTER TABLE booking_online ADD COLUMN IF NOT EXISTS jenis_kelamin VARCHAR(10) NULL
  CHECK (jenis_kelamin IN ('Laki-laki', 'Perempuan'));
ALTER TABLE booking_online ADD COLUMN IF NOT EXISTS alamat_customer TEXT NULL;
ALTER TABLE booking_online ADD COLUMN IF NOT EXISTS kode_cs VARCHAR(20) NULL;
