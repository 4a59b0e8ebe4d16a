-- A studio's database as the older booking system left it, before this application ever ran:
-- the three legacy tables exactly as they were, and rows typed by hand over the years.
-- The tests load it into an empty database and then migrate, so every row below must survive
-- the migrations unchanged, and new bookings must find these customers by the matching rules.
--
-- What is untidy here on purpose:
--   * phones as people typed them: plain, with spaces, dashes, dots, parentheses, "+62 …" and "62…";
--   * the same person twice (ids 1 and 9, one phone in two spellings); the row with the smaller id
--     has the larger code, so "the smallest id" and "the smallest code" pick different rows;
--   * two customers named alike, both with phones (ids 2 and 7);
--   * customers without a phone: NULL (id 4) and an empty string (id 10);
--   * genders the old system allowed: L, P, Pria, Wanita, NULL;
--   * codes with gaps, and the highest code (CS-000063, id 6) is not the last row;
--   * two bookings of one studio, date and hour (studio 2, 2025-07-12 14:00);
--   * e-mails in mixed case, in the bookings (the legacy customer table has no e-mail column).

-- The tables are written out here, not taken from migration 001: another program made them, and
-- the migrations must accept them as they find them.
CREATE TABLE studio (
  id_studio     SERIAL PRIMARY KEY,
  nama_studio   VARCHAR(100) NOT NULL
);
CREATE TABLE customer (
  id_customer     SERIAL PRIMARY KEY,
  kode_cs         VARCHAR(20)  NOT NULL,
  nama_cs         VARCHAR(100) NOT NULL,
  jenis_kelamin   VARCHAR(10)  NULL,
  telp            VARCHAR(20)  NULL,
  alamat          TEXT         NULL,
  jenis_cs        INTEGER      NULL,
  tanggal_booking TIMESTAMP    NULL
);
CREATE TABLE booking_online (
  id_booking      SERIAL PRIMARY KEY,
  nama_customer   VARCHAR(100) NOT NULL,
  telp_customer   VARCHAR(20)  NOT NULL,
  email_customer  VARCHAR(100) NULL,
  studio_id       INTEGER      NOT NULL,
  tanggal_booking DATE         NOT NULL,
  jam_booking     TIME         NOT NULL,
  created_at      TIMESTAMP    NOT NULL DEFAULT now()
);

INSERT INTO studio (nama_studio) VALUES
  ('Studio Anggrek'),
  ('Studio Bougenvil - Keluarga'),
  ('Studio Cempaka - Rekaman');

-- One row per statement line, in id order (1 … 12).
INSERT INTO customer (kode_cs, nama_cs, jenis_kelamin, telp, alamat, jenis_cs, tanggal_booking) VALUES
  ('CS-000011', 'Larasati Wibowo',  'Perempuan', '085711110011',      'Jl. Cempaka Putih 3, Malang',   1,    '2025-02-14 10:00'),
  ('CS-000002', 'Joko Susilo',      'L',         '0857-1111-0002',    'Gg. Mawar 12, Solo',            2,    '2025-03-08 15:00'),
  ('CS-000003', 'Maya Anggraini',   'Wanita',    '+62 857 1111 0003', 'Perum Taman Sari C7, Depok',    1,    '2025-04-19 09:00'),
  ('CS-000005', 'Teguh Prasetyo',   'Pria',      NULL,                'Jl. Veteran 9, Madiun',         3,    '2024-10-05 13:00'),
  ('CS-000006', 'Nurul Hidayah',    'P',         '6285711110006',     'Jl. Dago 101, Bandung',         2,    NULL),
  ('CS-000063', 'Intan Permata',    'Perempuan', '085711110063',      'Jl. Imam Bonjol 63, Padang',    2,    '2025-07-12 14:00'),
  ('CS-000014', 'Joko Susilo',      'Laki-laki', '0857 1111 0014',    'Jl. Pemuda 14, Semarang',       1,    '2025-05-20 16:00'),
  ('CS-000008', 'Fajar Nugroho',    NULL,        '(0857) 1111.0008',  NULL,                            NULL, NULL),
  ('CS-000004', 'Larasati Wibowo',  'P',         '0857 1111 0011',    'Jl. Cempaka Putih 3, Malang',   1,    '2024-12-01 10:00'),
  ('CS-000017', 'Wahyu Hidayat',    'Laki-laki', '',                  'Jl. Malioboro 17, Yogyakarta',  3,    '2025-01-25 19:00'),
  ('CS-000021', 'Bayu Saputra',     'L',         '62 857-1111-0021',  'Jl. Ahmad Yani 21, Balikpapan', 3,    '2025-08-30 12:00'),
  ('CS-000018', 'Ratih Kumalasari', 'Perempuan', '0857.1111.0018',    'Jl. Pattimura 18, Ambon',       2,    '2025-06-07 11:00');

-- The older system wrote no customer code into its bookings; a phone is all that ties them.
INSERT INTO booking_online (nama_customer, telp_customer, email_customer, studio_id, tanggal_booking, jam_booking, created_at) VALUES
  ('Larasati Wibowo', '0857-1111-0011',    'Larasati.W@Contoh.co.id', 1, '2025-02-14', '10:00', '2025-02-01 09:12'),
  ('Joko Susilo',     '0857-1111-0002',    NULL,                      2, '2025-03-08', '15:00', '2025-03-02 18:40'),
  ('Maya Anggraini',  '+62 857 1111 0003', 'MAYA.Angg@contoh.CO.ID',  1, '2025-04-19', '09:00', '2025-04-10 07:05'),
  ('Intan Permata',   '085711110063',      'intan@contoh.co.id',      2, '2025-07-12', '14:00', '2025-07-01 20:30'),
  ('Sekar Ayu',       '0813 2222 0099',    NULL,                      2, '2025-07-12', '14:00', '2025-07-02 08:15'),
  ('Bayu Saputra',    '+6285711110021',    'BAYU@CONTOH.CO.ID',       3, '2025-08-30', '12:00', '2025-08-20 16:45');
