-- The customer master by staff (docs/behaviour.md: Editing, merging and erasing customers): merged
-- customers, erased customers, and the history of every change of a customer's fields.

-- Merged into this kode_cs (CONTRACT.md §4): the row stays, hidden from the list, the search and the
-- export; a booking that matches it goes to the customer it names (sb_match_customer). The index
-- finds the rows merged into a customer: a later merge of that one repoints them, an erasure erases
-- them with it. Partial: nearly every customer has none.
ALTER TABLE customer ADD COLUMN IF NOT EXISTS digabung_ke VARCHAR(20) NULL;
CREATE INDEX IF NOT EXISTS customer_digabung_ke_idx ON customer (digabung_ke) WHERE digabung_ke IS NOT NULL;

-- When the person's data was erased (UU 27/2022): the row keeps its code, studio and dates for the
-- statistics, is never matched by a booking again, and is no longer listed or searched.
ALTER TABLE customer ADD COLUMN IF NOT EXISTS dihapus_pada TIMESTAMP NULL;

-- What changed in a customer's fields, written in the transaction of the change: by a booking
-- (oleh_ref: its ref, or its id for a booking without one), or by a staff user (oleh_staf).
CREATE TABLE IF NOT EXISTS customer_riwayat (
  id_riwayat  bigserial PRIMARY KEY,
  id_customer integer      NOT NULL,
  kolom       VARCHAR(30)  NOT NULL,   -- the customer column: nama_cs, telp, email, …
  lama        TEXT         NULL,
  baru        TEXT         NULL,
  pada        TIMESTAMP    NOT NULL DEFAULT now(),
  oleh_ref    TEXT         NULL,
  oleh_staf   VARCHAR(100) NULL
);
-- A customer's page reads their newest 50; an erasure deletes them all.
CREATE INDEX IF NOT EXISTS customer_riwayat_customer_idx ON customer_riwayat (id_customer, id_riwayat DESC);

-- sb_customer_restamp now writes the history of the date it changes, and so takes the booking that
-- changed it: the one-argument function goes, the function script makes the new one.
DROP FUNCTION IF EXISTS sb_customer_restamp(text);
