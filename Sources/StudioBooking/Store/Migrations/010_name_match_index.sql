-- The third matching step (same name, no phone on record; CONTRACT.md §5) asks for the smallest
-- id_customer among those customers. customer_name_key_nophone_idx (migration 003) finds them, but
-- not in id order, so under the committers' generic plans PostgreSQL walked the primary key instead
-- and read every customer, twice: measured at 1,000,000 customers, every booking by a new
-- customer took 3.3 s (and the bookings batched behind it waited as long). With the id in the index
-- the step reads one entry: 1.4 ms for the whole booking.
CREATE INDEX IF NOT EXISTS customer_name_key_nophone_id_idx
  ON customer (sb_name_key(nama_cs), id_customer) WHERE sb_normalize_phone(telp) IS NULL;
