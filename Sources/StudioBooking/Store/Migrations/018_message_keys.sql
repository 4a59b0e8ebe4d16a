-- The outbox's keys (pesan.kunci: the Idempotency-Key and the e-mail's Message-ID) made from the
-- message's own number behind a random prefix of this installation, by sb_pesan_tulis, instead of a
-- random UUID per row: in a batch of bookings the UUIDs and their random places in the unique index
-- were a quarter of the outbox's cost (bench/README.md, session 12). The prefix keeps two
-- installations behind one gateway apart; the number keeps the messages of one apart. Keys written
-- before keep their UUIDs, and rows written some other way still get one (the column's default).
ALTER TABLE pesan_setelan ADD COLUMN IF NOT EXISTS kunci_awal text NOT NULL DEFAULT gen_random_uuid()::text;
