-- pesan.kunci is the row's own number behind the installation's prefix (migration 018,
-- sb_pesan_tulis), unique because id_pesan is; the keys of older rows are random UUIDs. Its unique
-- index was one more entry for every message the booking batch writes, for a key nothing looks up.
ALTER TABLE pesan DROP CONSTRAINT IF EXISTS pesan_kunci_key;
